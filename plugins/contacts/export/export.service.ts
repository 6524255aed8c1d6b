import type { Writable } from 'node:stream';
import type { Prisma } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import type { ContactView } from '../people/contact-view.js';
import { COLUMNS, ID, type ExportReader } from './export.store.js';
import type { ContactListService } from '../list/list.service.js';
import type { CustomFieldService } from '../people/custom-field.service.js';
import { csvCell } from './csv-safe.js';

const CHUNK = 5_000;

/**
 * Streams the filtered contact list as CSV (in id order), safe to open in a spreadsheet: UTF-8 with a
 * byte order mark (so a spreadsheet reads accents right), formula-safe cells; matching ids come from
 * the list's own filter (covering indexes), rows from the reader a chunk at a time.
 */
export class ExportService {
  constructor(
    private readonly prisma: Database,
    private readonly list: ContactListService,
    private readonly customFields: CustomFieldService,
    private readonly openReader: () => ExportReader,
  ) {}

  async write(where: Prisma.ContactWhereInput, out: Writable): Promise<number> {
    const definitions = await this.customFields.list();
    const reader = this.openReader();
    let written = 0;
    let afterId = 0;
    let extra: string[] | undefined;
    try {
      await send(out, '\uFEFF');
      for (;;) {
        const ids = (
          await this.prisma.contact.findMany({ where: { AND: [where, { id: { gt: afterId } }] }, select: { id: true }, orderBy: { id: 'asc' }, take: CHUNK })
        ).map((r) => r.id);
        const rows = ids.length ? await reader.rows(ids) : [];
        // Columns contributed by other plugins (lead score, consent) follow the contact's own.
        const contributed = rows.map((r) => ({ id: r[ID] }) as unknown as ContactView);
        await this.list.addColumns(contributed);
        if (!extra) {
          extra = Object.keys(contributed[0] ?? {}).filter((k) => k !== 'id');
          await send(out, [...COLUMNS, ...definitions.map((d) => `custom.${d.key}`), ...extra].map(csvCell).join(',') + '\r\n');
        }
        let chunk = '';
        for (let i = 0; i < rows.length; i++) {
          const cells = rows[i]!;
          const custom = (cells.pop() as Record<string, unknown> | null) ?? {};
          for (const def of definitions) cells.push(Array.isArray(custom[def.key]) ? (custom[def.key] as string[]).join('; ') : custom[def.key]);
          for (const column of extra) cells.push(contributed[i]![column]);
          chunk += cells.map(csvCell).join(',') + '\r\n';
        }
        if (chunk) await send(out, chunk);
        written += rows.length;
        if (ids.length < CHUNK) break;
        afterId = ids.at(-1)!;
      }
    } finally {
      reader.close();
    }
    return written;
  }
}

function send(out: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.write(text)) resolve();
    else {
      out.once('drain', resolve);
      out.once('error', reject);
    }
  });
}
