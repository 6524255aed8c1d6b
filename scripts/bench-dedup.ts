/**
 * Duplicate detection accuracy and speed on synthetic people (see scripts/dedup-synthetic.ts):
 * precision, recall and F1 at the default threshold, the recall blocking keeps against comparing
 * every pair of a sample, and the time of a full scan.
 *   npm run bench:dedup          (DEDUP_ROWS=20000 for a quicker run)
 */
import { candidatePairs, compare, prepare } from '../plugins/dedup/matching.js';
import { pairKey, syntheticPeople } from './dedup-synthetic.js';

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
  for (let j = i + 1; j < prepared.length; j++) if (compare(prepared[i]!, prepared[j]!).score >= THRESHOLD) brute.add(pairKey(prepared[i]!.person.id, prepared[j]!.person.id));
}
const bruteMs = performance.now() - started;
const blocked = new Set<string>();
const blockStart = performance.now();
for (const [a, b] of candidatePairs(prepared).values()) if (compare(a, b).score >= THRESHOLD) blocked.add(pairKey(a.person.id, b.person.id));
const blockMs = performance.now() - blockStart;
const sampleScore = evaluate(blocked, sample.truePairs);
const bruteScore = evaluate(brute, sample.truePairs);
const keptByBlocking = [...brute].filter((k) => blocked.has(k)).length / Math.max(1, brute.size);

const full = syntheticPeople(ROWS, 3);
const scanStart = performance.now();
const fullPrepared = full.people.map(prepare);
const pairs = candidatePairs(fullPrepared);
const fullFound = new Set<string>();
for (const [a, b] of pairs.values()) if (compare(a, b).score >= THRESHOLD) fullFound.add(pairKey(a.person.id, b.person.id));
const scanMs = performance.now() - scanStart;
const fullScore = evaluate(fullFound, full.truePairs);

const row = (cells: string[]) => console.log(cells.map((c, i) => c.padEnd([46, 22, 34][i] ?? 12)).join(' | '));
console.log(`\nDuplicate detection, threshold ${THRESHOLD}\n`);
row(['figure', 'measured', 'beside']);
row(['-'.repeat(46), '-'.repeat(22), '-'.repeat(34)]);
row([`${SAMPLE} people: precision / recall / F1`, `${sampleScore.precision.toFixed(3)} / ${sampleScore.recall.toFixed(3)} / ${sampleScore.f1.toFixed(3)}`, `brute force F1 ${bruteScore.f1.toFixed(3)}`]);
row([`${SAMPLE} people: recall blocking keeps`, keptByBlocking.toFixed(3), `of brute force's ${brute.size} pairs`]);
row([`${SAMPLE} people: time`, `${blockMs.toFixed(0)} ms blocked`, `${bruteMs.toFixed(0)} ms every pair`]);
row([`${ROWS} people: full scan (prepare, block, score)`, `${(scanMs / 1000).toFixed(2)} s`, `${pairs.size} pairs compared`]);
row([`${ROWS} people: precision / recall / F1`, `${fullScore.precision.toFixed(3)} / ${fullScore.recall.toFixed(3)} / ${fullScore.f1.toFixed(3)}`, `target F1 >= 0.95`]);
