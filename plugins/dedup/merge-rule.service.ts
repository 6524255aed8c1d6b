import { z } from 'zod';
import type { Contact, MergeRule, MergeStrategy } from '@prisma/client';
import type { Database } from '../../server/db.js';
import { NotFoundError, ValidationError } from '../../server/errors.js';
import { ADDRESS_FIELDS, COMBINABLE, MERGE_FIELDS, type ImportUpdateRule, type MergeChoices, type MergeField } from '../contacts/public.js';
const STAGES = ['NEW', 'ENGAGED', 'QUALIFIED', 'CUSTOMER', 'INACTIVE'];
const STRATEGIES = ['PRIMARY_WINS', 'MOST_RECENT', 'UNION', 'LIFECYCLE_FORWARD', 'MOST_TRUSTED_SOURCE'] as const;

function allowedStrategies(field: MergeField): MergeStrategy[] {
  const common: MergeStrategy[] = ['PRIMARY_WINS', 'MOST_RECENT', 'MOST_TRUSTED_SOURCE'];
  if (field === 'tags') return ['UNION', 'PRIMARY_WINS'];
  if (COMBINABLE.has(field)) return ['UNION', ...common];
  if (field === 'lifecycleStage') return ['LIFECYCLE_FORWARD', ...common];
  return common;
}

/** Without a rule: lists united, the lifecycle never backward, the primary wins everything else. */
export const defaultStrategy = (field: MergeField): MergeStrategy => allowedStrategies(field)[0]!;

export type RuleBook = Map<MergeField, Pick<MergeRule, 'strategy' | 'trustedSources'>>;

/** A record's value for a field, with "nothing there" made explicit; the address is one value. */
function valueOf(contact: Contact, field: MergeField): unknown {
  if (field === 'address') return ADDRESS_FIELDS.some((f) => contact[f]) ? ADDRESS_FIELDS.map((f) => contact[f]) : null;
  const value = contact[field as keyof Contact];
  return value === '' ? null : value;
}

function trustRank(sources: string | null, leadSource: string | null): number {
  const order = (sources ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const rank = leadSource ? order.indexOf(leadSource.trim().toLowerCase()) : -1;
  return rank === -1 ? order.length : rank;
}

/**
 * What the rules choose for each field when `other` is merged into `primary`. Whatever the rule,
 * an empty value never wins over a filled one.
 */
export function choicesByRules(primary: Contact, other: Contact, rules: RuleBook): MergeChoices {
  const choices: MergeChoices = {};
  for (const field of MERGE_FIELDS) {
    const rule = rules.get(field) ?? { strategy: defaultStrategy(field), trustedSources: null };
    if (rule.strategy === 'UNION') {
      choices[field] = 'COMBINE';
      continue;
    }
    if (field === 'tags') {
      choices.tags = 'KEEP';
      continue;
    }
    const mine = valueOf(primary, field);
    const theirs = valueOf(other, field);
    if (theirs === null) continue;
    if (mine === null) {
      choices[field] = 'USE';
      continue;
    }
    const useOther =
      (rule.strategy === 'MOST_RECENT' && other.updatedAt > primary.updatedAt) ||
      (rule.strategy === 'LIFECYCLE_FORWARD' && STAGES.indexOf(other.lifecycleStage) > STAGES.indexOf(primary.lifecycleStage)) ||
      (rule.strategy === 'MOST_TRUSTED_SOURCE' && trustRank(rule.trustedSources, other.leadSource) < trustRank(rule.trustedSources, primary.leadSource));
    if (useOther) choices[field] = 'USE';
  }
  return choices;
}

export const mergeRuleInput = z.strictObject({
  strategy: z.enum(STRATEGIES),
  trustedSources: z.string().trim().max(1000).nullable().optional(),
});

/** The merge rules set in the admin: one per field at most, the built-in default otherwise. */
export class MergeRuleService {
  constructor(private readonly prisma: Database) {}

  async ruleBook(): Promise<RuleBook> {
    const rows = await this.prisma.mergeRule.findMany();
    return new Map(rows.map((r) => [r.field as MergeField, r]));
  }

  /** Every field with its strategy, whether it is the default, and what else it may use. */
  async list() {
    const rules = await this.ruleBook();
    return MERGE_FIELDS.map((field) => ({
      field,
      strategy: rules.get(field)?.strategy ?? defaultStrategy(field),
      trustedSources: rules.get(field)?.trustedSources ?? null,
      isDefault: !rules.has(field),
      allowed: allowedStrategies(field),
    }));
  }

  async set(field: string, input: unknown) {
    if (!(MERGE_FIELDS as readonly string[]).includes(field)) throw new NotFoundError('Merge field', field);
    const parsed = mergeRuleInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const { strategy, trustedSources = null } = parsed.data;
    const allowed = allowedStrategies(field as MergeField);
    if (!allowed.includes(strategy)) throw ValidationError.field('strategy', `${field} can use ${allowed.join(', ')}, not ${strategy}`);
    if (strategy === 'MOST_TRUSTED_SOURCE' && !trustedSources)
      throw ValidationError.field('trustedSources', 'MOST_TRUSTED_SOURCE needs the lead sources from most to least trusted');
    const data = { strategy, trustedSources: strategy === 'MOST_TRUSTED_SOURCE' ? trustedSources : null };
    await this.prisma.mergeRule.upsert({ where: { field }, create: { field, ...data }, update: data });
    return (await this.list()).find((r) => r.field === field)!;
  }

  /**
   * How an import settles the contacts it updates: as a merge of the file's row into the contact,
   * for the fields that have a rule; the others take the file's value.
   */
  async importRule(): Promise<ImportUpdateRule> {
    const rules = await this.ruleBook();
    return (existing, incoming) => {
      const chosen = choicesByRules(existing, incoming, rules);
      return Object.fromEntries([...rules.keys()].map((field) => [field, chosen[field] ?? 'KEEP']));
    };
  }

  /** Back to the built-in default. */
  async reset(field: string) {
    if (!(MERGE_FIELDS as readonly string[]).includes(field)) throw new NotFoundError('Merge field', field);
    await this.prisma.mergeRule.deleteMany({ where: { field } });
    return (await this.list()).find((r) => r.field === field)!;
  }
}
