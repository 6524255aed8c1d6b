/**
 * Full rescoring speed: contacts with their activities in SQLite, rescored by the scoring service
 * (two aggregate reads, one write transaction), beside a naive per-contact loop timed on a sample.
 *   npm run bench:scoring        (SCORING_CONTACTS=20000 SCORING_ACTIVITIES=200000 for a quicker run)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { contactsPlugin } from '../plugins/contacts/index.js';
import { scoringPlugin } from '../plugins/scoring/index.js';
import { ACTIVITY_SIGNALS, compileRules, computeScore, isActivitySignal, type ContactFacts } from '../plugins/scoring/score-engine.js';
import type { ScoringService } from '../plugins/scoring/scoring.service.js';
import { migrate } from '../server/migrations.js';
import { benchHost } from './bench-host.js';

const CONTACTS = Number(process.env.SCORING_CONTACTS ?? 100_000);
const ACTIVITIES = Number(process.env.SCORING_ACTIVITIES ?? 1_000_000);
const NAIVE_SAMPLE = 1_000;
const DAY_MS = 86_400_000;

const TYPES = [
  'EMAIL_SENT',
  'EMAIL_OPENED',
  'EMAIL_OPENED',
  'EMAIL_CLICKED',
  'EMAIL_RECEIVED',
  'CALL',
  'MEETING',
  'NOTE',
  'FORM_SUBMITTED',
  'PAGE_VISITED',
  'PAGE_VISITED',
  'FILE_DOWNLOADED',
  'DEAL_CREATED',
  'DEAL_WON',
  'EMAIL_BOUNCED',
];
const TITLES = ['VP Sales', 'Engineer', 'Chief Executive Officer', 'Analyst', 'Head of Marketing', null, 'Director of IT', 'Consultant'];
const ROLES = ['DECISION_MAKER', 'CHAMPION', 'INFLUENCER', 'END_USER', null, null];
const STATUSES = ['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'UNSUBSCRIBED', 'BOUNCED'];

let seed = 7;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const sqliteTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

const dir = mkdtempSync(path.join(tmpdir(), 'crm-scoring-bench-'));
const file = path.join(dir, 'crm.db');
await migrate({ DATABASE_URL: `file:${file}`, databaseKind: 'sqlite' });
const db = new Sqlite(file);
db.pragma('journal_mode = WAL');
const now = Date.now();
const fillStart = performance.now();
db.transaction(() => {
  const company = db.prepare('INSERT INTO "Company" (name, createdAt, updatedAt) VALUES (?, ?, ?)');
  for (let c = 1; c <= 500; c++) company.run(`Company ${c}`, sqliteTime(now), sqliteTime(now));
  const contact = db.prepare(
    'INSERT INTO "Contact" (id, email, firstName, lastName, phone, jobTitle, companyId, buyingRole, status, country, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (let id = 1; id <= CONTACTS; id++) {
    const created = sqliteTime(now - Math.floor(random() * 720) * DAY_MS);
    contact.run(
      id,
      `person${id}@example.com`,
      'Pat',
      random() < 0.7 ? `Doe${id}` : null,
      random() < 0.5 ? '+1 202 555 0100' : null,
      pick(TITLES),
      random() < 0.6 ? 1 + (id % 500) : null,
      pick(ROLES),
      pick(STATUSES),
      random() < 0.5 ? 'US' : null,
      created,
      created,
    );
  }
  const activity = db.prepare('INSERT INTO "Activity" (contactId, type, occurredAt, createdAt) VALUES (?, ?, ?, ?)');
  for (let i = 0; i < ACTIVITIES; i++) {
    const at = sqliteTime(now - Math.floor(random() * 365 * DAY_MS));
    activity.run(1 + Math.floor(random() * CONTACTS), pick(TYPES), at, at);
  }
})();
db.close();
const fillMs = performance.now() - fillStart;

const host = await benchHost(dir, file, [contactsPlugin, scoringPlugin]);
const scoring = (host.services.scoring as { scoring: ScoringService }).scoring;
const first = await scoring.rescoreAll();
const second = await scoring.rescoreAll();

// The naive way: for each contact, read it, read its activities, score in code, write the score.
const prisma = host.prisma;
const rules = compileRules(await prisma.scoringRule.findMany());
const settings = await scoring.settings();
const naiveStart = performance.now();
for (let id = 1; id <= NAIVE_SAMPLE; id++) {
  const contact = await prisma.contact.findUniqueOrThrow({ where: { id } });
  const activities = await prisma.activity.findMany({ where: { contactId: id, occurredAt: { lte: new Date(now) } } });
  const weightedCounts = new Map<number, number>();
  for (const rule of rules) {
    if (!isActivitySignal(rule.signal)) continue;
    const types: readonly string[] = ACTIVITY_SIGNALS[rule.signal];
    const weight = (a: { occurredAt: Date }) => (rule.halfLifeDays ? 0.5 ** ((now - a.occurredAt.getTime()) / DAY_MS / rule.halfLifeDays) : 1);
    weightedCounts.set(
      rule.id,
      activities.filter((a) => types.includes(a.type)).reduce((sum, a) => sum + weight(a), 0),
    );
  }
  const facts: ContactFacts = {
    ...contact,
    contactId: id,
    buyingRole: contact.buyingRole,
    lastActivityAt: activities.reduce<Date | null>((latest, a) => (!latest || a.occurredAt > latest ? a.occurredAt : latest), null),
    bounces: activities.filter((a) => a.type === 'EMAIL_BOUNCED').length,
    weightedCounts,
  };
  const result = computeScore(facts, rules, settings, new Date(now));
  const data = {
    score: result.score,
    fit: result.fit,
    engagement: result.engagement,
    grade: result.grade,
    breakdown: result.breakdown as never,
    computedAt: new Date(now),
  };
  await prisma.contactScore.upsert({ where: { contactId: id }, create: { contactId: id, ...data }, update: data });
}
const naivePerContactMs = (performance.now() - naiveStart) / NAIVE_SAMPLE;
const naiveFullMs = naivePerContactMs * CONTACTS;
await host.stop();
rmSync(dir, { recursive: true, force: true });

const row = (cells: string[]) => console.log(cells.map((c, i) => c.padEnd([52, 14, 44][i] ?? 12)).join(' | '));
console.log(
  `\nLead scoring: ${CONTACTS.toLocaleString('en')} contacts, ${ACTIVITIES.toLocaleString('en')} activities, SQLite (filled in ${(fillMs / 1000).toFixed(1)} s)\n`,
);
row(['figure', 'measured', 'beside']);
row(['-'.repeat(52), '-'.repeat(14), '-'.repeat(44)]);
row(['full rescore, first run (every score new)', `${(first.ms / 1000).toFixed(2)} s`, `target <= 15 s; ${first.changed} scores written`]);
row(['full rescore, again (scores mostly unchanged)', `${(second.ms / 1000).toFixed(2)} s`, `${second.changed} changed`]);
row([
  `naive per-contact loop, ${NAIVE_SAMPLE} contacts sampled`,
  `${naivePerContactMs.toFixed(2)} ms each`,
  `${(naiveFullMs / 1000).toFixed(1)} s for everyone (extrapolated)`,
]);
row(['speed-up of the set-based rescore', `${(naiveFullMs / first.ms).toFixed(1)}x`, 'naive extrapolated time / full rescore time']);
