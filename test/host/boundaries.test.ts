import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { foreignWrites, tableOwners } from '../../scripts/lint/table-writes.js';

const root = path.resolve(import.meta.dirname, '../..');
const pluginDirs = readdirSync(path.join(root, 'plugins'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => path.join(root, 'plugins', d.name));

describe('plugin boundaries', () => {
  it('no plugin writes a table that another plugin or the host owns', () => {
    const owners = tableOwners(root, pluginDirs);
    expect(owners.get('Contact')).toBe('contacts');
    expect(owners.get('DuplicateCandidate')).toBe('dedup');
    const writes = pluginDirs.flatMap((dir) => foreignWrites(dir, owners));
    expect(writes.map((w) => `${path.relative(root, w.file)}:${w.line} writes ${w.model} (owned by ${w.owner})`)).toEqual([]);
  });

  it('finds a write to another plugin’s table, through the client or raw SQL', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'crm-boundary-'));
    const plugin = path.join(dir, 'intruder');
    mkdirSync(plugin);
    writeFileSync(
      path.join(plugin, 'intruder.service.ts'),
      [
        'export async function run(tx: any) {',
        '  await tx.note.deleteMany({ where: {} });',
        '  await tx.contactScore.findMany();',
        '  await tx.$executeRawUnsafe(`UPDATE "Contact" SET status = ?`);',
        '}',
      ].join('\n'),
    );
    const owners = tableOwners(root, pluginDirs);
    expect(foreignWrites(plugin, owners).map((w) => `${w.line}:${w.model}:${w.owner}`)).toEqual(['2:Note:contacts', '4:Contact:contacts']);
  });

  it('the lint rule refuses an import of another plugin’s private file and allows its public surface', async () => {
    const eslint = new ESLint({ cwd: root });
    const file = path.join(root, 'plugins/dedup/boundary-check.ts');
    const [privateImport] = await eslint.lintText("import { normalizeEmail } from '../contacts/people/normalize.js';\nexport const f = normalizeEmail;\n", {
      filePath: file,
    });
    expect(privateImport!.messages.map((m) => m.ruleId)).toContain('crm/plugin-boundaries');
    expect(privateImport!.messages.find((m) => m.ruleId === 'crm/plugin-boundaries')!.message).toMatch(/imports "people\/normalize.js" of plugin "contacts"/);
    const [publicImport] = await eslint.lintText("import { MERGE_FIELDS } from '../contacts/public.js';\nexport const f = MERGE_FIELDS;\n", { filePath: file });
    expect(publicImport!.messages.filter((m) => m.ruleId === 'crm/plugin-boundaries')).toEqual([]);
  });
});
