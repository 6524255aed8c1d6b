import type { Database } from '../../server/db.js';
import { DEFAULT_PARAMETERS, FIELD_LABELS, FIELDS, LEVELS, Scorer, type ModelParameters } from './model.js';
import type { TrainingReport } from './training.js';

export interface ModelView {
  /** 0: the shipped defaults (no training yet). */
  version: number;
  trainedAt: Date | null;
  contacts: number | null;
  candidatePairs: number | null;
  randomPairs: number | null;
  converged: boolean | null;
  duplicatesPerContact: number;
  rules: unknown;
  /** Each field's levels with m, u and the weight in bits (log2 m/u, bounded). */
  fields: { field: string; label: string; levels: { level: string; m: number; u: number; weight: number }[] }[];
}

/** The stored, versioned models: the newest scores; the shipped defaults until the first training. */
export class DedupModelService {
  private cached: { version: number; parameters: ModelParameters } = { version: 0, parameters: DEFAULT_PARAMETERS };

  constructor(private readonly prisma: Database) {}

  /** The newest model (one indexed read of its id; its parameters only when it changed). */
  async current(): Promise<{ version: number; parameters: ModelParameters }> {
    const newest = await this.prisma.dedupModel.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
    const version = newest?.id ?? 0;
    if (version !== this.cached.version) {
      const row = version ? await this.prisma.dedupModel.findUnique({ where: { id: version }, select: { parameters: true } }) : null;
      this.cached = { version, parameters: row ? (row.parameters as unknown as ModelParameters) : DEFAULT_PARAMETERS };
    }
    return this.cached;
  }

  /** The newest model made ready to score a workspace of `contacts` (counted when not given). */
  async scorer(contacts?: number): Promise<Scorer> {
    const [{ version, parameters }, count] = await Promise.all([this.current(), contacts ?? this.prisma.contact.count()]);
    return new Scorer(parameters, count, version);
  }

  /** Stores a training's model as the next version. */
  async save(report: TrainingReport): Promise<number> {
    const row = await this.prisma.dedupModel.create({
      data: {
        parameters: report.parameters as never,
        contacts: report.contacts,
        candidatePairs: report.candidatePairs,
        randomPairs: report.randomPairs,
        converged: report.converged,
        rules: report.rules as never,
      },
    });
    return row.id;
  }

  /** The newest model as the Deduplication page and `dedup:train` show it. */
  async view(): Promise<ModelView> {
    const { version } = await this.current();
    const row = version ? await this.prisma.dedupModel.findUnique({ where: { id: version } }) : null;
    const scorer = await this.scorer(row?.contacts);
    const parameters = scorer.parameters;
    return {
      version,
      trainedAt: row?.createdAt ?? null,
      contacts: row?.contacts ?? null,
      candidatePairs: row?.candidatePairs ?? null,
      randomPairs: row?.randomPairs ?? null,
      converged: row?.converged ?? null,
      duplicatesPerContact: parameters.duplicatesPerContact,
      rules: row?.rules ?? [],
      fields: FIELDS.map((field) => ({
        field,
        label: FIELD_LABELS[field],
        levels: LEVELS[field].map((level, i) => ({
          level,
          m: parameters.fields[field].m[i]!,
          u: parameters.fields[field].u[i]!,
          weight: Math.round(scorer.weight(field, i) * 100) / 100,
        })),
      })),
    };
  }
}
