import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMETERS, FIELDS, LEVELS, type Field } from '../../plugins/dedup/model.js';
import { estimateU, expectationMaximisation, train } from '../../plugins/dedup/training.js';
import { candidatePairs, prepare, type Person } from '../../plugins/dedup/matching.js';
import { syntheticPeople } from '../../scripts/dedup-synthetic.js';

/** A seeded PRNG for generated comparison vectors. */
function rng(seed: number) {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

const draw = (p: number[], r: number) => {
  let acc = 0;
  for (let i = 0; i < p.length; i++) if (r < (acc += p[i]!)) return i;
  return p.length - 1;
};

/** Comparison vectors drawn from known m and u (a share `lambda` of them true pairs). */
function vectors(known: Partial<Record<Field, { m: number[]; u: number[] }>>, lambda: number, count: number, seed: number) {
  const next = rng(seed);
  const out: Int8Array[] = [];
  for (let k = 0; k < count; k++) {
    const match = next() < lambda;
    const v = new Int8Array(FIELDS.length).fill(-1);
    FIELDS.forEach((f, i) => {
      const p = known[f];
      if (p) v[i] = draw(match ? p.m : p.u, next());
    });
    out.push(v);
  }
  return out;
}

const start = () => ({
  m: Object.fromEntries(FIELDS.map((f) => [f, [...DEFAULT_PARAMETERS.fields[f].m]])) as Record<Field, number[]>,
  u: Object.fromEntries(FIELDS.map((f) => [f, [...DEFAULT_PARAMETERS.fields[f].u]])) as Record<Field, number[]>,
});

const known = {
  firstName: { m: [0.7, 0.1, 0.05, 0.05, 0.05, 0.05], u: [0.02, 0.01, 0.02, 0.02, 0.01, 0.92] },
  lastName: { m: [0.75, 0.1, 0.05, 0.02, 0.02, 0.06], u: [0.01, 0.01, 0.02, 0.02, 0.01, 0.93] },
  phone: { m: [0.6, 0.1, 0.1, 0.2], u: [0.001, 0.01, 0.01, 0.979] },
  address: { m: [0.5, 0.1, 0.05, 0.05, 0.1, 0.05, 0.05, 0.04, 0.03, 0.03], u: [0.001, 0.001, 0.002, 0.005, 0.01, 0.02, 0.03, 0.03, 0.2, 0.701] },
};

describe('training the model', () => {
  it('recovers known m and the share of true pairs by expectation-maximisation, and converges', () => {
    const data = vectors(known, 0.3, 40_000, 7);
    const s = start();
    for (const f of Object.keys(known) as (keyof typeof known)[]) s.u[f] = known[f].u;
    const result = expectationMaximisation(data, { ...s, lambda: 0.1 }, ['firstName', 'lastName', 'phone', 'address']);
    expect(result.converged).toBe(true);
    expect(result.iterations).toBeLessThan(100);
    expect(result.lambda).toBeCloseTo(0.3, 1);
    for (const f of Object.keys(known) as (keyof typeof known)[]) {
      result.m[f].forEach((m, level) => expect(Math.abs(m - known[f].m[level]!)).toBeLessThan(0.03));
    }
  });

  it('does not collapse when one field is always equal', () => {
    const always = { m: [1, 0], u: [1, 0] };
    const data = vectors({ ...known, country: always }, 0.2, 30_000, 11);
    const s = start();
    for (const f of Object.keys(known) as (keyof typeof known)[]) s.u[f] = known[f].u;
    s.u.country = [1 - 1e-6, 1e-6];
    const result = expectationMaximisation(data, { ...s, lambda: 0.5 }, ['firstName', 'lastName', 'phone', 'address', 'country']);
    expect(result.converged).toBe(true);
    expect(result.lambda).toBeGreaterThan(0.15);
    expect(result.lambda).toBeLessThan(0.25);
    expect(Math.abs(result.m.lastName[0]! - known.lastName.m[0]!)).toBeLessThan(0.03);
    expect(Math.abs(result.m.phone[0]! - known.phone.m[0]!)).toBeLessThan(0.03);
    // The field that always agrees carries no weight either way: m and u both near 1.
    expect(result.m.country[0]).toBeGreaterThan(0.99);
  });

  it('estimates u from random pairs of the workspace (a common first name agrees often between strangers)', () => {
    let id = 0;
    const names = ['Anna', 'Ben', 'Carl', 'Dora', 'Emil', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jana'];
    const people = Array.from({ length: 2_000 }, (_, i): Person => {
      const n = ++id;
      return {
        id: n,
        email: `p${n}@example.com`,
        firstName: names[i % 10]!,
        lastName: `Q${n.toString(36)}x${(n * 7919).toString(36)}`,
        phone: null,
        mobile: null,
        company: null,
        city: null,
        postalCode: null,
        country: 'AU',
      };
    }).map((p) => prepare(p));
    const { u, pairs } = estimateU(people, { pairs: 30_000 });
    expect(pairs).toBe(30_000);
    // One in ten random pairs share the first name; the shipped u (one in two hundred) weighs ~1,000 pairs.
    expect(u.firstName[0]).toBeGreaterThan(0.085);
    expect(u.firstName[0]).toBeLessThan(0.11);
    expect(u.country[0]).toBeGreaterThan(0.95);
    for (const f of FIELDS) expect(u[f].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
  });

  it('trains on synthetic people: each rule converges, m favours agreement, levels stay probabilities', () => {
    const people = syntheticPeople(3_000, 21).people.map((p) => prepare(p));
    const report = train(people, [...candidatePairs(people)], { randomPairs: 20_000 });
    expect(report.converged).toBe(true);
    expect(report.rules.length).toBeGreaterThanOrEqual(2);
    expect(report.surePairs).toBeGreaterThan(0);
    for (const f of FIELDS) {
      const { m, u } = report.parameters.fields[f];
      expect(m).toHaveLength(LEVELS[f].length);
      expect(m.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      expect(u.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    }
    expect(report.parameters.fields.lastName.m[0]!).toBeGreaterThan(report.parameters.fields.lastName.u[0]!);
    expect(report.parameters.duplicatesPerContact).toBeGreaterThan(0.02);
    expect(report.parameters.duplicatesPerContact).toBeLessThan(0.5);
  });
});
