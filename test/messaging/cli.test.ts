import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { crm as runCrm } from '../helpers/cli.js';
import { bootTestHost } from '../helpers/host.js';
import { contactsPlugin } from '../../plugins/contacts/index.js';
import { messagingPlugin } from '../../plugins/messaging/index.js';
import type { MessagingApi } from '../../plugins/messaging/public.js';

const dir = mkdtempSync(path.join(tmpdir(), 'crm-messaging-cli-'));

async function crm(...args: string[]) {
  return runCrm(args, { DATA_DIR: dir, LOG_LEVEL: 'silent', DATABASE_URL: '', PLUGINS: 'contacts,messaging', SMTP_URL: '' });
}

describe('messaging CLI', () => {
  it('sends a template to the contacts a filter matches and lists the outbox', async () => {
    const file = path.join(dir, 'people.csv');
    writeFileSync(file, 'Email,First Name,Status\nann@example.test,Ann,Active\nbob@example.test,,Active\ncid@example.test,Cid,Inactive\n');
    expect((await crm('import', file, '--json')).code).toBe(0);
    // The template is made through the service, on the same database the CLI uses.
    const t = await bootTestHost({ dir, plugins: [contactsPlugin, messagingPlugin], pluginSettings: { contacts: { demoData: false } } });
    const template = await (t.host.services.messaging as MessagingApi).templates.create({
      name: 'Hello',
      subject: 'Hello {{firstName}}',
      text: 'Hi {{firstName}}',
    });
    await t.close();

    const sent = await crm('messages:send', '--template', String(template.id), '--filter', 'status=ACTIVE', '--json');
    expect(sent.code).toBe(0);
    const report = JSON.parse(sent.stdout);
    expect(report).toMatchObject({ status: 'COMPLETED', total: 2, counts: { sent: 1, skipped: 1 } });
    expect(report.skipped[0].reason).toBe('MISSING_VARIABLE: firstName');

    const outbox = await crm('messages:outbox', '--json');
    expect(outbox.code).toBe(0);
    const rows = JSON.parse(outbox.stdout);
    expect(rows.items ?? rows).toEqual([expect.objectContaining({ channel: 'EMAIL', toAddress: 'ann@example.test', subject: 'Hello Ann' })]);

    const bad = await crm('messages:send', '--template', 'x', '--json');
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain('template: must be a template id');
  }, 120_000);
});
