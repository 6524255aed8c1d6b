/**
 * A platform instance in its own process that starts a campaign to every contact and keeps sending
 * until it is killed: the crash half of the resume test. Prints `CAMPAIGN <id>` once it is created.
 */
import { loadConfig } from '../../server/config.js';
import { createHost } from '../../server/host.js';
import { contactsPlugin } from '../../plugins/contacts/index.js';
import { messagingPlugin } from '../../plugins/messaging/index.js';
import type { MessagingApi } from '../../plugins/messaging/public.js';

const config = loadConfig({
  NODE_ENV: 'test',
  DATA_DIR: process.env.DATA_DIR!,
  DATABASE_URL: process.env.DATABASE_URL!,
  LOG_LEVEL: 'error',
  SESSION_SECRET: 'test-secret-test-secret-test-secret!',
});
const host = await createHost({
  config,
  plugins: [contactsPlugin, messagingPlugin],
  pluginSettings: {
    contacts: { demoData: false },
    messaging: { smtpUrl: process.env.SINK_URL!, campaignBatchSize: 20, campaignLeaseMs: 1_000, publicUrl: 'https://crm.example.test' },
  },
  env: {},
});
const { campaigns, templates } = host.services.messaging as MessagingApi;
const [template] = await templates.list();
const ids = (await host.prisma.contact.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((c) => c.id);
const report = await campaigns.create({ templateId: template!.id, contactIds: ids, name: 'Crash test' });
process.stdout.write(`CAMPAIGN ${report.id}\n`);
