import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crm as runCrm } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'crm-dedup-cli-'));

async function crm(...args: string[]) {
  const { code, stdout, stderr } = await runCrm(args, { DATA_DIR: dir, LOG_LEVEL: 'silent', DATABASE_URL: '', PLUGINS: 'contacts,dedup' });
  if (code !== 0) throw new Error(`crm ${args.join(' ')} exited ${code}: ${stderr}`);
  return JSON.parse(stdout);
}

describe('dedup CLI', () => {
  it('scans with counts and time, then lists each open pair with both contacts, score and reasons', async () => {
    const file = path.join(dir, 'people.csv');
    writeFileSync(
      file,
      'Email,First Name,Last Name,Phone\njon.meyer@acme.com,Jon,Meyer,+49 30 1234567\njohn.maier@gmail.com,John,Maier,+49 30 1234567\nzoe@else.com,Zoe,Quinn,\n',
    );
    expect(await crm('import', file, '--json')).toMatchObject({ created: 3 });
    const scan = await crm('dedup:scan', '--json');
    // The import's own check already found the pair; the scan finds it again.
    expect(scan).toMatchObject({ contacts: 3, candidates: 1 });
    expect(scan.ms).toBeGreaterThanOrEqual(0);
    const listed = await crm('dedup:candidates', '--min-score', '0.8', '--json');
    expect(listed).toMatchObject({ page: 1, pageSize: 100, total: 1 });
    const [pair] = listed.items;
    expect([pair.a, pair.b].sort((x, y) => x.email.localeCompare(y.email))).toEqual([
      { id: expect.any(Number), email: 'john.maier@gmail.com', name: 'John Maier' },
      { id: expect.any(Number), email: 'jon.meyer@acme.com', name: 'Jon Meyer' },
    ]);
    expect(pair.a.id).toBeLessThan(pair.b.id);
    expect(pair.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^phone: same/)]));
    expect(await crm('dedup:candidates', '--min-score', '0.99', '--json')).toMatchObject({ total: 0, items: [] });
    // Training on a workspace this small keeps the shipped weights where no rule has pairs enough, and says so.
    const trained = await crm('dedup:train', '--json');
    expect(trained).toMatchObject({ version: 1, contacts: 3, candidatePairs: expect.any(Number), rules: expect.any(Array) });
    expect(await crm('dedup:train', '--json')).toMatchObject({ version: 2 });
  }, 90_000);
});
