/**
 * The contact gate's speed, as a sender asks it: contacts.gate.check for a batch of contacts on one
 * channel and purpose (consent reads contacts, their states and the suppression list), and one
 * contact at a time for comparison, on SQLite.
 *   npm run bench:consent        (CONSENT_CONTACTS=20000 for a quicker run)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { contactsPlugin, type ContactsServices } from '../plugins/contacts/index.js';
import { consentPlugin } from '../plugins/consent/index.js';
import { loadConfig } from '../server/config.js';
import { createHost } from '../server/host.js';
import { migrate } from '../server/migrations.js';

const CONTACTS = Number(process.env.CONSENT_CONTACTS ?? 100_000);
const BATCH = 10_000;
const ONE_BY_ONE = 1_000;
const COUNTRIES = ['DE', 'FR', 'GB', 'US', 'CA', 'BR', 'JP', null];
const STATUSES = ['OPTED_IN', 'OPTED_IN', 'OPTED_OUT', 'PENDING', null];

let seed = 11;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const time = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

const dir = mkdtempSync(path.join(tmpdir(), 'crm-consent-bench-'));
const file = path.join(dir, 'crm.db');
await migrate({ DATABASE_URL: `file:${file}`, databaseKind: 'sqlite' });
const db = new Sqlite(file);
db.pragma('journal_mode = WAL');
const now = Date.now();
db.transaction(() => {
  const contact = db.prepare('INSERT INTO "Contact" (id, email, phone, country, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)');
  const event = db.prepare(
    'INSERT INTO "ConsentEvent" (id, contactId, channel, purpose, status, type, jurisdiction, source, occurredAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const state = db.prepare(
    'INSERT INTO "ConsentState" (contactId, channel, purpose, status, type, jurisdiction, source, occurredAt, lastEventId, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  let events = 0;
  for (let id = 1; id <= CONTACTS; id++) {
    contact.run(id, `person${id}@bench.test`, `+4930${String(id).padStart(7, '0')}`, pick(COUNTRIES), time(now), time(now));
    const status = pick(STATUSES);
    if (!status) continue;
    event.run(++events, id, 'EMAIL', 'MARKETING', status, 'EXPLICIT', 'OTHER', 'bench', time(now));
    state.run(id, 'EMAIL', 'MARKETING', status, 'EXPLICIT', 'OTHER', 'bench', time(now), events, time(now));
  }
})();
db.close();

const host = await createHost({
  config: loadConfig({
    DATA_DIR: dir,
    DATABASE_URL: `file:${file}`,
    LOG_LEVEL: 'error',
    JOBS_ENABLED: 'false',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret',
  }),
  plugins: [contactsPlugin, consentPlugin],
  pluginSettings: { contacts: { demoData: false } },
  env: {},
});
try {
  const gate = (host.services.contacts as ContactsServices).gate;
  // A thousand erased people on the suppression list, so the check reads a real one.
  const consent = host.services.consent as import('../plugins/consent/public.js').ConsentApi;
  await host.prisma.$transaction(async (tx) => {
    for (let i = 0; i < 1000; i++) await consent.suppressions.add(tx, { email: `gone${i}@bench.test` }, 'bench', {});
  });
  const ids = Array.from({ length: BATCH }, () => 1 + Math.floor(random() * CONTACTS));
  const runs: number[] = [];
  let allowed = 0;
  for (let run = 0; run < 5; run++) {
    const start = performance.now();
    const verdicts = await gate.check(ids, 'EMAIL', 'MARKETING');
    runs.push(performance.now() - start);
    allowed = [...verdicts.values()].filter((v) => v.allowed).length;
  }
  runs.sort((a, b) => a - b);
  const start = performance.now();
  for (const id of ids.slice(0, ONE_BY_ONE)) await gate.canContact(id, 'EMAIL', 'MARKETING');
  const single = (performance.now() - start) / ONE_BY_ONE;
  console.log(
    JSON.stringify(
      {
        contacts: CONTACTS,
        batch: BATCH,
        batchCheckMsMedian: Math.round(runs[2]!),
        perContactInBatchUs: Math.round((runs[2]! / BATCH) * 1000),
        allowedInBatch: allowed,
        oneByOneMsPerContact: Number(single.toFixed(2)),
      },
      null,
      2,
    ),
  );
} finally {
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
}
