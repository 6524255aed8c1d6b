/**
 * Learning a workspace's own weights: u from random pairs of its contacts, m by expectation-
 * maximisation on its candidate pairs, one run per blocking rule (the fields a rule blocks on are
 * biased among its pairs, so each rule estimates only the other fields), with the prior fixed at the
 * start from strict deterministic rules, bounded probabilities and a convergence check.
 */
import { blockingKeys, comparisonLevels, DEFAULT_SCORER, type PreparedPerson } from './matching.js';
import { DEFAULT_PARAMETERS, FIELDS, LEVELS, P_MAX, P_MIN, Scorer, normalised, type Field, type Levels, type ModelParameters } from './model.js';

/** Random pairs a training compares for u. */
export const RANDOM_PAIRS = 100_000;
/** Weight of the shipped u in pairs: a small workspace's few random pairs move u only a little. */
const U_PRIOR_PAIRS = 1_000;
/** A rule with fewer candidate pairs than this does not estimate m. */
const MIN_RULE_PAIRS = 30;

/** Bounds of the share of true pairs among a rule's pairs: a run that ends on one has collapsed. */
const LAMBDA_MIN = 1e-4;
const LAMBDA_MAX = 1 - 1e-4;

const FIELD_INDEX = new Map(FIELDS.map((f, i) => [f, i]));

/** The training rules: which blocking keys make a rule's pairs, and the fields they leave out. */
export const TRAINING_RULES: { name: string; prefixes: string[]; blocks: Field[] }[] = [
  { name: 'name', prefixes: ['n', 'u', 'i'], blocks: ['firstName', 'lastName'] },
  { name: 'phone', prefixes: ['p'], blocks: ['phone'] },
  { name: 'email', prefixes: ['e'], blocks: ['email'] },
  { name: 'address', prefixes: ['z', 'zn', 'sn'], blocks: ['address'] },
];

/** A deterministic PRNG (mulberry32), so a training on the same data gives the same model. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * u per field and level: how often random pairs of these people show each level, blended with the
 * shipped u. Random pairs that are likely one person (by the shipped model) are left out: u is about
 * strangers, and in a small workspace the few true pairs would otherwise make agreement look common.
 */
export function estimateU(
  people: PreparedPerson[],
  options: { pairs?: number; seed?: number; scorer?: Scorer; priorPairs?: number } = {},
): { u: Record<Field, number[]>; pairs: number } {
  const counts = FIELDS.map((f) => new Array<number>(LEVELS[f].length).fill(0));
  const wanted = people.length < 2 ? 0 : Math.min(options.pairs ?? RANDOM_PAIRS, (people.length * (people.length - 1)) / 2);
  const next = random(options.seed ?? 1);
  const scorer = options.scorer ?? DEFAULT_SCORER;
  for (let k = 0; k < wanted; k++) {
    const i = Math.floor(next() * people.length);
    let j = Math.floor(next() * (people.length - 1));
    if (j >= i) j++;
    const levels = comparisonLevels(people[i]!, people[j]!, scorer);
    if (scorer.bits(levels) >= 0) continue;
    for (let f = 0; f < FIELDS.length; f++) if (levels[f]! >= 0) counts[f]![levels[f]!]!++;
  }
  const prior = options.priorPairs ?? U_PRIOR_PAIRS;
  const u = {} as Record<Field, number[]>;
  FIELDS.forEach((field, f) => {
    const total = counts[f]!.reduce((s, x) => s + x, 0);
    u[field] = counts[f]!.map((c, level) => (c + prior * DEFAULT_PARAMETERS.fields[field].u[level]!) / (total + prior));
  });
  return { u, pairs: wanted };
}

export interface EmResult {
  m: Record<Field, number[]>;
  /** Share of the pairs that are one person. */
  lambda: number;
  iterations: number;
  converged: boolean;
}

/**
 * Expectation-maximisation of m (u held fixed) over comparison vectors, using only the fields in
 * `use`: each pair's match probability from the current m and prior (E), then m as the expected
 * share of true pairs at each level and the prior as the mean probability (M), until neither moves
 * by more than `tolerance`. Probabilities stay within [P_MIN, P_MAX], the prior within [LAMBDA_MIN, LAMBDA_MAX].
 */
export function expectationMaximisation(
  vectors: Levels[],
  start: { m: Record<Field, number[]>; u: Record<Field, number[]>; lambda: number },
  use: Field[],
  options: { maxIterations?: number; tolerance?: number } = {},
): EmResult {
  const fields = use.map((f) => FIELD_INDEX.get(f)!);
  const m = Object.fromEntries(FIELDS.map((f) => [f, [...start.m[f]]])) as Record<Field, number[]>;
  const logU = fields.map((f) => start.u[FIELDS[f]!].map((x) => Math.log(Math.min(P_MAX, Math.max(P_MIN, x)))));
  let lambda = Math.min(LAMBDA_MAX, Math.max(LAMBDA_MIN, start.lambda));
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-5;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations++;
    const logM = fields.map((f) => m[FIELDS[f]!].map((x) => Math.log(Math.min(P_MAX, Math.max(P_MIN, x)))));
    const sums = fields.map((f) => new Array<number>(LEVELS[FIELDS[f]!].length).fill(0));
    const totals = new Array<number>(fields.length).fill(0);
    let expected = 0;
    const logPrior = Math.log(lambda / (1 - lambda));
    for (const v of vectors) {
      let odds = logPrior;
      for (let k = 0; k < fields.length; k++) {
        const level = v[fields[k]!]!;
        if (level >= 0) odds += logM[k]![level]! - logU[k]![level]!;
      }
      const p = 1 / (1 + Math.exp(-odds));
      expected += p;
      for (let k = 0; k < fields.length; k++) {
        const level = v[fields[k]!]!;
        if (level < 0) continue;
        sums[k]![level]! += p;
        totals[k]! += p;
      }
    }
    let moved = 0;
    fields.forEach((f, k) => {
      if (totals[k]! <= 0) return;
      const field = FIELDS[f]!;
      const next = sums[k]!.map((s) => Math.min(P_MAX, Math.max(P_MIN, s / totals[k]!)));
      const sum = next.reduce((a, b) => a + b, 0);
      next.forEach((x, level) => {
        moved = Math.max(moved, Math.abs(x / sum - m[field][level]!));
        m[field][level] = x / sum;
      });
    });
    const nextLambda = Math.min(LAMBDA_MAX, Math.max(LAMBDA_MIN, vectors.length ? expected / vectors.length : lambda));
    moved = Math.max(moved, Math.abs(nextLambda - lambda));
    lambda = nextLambda;
    converged = moved < tolerance;
  }
  return { m, lambda, iterations, converged };
}

/** Strict deterministic rules: pairs that are one person beyond doubt (same mailbox name, or same mobile and close names). */
export function surelyOnePerson(levels: Levels): boolean {
  const [first, last, email, , phone] = levels;
  return email === 0 || (phone === 0 && first! >= 0 && first! <= 1 && last! >= 0 && last! <= 1);
}

export interface TrainingReport {
  parameters: ModelParameters;
  contacts: number;
  candidatePairs: number;
  randomPairs: number;
  /** Pairs the deterministic rules take for one person (what the prior starts from). */
  surePairs: number;
  converged: boolean;
  rules: { rule: string; pairs: number; iterations: number; converged: boolean; lambda: number; used: boolean }[];
}

/**
 * Trains a model on these people and their candidate pairs. Each rule's m is kept only if the run
 * converged and agreement still counts for a pair (m above u at the best level); each field's m is the
 * mean of the rules that estimated it, weighted by their expected true pairs; a field no rule could
 * estimate keeps the shipped m.
 */
export function train(
  people: PreparedPerson[],
  pairs: [PreparedPerson, PreparedPerson][],
  options: { randomPairs?: number; seed?: number } = {},
): TrainingReport {
  const scorer = new Scorer(DEFAULT_PARAMETERS, people.length);
  const { u, pairs: randomPairs } = estimateU(people, { pairs: options.randomPairs, seed: options.seed, scorer });
  const keys = new Map<PreparedPerson, Set<string>>();
  const prefixesOf = (p: PreparedPerson) => {
    let set = keys.get(p);
    if (!set) keys.set(p, (set = new Set(blockingKeys(p))));
    return set;
  };
  const vectors = pairs.map(([a, b]) => {
    const shared = new Set<string>();
    const bKeys = prefixesOf(b);
    for (const k of prefixesOf(a)) if (bKeys.has(k)) shared.add(k.slice(0, k.indexOf(':')));
    return { levels: comparisonLevels(a, b, scorer), shared };
  });
  const sure = vectors.filter((v) => surelyOnePerson(v.levels)).length;
  const startM = Object.fromEntries(FIELDS.map((f) => [f, [...DEFAULT_PARAMETERS.fields[f].m]])) as Record<Field, number[]>;
  const estimates = new Map<Field, { m: number[]; weight: number }[]>();
  const rules: TrainingReport['rules'] = [];
  let expectedMatches = 0;
  for (const rule of TRAINING_RULES) {
    const ruleVectors = vectors.filter((v) => rule.prefixes.some((p) => v.shared.has(p))).map((v) => v.levels);
    if (ruleVectors.length < MIN_RULE_PAIRS) continue;
    const ruleSure = ruleVectors.filter(surelyOnePerson).length;
    const use = FIELDS.filter((f) => !rule.blocks.includes(f));
    const result = expectationMaximisation(ruleVectors, { m: startM, u, lambda: Math.max(0.01, ruleSure / ruleVectors.length) }, use);
    const sane = result.converged && result.lambda > LAMBDA_MIN && result.lambda < LAMBDA_MAX;
    rules.push({ rule: rule.name, pairs: ruleVectors.length, iterations: result.iterations, converged: result.converged, lambda: result.lambda, used: sane });
    if (!sane) continue;
    expectedMatches = Math.max(expectedMatches, result.lambda * ruleVectors.length);
    for (const field of use) {
      const m = result.m[field];
      if (m[0]! <= u[field][0]!) continue; // agreement must still count for a pair
      estimates.set(field, [...(estimates.get(field) ?? []), { m, weight: result.lambda * ruleVectors.length }]);
    }
  }
  const fields = {} as ModelParameters['fields'];
  for (const field of FIELDS) {
    const list = estimates.get(field);
    const total = list?.reduce((s, e) => s + e.weight, 0) ?? 0;
    const m =
      list && total > 0 ? LEVELS[field].map((_, level) => list.reduce((s, e) => s + e.m[level]! * e.weight, 0) / total) : DEFAULT_PARAMETERS.fields[field].m;
    fields[field] = { m, u: u[field] };
  }
  // True pairs per contact: the most any rule expects among its pairs (each rule sees a part of them),
  // never below what the deterministic rules alone find.
  const perContact = expectedMatches && people.length ? expectedMatches / people.length : DEFAULT_PARAMETERS.duplicatesPerContact;
  const duplicatesPerContact = Math.min(1, Math.max(perContact, people.length ? sure / people.length : 0, 0.001));
  return {
    parameters: normalised({ duplicatesPerContact, fields }),
    contacts: people.length,
    candidatePairs: pairs.length,
    randomPairs,
    surePairs: sure,
    converged: rules.some((r) => r.used),
    rules,
  };
}
