import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../../../server/errors.js';
import { defineCommands } from '../../../server/cli/command.js';
import type { ContactsServices } from '../index.js';

/** `key=value` words, e.g. `status=ACTIVE tags=vip,partner`. */
function pairs(words: string[], what: string): Record<string, string> {
  return Object.fromEntries(
    words.map((word) => {
      const at = word.indexOf('=');
      if (at < 1) throw ValidationError.field(what, `expected key=value, got "${word}"`);
      return [word.slice(0, at), word.slice(at + 1)];
    }),
  );
}

/** The contacts plugin's commands (run with the services its setup returns). */
export default defineCommands<ContactsServices>('contacts', [
  {
    name: 'import',
    description:
      'Import contacts from a CSV file and print the result once its rows are written; the duplicate check and scoring that follow run before the command exits, or with --detach on the server',
    usage: 'import <file.csv> [--map header=field ...] [--default field=value ...] [--on-duplicate flag|skip|update] [--dry-run] [--detach]',
    options: {
      map: { type: 'string', multiple: true },
      default: { type: 'string', multiple: true },
      'on-duplicate': { type: 'string' },
      'dry-run': { type: 'boolean' },
      detach: { type: 'boolean' },
    },
    run: async ({ services: s, host, args, options }) => {
      if (!args[0]) throw new ValidationError('file: give the CSV file to import', [{ path: 'file', message: 'is required' }]);
      const uploaded = await s.imports.upload({ buffer: readFileSync(args[0]), originalName: path.basename(args[0]) });
      await s.imports.configure(uploaded.id, {
        mapping: pairs((options.map as string[] | undefined) ?? [], 'map'),
        defaults: pairs((options.default as string[] | undefined) ?? [], 'default'),
        ...(options['on-duplicate'] ? { onDuplicate: String(options['on-duplicate']).toUpperCase() as never } : {}),
      });
      // Detached, the work after the import is only recorded: a running server (or the next start) does it.
      if (options.detach === true) host.followUps.defer();
      await s.imports.start(uploaded.id, { dryRun: options['dry-run'] === true });
      const { id, status, totalRows, processed, created, updated, flagged, skipped, failed, dryRunReport, error } = await s.imports.waitFor(uploaded.id);
      const downstream = (await s.imports.downstream(id)).map(({ plugin, status }) => ({ plugin, status }));
      return {
        id,
        status,
        totalRows,
        processed,
        created,
        updated,
        flagged,
        skipped,
        failed,
        error,
        downstream,
        detached: options.detach === true,
        ...(dryRunReport ? { dryRun: dryRunReport } : {}),
      };
    },
    format: (r: {
      id: number;
      status: string;
      created: number;
      updated: number;
      flagged: number;
      skipped: number;
      failed: number;
      downstream: { plugin: string }[];
      detached: boolean;
    }) =>
      `Import ${r.id} ${r.status}: ${r.created} created, ${r.updated} updated, ${r.flagged} flagged, ${r.skipped} skipped, ${r.failed} failed` +
      (r.downstream.length
        ? `\nThen: ${r.downstream.map((d) => d.plugin).join(', ')}, ${r.detached ? 'left to the server' : 'before this command exits'} (GET /api/v1/imports/${r.id} shows their progress)`
        : ''),
  },
  {
    name: 'export',
    description: 'Write contacts as CSV to standard output, filtered like the list (key=value ...)',
    usage: 'export [status=ACTIVE] [tags=vip] [q=acme] ... > contacts.csv',
    ownOutput: true,
    run: async ({ services: s, args }) => {
      const where = await s.list.where(s.list.parseListQuery(pairs(args, 'filter')));
      await s.exporter.write(where, process.stdout);
      return undefined;
    },
  },
  {
    name: 'demo:seed',
    description: 'Add demo companies, contacts, activities and deals',
    run: async ({ services: s, host }) => (await import('../demo/demo-data.js')).seedDemoData(host.prisma, s, host.events),
  },
]);
