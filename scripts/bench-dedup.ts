/**
 * Duplicate detection accuracy and speed.
 *
 * Through the product path (a CSV file imported by the contacts import service, the check that follows
 * the import, a full scan, then the open candidates at the default threshold): precision, recall and F1
 * on synthetic people (scripts/dedup-synthetic.ts) and on the FEBRL data sets 1 and 2
 * (scripts/dedup-febrl.ts; read from FEBRL_DIR or bench/febrl/). Then, in memory, the recall blocking
 * keeps against comparing every pair, and the time of a full scan of 100,000 synthetic people.
 *   npm run bench:dedup          (DEDUP_ROWS=20000 for a quicker run; DEDUP_ONLY=quality skips the 100k part)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { candidatePairs, compareAtLeast, prepare } from '../plugins/dedup/matching.js';
import { contactsPlugin } from '../plugins/contacts/index.js';
import { dedupPlugin } from '../plugins/dedup/index.js';
import type { DedupService } from '../plugins/dedup/dedup.service.js';
import { migrate } from '../server/migrations.js';
import { pairKey, syntheticPeople } from './dedup-synthetic.js';
import { febrlContacts, toCsv, type LabelledCsv } from './dedup-febrl.js';
import { benchHost } from './bench-host.js';
import type { ContactsServices } from '../plugins/contacts/index.js';
import type { DedupApi } from '../plugins/dedup/public.js';

const THRESHOLD = Number(process.env.DEDUP_THRESHOLD ?? 0.8);
const ROWS = Number(process.env.DEDUP_ROWS ?? 100_000);
const SAMPLE = 5_000;

function evaluate(found: Set<string>, truth: Set<string>) {
  let tp = 0;
  for (const k of found) if (truth.has(k)) tp++;
  const precision = found.size ? tp / found.size : 1;
  const recall = truth.size ? tp / truth.size : 1;
  return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}

/** Synthetic people as a contacts CSV file (emails made unique: an import keeps one contact per email). */
function syntheticCsv(count: number, seed: number): LabelledCsv {
  const set = syntheticPeople(count, seed);
  const used = new Set<string>();
  const emails = set.people.map((p) => {
    let email = p.email.toLowerCase();
    if (used.has(email)) email = email.replace('@', `+${p.id}@`);
    used.add(email);
    return email;
  });
  const rowOfId = new Map(set.people.map((p, i) => [p.id, i]));
  const truePairs = new Set(
    [...set.truePairs].map((k) => {
      const [a, b] = k.split(':').map((x) => rowOfId.get(Number(x))!);
      return pairKey(a!, b!);
    }),
  );
  const rows = set.people.map((p, i) => [emails[i]!, p.firstName, p.lastName, p.phone, p.mobile, p.company, p.city, p.postalCode]);
  return {
    csv: toCsv(['Email', 'First Name', 'Last Name', 'Phone', 'Mobile', 'Company', 'City', 'Postal Code'], rows),
    emails,
    truePairs,
    rowOf: new Map(emails.map((e, i) => [e, i])),
  };
}

interface ProductRun {
  label: string;
  rows: number;
  truePairs: number;
  afterImport: number;
  /** The check after the import, with the shipped weights. */
  untrained: ReturnType<typeof evaluate>;
  converged: boolean;
  score: ReturnType<typeof evaluate>;
  familyFalsePositives: number;
  pairsCompared: number;
  allPairs: { pairs: number; found: number; kept: number } | null;
  ms: number;
}

/**
 * The product path on a fresh SQLite database: upload and run the import, wait for the check that
 * follows it, scan everyone, read the open candidates at the threshold.
 */
async function productPath(label: string, data: LabelledCsv, allPairs: boolean): Promise<ProductRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'crm-dedup-quality-'));
  const file = path.join(dir, 'crm.db');
  await migrate({ DATABASE_URL: `file:${file}`, databaseKind: 'sqlite' });
  const host = await benchHost(dir, file, [contactsPlugin, dedupPlugin]);
  try {
    const started = performance.now();
    const imports = (host.services.contacts as ContactsServices).imports;
    const dedup = host.services.dedup as DedupApi;
    const { id } = await imports.upload({ buffer: Buffer.from(data.csv), originalName: `${label}.csv` });
    await imports.start(id);
    const done = await imports.waitFor(id);
    if (done.created !== data.emails.length) throw new Error(`${label}: ${done.created} of ${data.emails.length} rows created`);
    await dedup.idle();
    const threshold = dedup.dedup.settings.reviewThreshold;
    const openPairs = async () => {
      const rows = await host.prisma.duplicateCandidate.findMany({ where: { status: 'OPEN', score: { gte: threshold } } });
      const contacts = new Map((await host.prisma.contact.findMany({ select: { id: true, email: true } })).map((c) => [c.id, data.rowOf.get(c.email)!]));
      return new Set(rows.map((r) => pairKey(contacts.get(r.contactAId)!, contacts.get(r.contactBId)!)));
    };
    const afterImport = await openPairs();
    // The workspace learns its own weights (what the weekly job does), then scans with them.
    const trained = await dedup.dedup.train();
    const scanned = await dedup.dedup.scan();
    const found = await openPairs();
    const ms = performance.now() - started;
    const contacts = await host.prisma.contact.findMany({ include: { company: { select: { name: true } } } });
    const rowOf = (email: string) => data.rowOf.get(email)!;
    const byRow = new Map(contacts.map((c) => [rowOf(c.email), c]));
    // Look-alikes that are not one person: same surname and postal code (families at one address).
    const familyFalsePositives = [...found].filter((k) => {
      if (data.truePairs.has(k)) return false;
      const [a, b] = k.split(':').map((x) => byRow.get(Number(x))!);
      return !!a!.lastName && a!.lastName === b!.lastName && !!a!.postalCode && a!.postalCode === b!.postalCode;
    }).length;
    let every: ProductRun['allPairs'] = null;
    if (allPairs) {
      // Every pair compared by the same scoring: what blocking may lose.
      const people = contacts.map((c) => prepare({ ...c, company: c.company?.name ?? null }));
      const scorer = await dedup.models.scorer(people.length);
      const rowOfPrepared = people.map((p) => rowOf(p.person.email));

      const all = new Set<string>();
      for (let i = 0; i < people.length; i++) {
        for (let j = i + 1; j < people.length; j++)
          if (compareAtLeast(people[i]!, people[j]!, threshold, scorer)) all.add(pairKey(rowOfPrepared[i]!, rowOfPrepared[j]!));
      }
      every = { pairs: (people.length * (people.length - 1)) / 2, found: all.size, kept: [...all].filter((k) => found.has(k)).length };
    }
    return {
      label,
      rows: data.emails.length,
      truePairs: data.truePairs.size,
      afterImport: afterImport.size,
      untrained: evaluate(afterImport, data.truePairs),
      converged: trained.converged,
      score: evaluate(found, data.truePairs),
      familyFalsePositives,
      pairsCompared: scanned.pairsCompared,
      allPairs: every,
      ms,
    };
  } finally {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const quality: ProductRun[] = [];
quality.push(await productPath('synthetic 5000', syntheticCsv(SAMPLE, 11), true));
quality.push(await productPath('FEBRL dataset1', febrlContacts('dataset1.csv'), true));
quality.push(await productPath('FEBRL dataset2', febrlContacts('dataset2.csv'), true));

const qrow = (cells: string[]) => console.log(`| ${cells.join(' | ')} |`);
console.log(`\nThrough the product path (CSV import, check after the import, full scan, open candidates), threshold ${THRESHOLD}\n`);
qrow([
  'data',
  'rows',
  'true pairs',
  'found after import',
  'F1 after import (shipped weights)',
  'precision',
  'recall',
  'F1',
  'family FP',
  'pairs compared',
  'all-pairs found',
  'blocking keeps',
  'time',
]);
qrow(Array.from({ length: 13 }, () => '---'));
for (const q of quality) {
  qrow([
    q.label,
    String(q.rows),
    String(q.truePairs),
    String(q.afterImport),
    q.untrained.f1.toFixed(3),
    q.score.precision.toFixed(3),
    q.score.recall.toFixed(3),
    `${q.score.f1.toFixed(3)}${q.converged ? '' : ' (training did not converge)'}`,
    String(q.familyFalsePositives),
    String(q.pairsCompared),
    q.allPairs ? `${q.allPairs.found} of ${q.allPairs.pairs} pairs` : '',
    q.allPairs ? (q.allPairs.kept / Math.max(1, q.allPairs.found)).toFixed(3) : '',
    `${(q.ms / 1000).toFixed(1)} s`,
  ]);
}
if (process.env.DEDUP_ONLY === 'quality') process.exit(0);

const full = syntheticPeople(ROWS, 3);
const scanStart = performance.now();
const fullPrepared = full.people.map((p) => prepare(p));
let pairsCompared = 0;
const fullFound = new Set<string>();
for (const [a, b] of candidatePairs(fullPrepared)) {
  pairsCompared++;
  if (compareAtLeast(a, b, THRESHOLD)) fullFound.add(pairKey(a.person.id, b.person.id));
}
const scanMs = performance.now() - scanStart;
const fullScore = evaluate(fullFound, full.truePairs);

// The same people in SQLite, scanned by the plugin's service (load, block, score, store candidates).
const dir = mkdtempSync(path.join(tmpdir(), 'crm-dedup-bench-'));
const file = path.join(dir, 'crm.db');
await migrate({ DATABASE_URL: `file:${file}`, databaseKind: 'sqlite' });
const db = new Sqlite(file);
const now = new Date().toISOString().replace('Z', '+00:00');
const companyIds = new Map<string, number>();
const insertCompany = db.prepare('INSERT INTO "Company" (name, createdAt, updatedAt) VALUES (?, ?, ?)');
const insertContact = db.prepare(
  'INSERT OR IGNORE INTO "Contact" (id, email, firstName, lastName, phone, mobile, companyId, city, postalCode, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
);
db.transaction(() => {
  for (const p of full.people) {
    let companyId: number | null = null;
    if (p.company) {
      if (!companyIds.has(p.company)) companyIds.set(p.company, Number(insertCompany.run(p.company, now, now).lastInsertRowid));
      companyId = companyIds.get(p.company)!;
    }
    insertContact.run(p.id, p.email, p.firstName, p.lastName, p.phone, p.mobile, companyId, p.city, p.postalCode, now, now);
  }
})();
db.close();
const host = await benchHost(dir, file, [contactsPlugin, dedupPlugin]);
const service = (host.services.dedup as { dedup: DedupService }).dedup;
const scanned = await service.scan();
// One changed contact at a time, as an edit sets off: 25 different contacts, median and worst.
const singles: number[] = [];
for (let i = 0; i < 25; i++) singles.push((await service.scan([full.people[(i * 3_989) % full.people.length]!.id])).ms);
singles.sort((a, b) => a - b);
await host.stop();
rmSync(dir, { recursive: true, force: true });

const row = (cells: string[]) => console.log(cells.map((c, i) => c.padEnd([46, 22, 34][i] ?? 12)).join(' | '));
console.log(`\nDuplicate detection, threshold ${THRESHOLD}\n`);
row(['figure', 'measured', 'beside']);
row(['-'.repeat(46), '-'.repeat(22), '-'.repeat(34)]);
row([`${ROWS} people: full scan (prepare, block, score)`, `${(scanMs / 1000).toFixed(2)} s`, `${pairsCompared} pairs compared`]);
row([
  `${scanned.contacts} contacts: full scan on SQLite (service)`,
  `${(scanned.ms / 1000).toFixed(2)} s`,
  `${scanned.candidates} candidates stored; target <= 10 s`,
]);
row([`${scanned.contacts} contacts: check of one changed contact`, `median ${singles[12]} ms, max ${singles.at(-1)} ms`, `25 contacts; target < 50 ms`]);
row([
  `${ROWS} people: precision / recall / F1`,
  `${fullScore.precision.toFixed(3)} / ${fullScore.recall.toFixed(3)} / ${fullScore.f1.toFixed(3)}`,
  `target F1 >= 0.95`,
]);
