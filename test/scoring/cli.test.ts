import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crm as runCrm } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'crm-scoring-cli-'));

async function crm(...args: string[]) {
  const result = await runCrm(args, { DATA_DIR: dir, LOG_LEVEL: 'silent', DATABASE_URL: '', PLUGINS: 'contacts,scoring' });
  if (result.code !== 0) throw result;
  return result;
}

describe('scoring CLI', () => {
  it('rescores everyone with counts and time, one contact with its breakdown, and names a bad id', async () => {
    const file = path.join(dir, 'people.csv');
    writeFileSync(file, 'Email,First Name,Job Title,Buying Role\nboss@acme.com,Bea,VP Sales,Decision maker\nintern@acme.com,Ian,Intern,\n');
    await crm('import', file, '--json');
    const all = JSON.parse((await crm('score:recompute', '--json')).stdout);
    expect(all).toMatchObject({ contacts: 2 });
    expect(all.ms).toBeGreaterThanOrEqual(0);
    const one = JSON.parse((await crm('score:recompute', '--contact', '1', '--json')).stdout);
    expect(one).toMatchObject({ contactId: 1, fit: 24, grade: 'D' });
    expect(one.breakdown.map((f: { name: string }) => f.name)).toEqual(['Profile completeness', 'Decision maker or champion', 'Senior job title']);
    expect((await crm('score:recompute')).stdout).toMatch(/^2 contacts scored, 0 changed, \d+ ms/);
    const bad = await crm('score:recompute', '--contact', 'x1', '--json').catch((err: { code: number; stdout: string; stderr: string }) => err);
    expect((bad as { code: number }).code).not.toBe(0);
    expect(`${(bad as { stdout: string }).stdout}${(bad as { stderr: string }).stderr}`).toContain('contact: must be a contact id');
  }, 90_000);
});
