import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crm as runCrm } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'crm-consent-cli-'));

async function crm(...args: string[]) {
  return runCrm(args, { DATA_DIR: dir, LOG_LEVEL: 'silent', DATABASE_URL: '', PLUGINS: 'contacts,consent' });
}

describe('consent CLI', () => {
  it('shows consent, exports a person and erases them by email, with a certificate', async () => {
    const file = path.join(dir, 'people.csv');
    writeFileSync(file, 'Email,First Name,Consent,Consent Date,Consent Source\ncli.person@consent.test,Cleo,yes,2026-01-10,newsletter form\n');
    expect((await crm('import', file, '--json')).code).toBe(0);
    const shown = JSON.parse((await crm('consent:show', 'cli.person@consent.test', '--json')).stdout);
    expect(shown.states).toEqual([expect.objectContaining({ channel: 'EMAIL', purpose: 'MARKETING', status: 'OPTED_IN', source: 'newsletter form' })]);
    expect((await crm('consent:show', 'cli.person@consent.test')).stdout).toMatch(/EMAIL\s+MARKETING\s+OPTED_IN\s+newsletter form/);

    const exported = JSON.parse((await crm('gdpr:export', 'cli.person@consent.test')).stdout);
    expect(exported.contact).toMatchObject({ email: 'cli.person@consent.test', firstName: 'Cleo' });
    expect(exported.plugins.consent.consentLedger).toHaveLength(1);

    const certificate = JSON.parse((await crm('gdpr:erase', 'cli.person@consent.test', '--json')).stdout);
    expect(certificate).toMatchObject({ contactId: shown.contactId, via: 'cli', suppressed: 1 });
    expect(JSON.stringify(certificate)).not.toContain('cli.person');
    const gone = await crm('consent:show', 'cli.person@consent.test');
    expect(gone.code).not.toBe(0);
    expect(`${gone.stdout}${gone.stderr}`).toContain('not found');
    const missing = await crm('gdpr:erase');
    expect(`${missing.stdout}${missing.stderr}`).toContain('contact: give a contact id or email');
  }, 120_000);
});
