/**
 * The Fellegi-Sunter model of duplicate detection: each field of a pair is compared into one of a few
 * graded levels; each level has m (how often a true pair shows it) and u (how often two random
 * people show it); the pair's weight is the prior log-odds plus log2(m/u) of each field's level, and
 * the match probability is the score. Missing fields weigh nothing.
 */

export const FIELDS = ['firstName', 'lastName', 'email', 'employer', 'phone', 'address', 'country', 'birthDate'] as const;
export type Field = (typeof FIELDS)[number];

/** The levels of each field, best agreement first (index = level); the last is "different". */
export const LEVELS: Record<Field, readonly string[]> = {
  firstName: ['exact', 'close spelling', 'similar spelling', 'sounds alike', 'initial', 'different'],
  lastName: ['exact', 'close spelling', 'similar spelling', 'sounds alike', 'initial', 'different'],
  email: ['same email name', 'different'],
  employer: ['same employer', 'different'],
  phone: ['same mobile', 'same landline', 'mobile one digit apart', 'different'],
  address: [
    'same address',
    'same street, other postcode',
    'same street',
    'similar street, same area',
    'same postcode',
    'same postcode, other street',
    'same city',
    'similar postcode',
    'same region',
    'different',
  ],
  country: ['same', 'different'],
  birthDate: ['same', 'different'],
};

export const FIELD_LABELS: Record<Field, string> = {
  firstName: 'first name',
  lastName: 'last name',
  email: 'email',
  employer: 'employer',
  phone: 'phone',
  address: 'address',
  country: 'country',
  birthDate: 'date of birth',
};

export interface FieldParameters {
  m: number[];
  u: number[];
}

/** Stored as a model's parameters (versioned in DedupModel). */
export interface ModelParameters {
  /** Expected true pairs per contact: with the number of contacts, the prior of a random pair. */
  duplicatesPerContact: number;
  fields: Record<Field, FieldParameters>;
}

/**
 * Shipped defaults, used until the workspace trains its own: set by hand from the shape of typical
 * contact data (u: how rare each agreement is between strangers; m: how often a duplicate keeps it).
 */
export const DEFAULT_PARAMETERS: ModelParameters = {
  duplicatesPerContact: 0.1,
  fields: {
    firstName: { m: [0.8, 0.07, 0.03, 0.02, 0.04, 0.04], u: [0.005, 0.002, 0.008, 0.005, 0.002, 0.978] },
    lastName: { m: [0.82, 0.08, 0.03, 0.02, 0.01, 0.04], u: [0.001, 0.001, 0.004, 0.003, 0.0005, 0.9905] },
    email: { m: [0.3, 0.7], u: [0.0001, 0.9999] },
    employer: { m: [0.6, 0.4], u: [0.02, 0.98] },
    phone: { m: [0.5, 0.3, 0.05, 0.15], u: [0.00001, 0.0002, 0.0001, 0.99969] },
    address: {
      m: [0.6, 0.05, 0.05, 0.05, 0.1, 0.04, 0.03, 0.02, 0.02, 0.04],
      u: [0.00001, 0.00001, 0.00005, 0.0001, 0.001, 0.002, 0.005, 0.002, 0.1, 0.88973],
    },
    country: { m: [0.97, 0.03], u: [0.5, 0.5] },
    birthDate: { m: [0.9, 0.1], u: [0.0001, 0.9999] },
  },
};

/** Probabilities are kept inside these bounds, so no level ever weighs infinitely. */
export const P_MIN = 1e-6;
export const P_MAX = 1 - 1e-6;
const clamp = (p: number) => Math.min(P_MAX, Math.max(P_MIN, p));

/** Workspaces smaller than this are scored as if they had this many contacts (a handful of people is no reason to expect duplicates). */
const MIN_CONTACTS = 1_000;

/** The comparison of a pair: one level per field, -1 where a field is missing on either side. */
export type Levels = Int8Array;

export interface Contribution {
  field: Field;
  level: string;
  weight: number;
}

/** A model made ready to score: weights log2(m/u) per field and level, and the prior in bits. */
export class Scorer {
  readonly weights: Record<Field, Float64Array>;
  readonly best: Record<Field, number>;
  /** log2 of the prior odds that a random pair is one person. */
  readonly prior: number;

  constructor(
    readonly parameters: ModelParameters,
    contacts: number,
    /** The stored model's version (0: the shipped defaults). */
    readonly version = 0,
  ) {
    const n = Math.max(MIN_CONTACTS, contacts);
    const lambda = Math.min(0.5, (2 * parameters.duplicatesPerContact) / (n - 1));
    this.prior = Math.log2(lambda / (1 - lambda));
    this.weights = {} as Record<Field, Float64Array>;
    this.best = {} as Record<Field, number>;
    for (const field of FIELDS) {
      const { m, u } = parameters.fields[field];
      const weights = Float64Array.from(m, (mi, i) => Math.log2(clamp(mi) / clamp(u[i]!)));
      // Sane bounds: the best agreement never counts against a pair, a clear difference never for it.
      weights[0] = Math.max(0, weights[0]!);
      weights[weights.length - 1] = Math.min(0, weights[weights.length - 1]!);
      this.weights[field] = weights;
      this.best[field] = Math.max(0, ...this.weights[field]);
    }
  }

  weight(field: Field, level: number): number {
    return level < 0 ? 0 : this.weights[field][level]!;
  }

  /** The pair's weight in bits: the prior and every field's (without the family rule or a swap). */
  bits(levels: Levels): number {
    let bits = this.prior;
    for (let i = 0; i < FIELDS.length; i++) if (levels[i]! >= 0) bits += this.weights[FIELDS[i]!][levels[i]!]!;
    return bits;
  }

  /** Each field's part of the weight (missing fields left out), in field order. */
  contributions(levels: Levels): Contribution[] {
    return FIELDS.flatMap((field, i) => (levels[i]! < 0 ? [] : [{ field, level: LEVELS[field][levels[i]!]!, weight: this.weights[field][levels[i]!]! }]));
  }
}

export const toProbability = (bits: number) => 1 / (1 + 2 ** -bits);
export const toBits = (p: number) => Math.log2(p / (1 - p));

/** Copies parameters (m and u rows renormalised, bounded). */
export function normalised(parameters: ModelParameters): ModelParameters {
  const fields = {} as Record<Field, FieldParameters>;
  for (const field of FIELDS) {
    const { m, u } = parameters.fields[field];
    const norm = (p: number[]) => {
      const bounded = p.map(clamp);
      const sum = bounded.reduce((s, x) => s + x, 0);
      return bounded.map((x) => x / sum);
    };
    fields[field] = { m: norm(m), u: norm(u) };
  }
  return { duplicatesPerContact: parameters.duplicatesPerContact, fields };
}
