import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crm as runCrm } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'crm-contacts-cli-'));

async function crm(...args: string[]) {
  const { code, stdout, stderr } = await runCrm(args, { DATA_DIR: dir, LOG_LEVEL: 'silent', DATABASE_URL: '', PLUGINS: 'contacts' });
  return { code, stdout: code ? stdout + stderr : stdout };
}

describe('contacts CLI', () => {
  it('imports a CSV (waiting for the result) and exports the filtered list', async () => {
    const file = path.join(dir, 'people.csv');
    writeFileSync(file, 'Mail,First,Status\nann@cli.test,Ann,Active\nbob@cli.test,Bob,Blocked\nbroken,X,\n');
    const first = await crm('import', file, '--map', 'Mail=email', '--map', 'First=firstName', '--default', 'leadSource=CLI', '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ status: 'COMPLETED', totalRows: 3, created: 2, failed: 1 });

    writeFileSync(file, 'Mail,First\nann@cli.test,Annabel\n');
    const update = await crm('import', file, '--map', 'Mail=email', '--map', 'First=firstName', '--on-duplicate', 'update', '--json');
    expect(JSON.parse(update.stdout)).toMatchObject({ created: 0, updated: 1 });

    const exported = await crm('export', 'status=ACTIVE');
    expect(exported.code).toBe(0);
    // The same UTF-8 with a byte order mark as the admin's download.
    expect(exported.stdout.startsWith('\uFEFFid,email,firstName')).toBe(true);
    const lines = exported.stdout.trim().split('\r\n');
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['ann@cli.test']);
    expect(lines[1]).toContain(',Annabel,');
    expect(lines[1]).toContain(',CLI,');

    const bad = await crm('export', 'colour=red');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('query.colour');
  }, 60_000);
});
