import { z } from 'zod';
import type { ScoreGrade, ScoringRule, ScoringSettings } from '@prisma/client';
import type { Database } from '../../server/db.js';
import { NotFoundError, ValidationError } from '../../server/errors.js';
import { OneAtATime } from '../../server/one-at-a-time.js';
import { BUYING_ROLES, type ListExtension } from '../contacts/public.js';
import { findInChunks } from '../../server/id-lists.js';
import {
  ACTIVITY_SIGNALS,
  DEFAULT_RULES,
  FIT_SIGNALS,
  NEGATIVE_SIGNALS,
  compileRules,
  computeScore,
  gradeFor,
  isActivitySignal,
  type Factor,
  type GradeThresholds,
  type ScoreResult,
} from './score-engine.js';
import type { ScoreStore } from './score-store.js';

export const SIGNALS = [...(Object.keys(ACTIVITY_SIGNALS) as (keyof typeof ACTIVITY_SIGNALS)[]), ...FIT_SIGNALS, ...NEGATIVE_SIGNALS] as const;
export const GRADES = ['A', 'B', 'C', 'D', 'F'] as const;

const ruleFields = {
  name: z.string().trim().min(1).max(100),
  signal: z.enum(SIGNALS),
  points: z.number().min(-100).max(100),
  cap: z.number().positive().max(100).nullable(),
  halfLifeDays: z.number().positive().max(3650).nullable(),
  keywords: z.string().trim().max(1000).nullable(),
  days: z.number().int().min(1).max(3650).nullable(),
  enabled: z.boolean(),
};

export const ruleCreateInput = z.strictObject({
  ...ruleFields,
  cap: ruleFields.cap.optional(),
  halfLifeDays: ruleFields.halfLifeDays.optional(),
  keywords: ruleFields.keywords.optional(),
  days: ruleFields.days.optional(),
  enabled: ruleFields.enabled.optional(),
});
export const ruleUpdateInput = z.strictObject(ruleFields).partial();

export const settingsInput = z
  .strictObject({
    fitMax: z.number().int().min(0).max(100),
    gradeA: z.number().int().min(1).max(100),
    gradeB: z.number().int().min(1).max(100),
    gradeC: z.number().int().min(1).max(100),
    gradeD: z.number().int().min(1).max(100),
  })
  .partial();

type RuleData = z.output<typeof ruleUpdateInput>;
export type GradeCounts = Record<ScoreGrade, number>;

/** Checks that belong to one signal: what a rule of that kind needs and may not have. */
function assertRuleFits(rule: Required<RuleData>): void {
  const activity = isActivitySignal(rule.signal);
  if (!activity && rule.halfLifeDays !== null) throw ValidationError.field('halfLifeDays', `only activity signals decay; ${rule.signal} does not`);
  if (rule.signal === 'SENIORITY' && !rule.keywords) throw ValidationError.field('keywords', 'SENIORITY needs the words to look for in the job title');
  if (rule.signal === 'BUYING_ROLE' && rule.keywords) {
    const unknown = rule.keywords
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k && !(BUYING_ROLES as readonly string[]).includes(k));
    if (unknown.length) throw ValidationError.field('keywords', `unknown buying roles: ${unknown.join(', ')} (known: ${BUYING_ROLES.join(', ')})`);
  }
  if (rule.signal === 'NO_ACTIVITY' && rule.days === null) throw ValidationError.field('days', 'NO_ACTIVITY needs the number of days without activity');
  if (rule.signal !== 'NO_ACTIVITY' && rule.days !== null) throw ValidationError.field('days', `only NO_ACTIVITY uses days`);
}

function assertThresholds(t: GradeThresholds): void {
  if (!(t.gradeA > t.gradeB && t.gradeB > t.gradeC && t.gradeC > t.gradeD)) {
    throw ValidationError.field('gradeA', `grade thresholds must fall from A to D (got A ${t.gradeA}, B ${t.gradeB}, C ${t.gradeC}, D ${t.gradeD})`);
  }
}

const emptyCounts = (): GradeCounts => ({ A: 0, B: 0, C: 0, D: 0, F: 0 });

/**
 * Lead scores: the rules and settings, scoring some contacts or everyone, and the scores read back.
 * Scoring runs one job at a time, so an incremental rescore never interleaves with a full one.
 */
export class ScoringService {
  private readonly jobs = new OneAtATime();

  constructor(
    private readonly prisma: Database,
    private readonly openStore: () => ScoreStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Resolves when the scoring work queued so far is done. */
  idle(): Promise<void> {
    return this.jobs.idle();
  }

  async listRules(): Promise<ScoringRule[]> {
    await this.settings();
    return this.prisma.scoringRule.findMany({ orderBy: { id: 'asc' } });
  }

  async createRule(input: unknown): Promise<ScoringRule> {
    const parsed = ruleCreateInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const data = { cap: null, halfLifeDays: null, keywords: null, days: null, enabled: true, ...parsed.data };
    assertRuleFits(data);
    await this.settings();
    return this.prisma.scoringRule.create({ data });
  }

  async updateRule(id: number, input: unknown): Promise<ScoringRule> {
    const parsed = ruleUpdateInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const current = await this.prisma.scoringRule.findUnique({ where: { id } });
    if (!current) throw new NotFoundError('Scoring rule', id);
    const { createdAt: _c, updatedAt: _u, id: _id, ...fields } = current;
    assertRuleFits({ ...fields, ...parsed.data });
    return this.prisma.scoringRule.update({ where: { id }, data: parsed.data });
  }

  async deleteRule(id: number): Promise<void> {
    const { count } = await this.prisma.scoringRule.deleteMany({ where: { id } });
    if (!count) throw new NotFoundError('Scoring rule', id);
  }

  /** The settings row; the first call also installs the default rules, once per database. */
  async settings(): Promise<ScoringSettings> {
    const existing = await this.prisma.scoringSettings.findUnique({ where: { id: 1 } });
    if (existing) return existing;
    try {
      return await this.prisma.$transaction(async (tx) => {
        await tx.scoringRule.createMany({ data: DEFAULT_RULES });
        return tx.scoringSettings.create({ data: { id: 1 } });
      });
    } catch (err) {
      const raced = await this.prisma.scoringSettings.findUnique({ where: { id: 1 } });
      if (raced) return raced;
      throw err;
    }
  }

  async updateSettings(input: unknown): Promise<ScoringSettings> {
    const parsed = settingsInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const { id: _id, updatedAt: _u, ...current } = await this.settings();
    assertThresholds({ ...current, ...parsed.data });
    return this.prisma.scoringSettings.update({ where: { id: 1 }, data: parsed.data });
  }

  /** Computes without saving: for the contacts given, or everyone. */
  private async compute(store: ScoreStore, contactIds?: number[]): Promise<ScoreResult[]> {
    const now = this.now();
    const settings = await this.settings();
    const rules = await this.prisma.scoringRule.findMany({ orderBy: { id: 'asc' } });
    const compiled = compileRules(rules);
    const facts = await store.facts(compiled, now, contactIds);
    return facts.map((f) => computeScore(f, compiled, settings, now));
  }

  private async withStore<T>(work: (store: ScoreStore) => Promise<T>): Promise<T> {
    const store = this.openStore();
    try {
      return await work(store);
    } finally {
      store.close();
    }
  }

  /** Rescores the given contacts now (after the scoring work already queued). */
  rescore(contactIds: number[]): Promise<{ contacts: number; changed: number }> {
    return this.jobs.run(() =>
      this.withStore(async (store) => {
        const results = await this.compute(store, [...new Set(contactIds)]);
        return { contacts: results.length, changed: await store.save(results, this.now(), false) };
      }),
    );
  }

  /** Rescores every contact with decay up to now: two aggregate reads and one write transaction. */
  rescoreAll(): Promise<{ contacts: number; changed: number; ms: number }> {
    return this.jobs.run(() =>
      this.withStore(async (store) => {
        const started = performance.now();
        const results = await this.compute(store);
        const changed = await store.save(results, this.now(), true);
        return { contacts: results.length, changed, ms: Math.round(performance.now() - started) };
      }),
    );
  }

  /** A contact's score with breakdown and trend; scored on the spot if it has no score yet. */
  async score(contactId: number, historyLimit = 30) {
    const contact = await this.prisma.contact.findUnique({ where: { id: contactId }, select: { id: true } });
    if (!contact) throw new NotFoundError('Contact', contactId);
    let current = await this.prisma.contactScore.findUnique({ where: { contactId } });
    if (!current) {
      await this.rescore([contactId]);
      current = await this.prisma.contactScore.findUnique({ where: { contactId } });
    }
    if (!current) throw new NotFoundError('Contact', contactId);
    const history = await this.prisma.scoreHistory.findMany({
      where: { contactId },
      orderBy: { recordedAt: 'desc' },
      take: historyLimit,
      select: { score: true, grade: true, recordedAt: true },
    });
    const { id: _id, breakdown, ...score } = current;
    return { ...score, breakdown: breakdown as unknown as Factor[], history: history.reverse() };
  }

  /** How many contacts each grade holds, by the stored scores; with other thresholds when given. */
  async distribution(thresholds?: GradeThresholds): Promise<GradeCounts> {
    if (thresholds) assertThresholds(thresholds);
    const counts = emptyCounts();
    if (thresholds) {
      const byScore = await this.prisma.contactScore.groupBy({ by: ['score'], _count: { _all: true } });
      for (const row of byScore) counts[gradeFor(row.score, thresholds)] += row._count._all;
    } else {
      const byGrade = await this.prisma.contactScore.groupBy({ by: ['grade'], _count: { _all: true } });
      for (const row of byGrade) counts[row.grade] = row._count._all;
    }
    return counts;
  }

  /** Score, grade and fit/engagement for the contact list: a filter by range and grade, a sort, columns. */
  listExtension(): ListExtension {
    const column = (field: 'score' | 'grade') => async (contactIds: number[]) => {
      const scores = await findInChunks(contactIds, (chunk) =>
        this.prisma.contactScore.findMany({ where: { contactId: { in: chunk } }, select: { contactId: true, score: true, grade: true } }),
      );
      return new Map<number, unknown>(scores.map((s) => [s.contactId, s[field]]));
    };
    return {
      filters: {
        scoreMin: { schema: z.coerce.number().int().min(0).max(100), where: (min: number) => ({ contactScore: { score: { gte: min } } }) },
        scoreMax: { schema: z.coerce.number().int().min(0).max(100), where: (max: number) => ({ contactScore: { score: { lte: max } } }) },
        grade: {
          schema: z
            .string()
            .transform((s) =>
              s
                .split(',')
                .map((g) => g.trim().toUpperCase())
                .filter(Boolean),
            )
            .pipe(z.array(z.enum(GRADES)).min(1)),
          where: (grades: ScoreGrade[]) => ({ contactScore: { grade: { in: grades } } }),
        },
      },
      sorts: { score: (direction) => ({ contactScore: { score: direction } }) },
      columns: { score: column('score'), grade: column('grade') },
      labels: { scoreMin: 'Score from', scoreMax: 'Score up to', grade: 'Grade', score: 'Score' },
    };
  }
}
