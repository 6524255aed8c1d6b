/**
 * Duplicate detection accuracy and speed on synthetic people (see scripts/dedup-synthetic.ts):
 * precision, recall and F1 at the default threshold, the recall blocking keeps against comparing
 * every pair of a sample, and the time of a full scan.
 *   npm run bench:dedup          (DEDUP_ROWS=20000 for a quicker run)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { candidatePairs, compare, compareAtLeast, prepare } from '../plugins/dedup/matching.js';
import { contactsPlugin } from '../plugins/contacts/index.js';
import { dedupPlugin } from '../plugins/dedup/index.js';
import type { DedupService } from '../plugins/dedup/dedup.service.js';
import { migrate } from '../server/migrations.js';
import { pairKey, syntheticPeople } from './dedup-synthetic.js';
import { benchHost } from './bench-host.js';

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

const sample = syntheticPeople(SAMPLE, 11);
const prepared = sample.people.map(prepare);
const started = performance.now();
const brute = new Set<string>();
for (let i = 0; i < prepared.length; i++) {
  for (let j = i + 1; j < prepared.length; j++)
    if (compare(prepared[i]!, prepared[j]!).score >= THRESHOLD) brute.add(pairKey(prepared[i]!.person.id, prepared[j]!.person.id));
}
const bruteMs = performance.now() - started;
const blocked = new Set<string>();
const blockStart = performance.now();
for (const [a, b] of candidatePairs(prepared)) if (compare(a, b).score >= THRESHOLD) blocked.add(pairKey(a.person.id, b.person.id));
const blockMs = performance.now() - blockStart;
const sampleScore = evaluate(blocked, sample.truePairs);
const bruteScore = evaluate(brute, sample.truePairs);
const keptByBlocking = [...brute].filter((k) => blocked.has(k)).length / Math.max(1, brute.size);

const full = syntheticPeople(ROWS, 3);
const scanStart = performance.now();
const fullPrepared = full.people.map(prepare);
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
row([
  `${SAMPLE} people: precision / recall / F1`,
  `${sampleScore.precision.toFixed(3)} / ${sampleScore.recall.toFixed(3)} / ${sampleScore.f1.toFixed(3)}`,
  `brute force F1 ${bruteScore.f1.toFixed(3)}`,
]);
row([`${SAMPLE} people: recall blocking keeps`, keptByBlocking.toFixed(3), `of brute force's ${brute.size} pairs`]);
row([`${SAMPLE} people: time`, `${blockMs.toFixed(0)} ms blocked`, `${bruteMs.toFixed(0)} ms every pair`]);
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
