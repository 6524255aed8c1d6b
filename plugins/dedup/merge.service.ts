import { z } from 'zod';
import type { Prisma } from '@prisma/client';
import type { Database } from '../../server/db.js';
import type { EventBus } from '../../server/events.js';
import { ConflictError, NotFoundError, ValidationError } from '../../server/errors.js';
import { COMBINABLE, MERGE_FIELDS, type ContactsApi, type MergeChoice, type MergeField, type MergeReceipt } from '../contacts/public.js';
import { choicesByRules, type MergeRuleService } from './merge-rule.service.js';

export const mergeInput = z.strictObject({
  duplicateId: z.number().int().positive(),
  /** Per field: KEEP the primary's value, USE the duplicate's, or COMBINE (tags, custom fields, notes). */
  // A key that is no merge field (`__proto__` included) is refused, not dropped.
  choices: z
    .preprocess(
      (value, ctx) => {
        if (value && typeof value === 'object') {
          for (const key of Object.keys(value)) {
            if (!(MERGE_FIELDS as readonly string[]).includes(key)) ctx.addIssue({ code: 'custom', message: 'is not a merge field', path: [key] });
          }
        }
        return value;
      },
      z.partialRecord(z.enum(MERGE_FIELDS), z.enum(['KEEP', 'USE', 'COMBINE'])),
    )
    .default({}),
});

/** How long a merge can be undone. */
const UNDO_DAYS = 30;

/**
 * Merges a duplicate into a primary in one transaction: field choices applied, every related record
 * moved, a "merged" activity logged, the duplicate deleted, and a MergeLog that can undo it all.
 */
export class MergeService {
  constructor(
    private readonly prisma: Database,
    private readonly events: EventBus,
    private readonly rules: MergeRuleService,
    private readonly contacts: Pick<ContactsApi, 'merges'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Of these contacts, the ones that took in a duplicate by a merge not undone. */
  async survivingPrimaries(contactIds: number[], tx: Prisma.TransactionClient = this.prisma): Promise<number[]> {
    const logs = await tx.mergeLog.findMany({ where: { primaryId: { in: contactIds }, undoneAt: null }, select: { primaryId: true } });
    return logs.map((log) => log.primaryId);
  }

  /** What a merge of these two would do for each field, by the merge rules, before anyone overrides. */
  async proposedChoices(primaryId: number, duplicateId: number): Promise<Record<MergeField, MergeChoice>> {
    const [primary, duplicate] = await Promise.all([
      this.prisma.contact.findUnique({ where: { id: primaryId } }),
      this.prisma.contact.findUnique({ where: { id: duplicateId } }),
    ]);
    if (!primary) throw new NotFoundError('Contact', primaryId);
    if (!duplicate) throw new NotFoundError('Contact', duplicateId);
    const chosen = choicesByRules(primary, duplicate, await this.rules.ruleBook());
    return Object.fromEntries(MERGE_FIELDS.map((field) => [field, chosen[field] ?? 'KEEP'])) as Record<MergeField, MergeChoice>;
  }

  async merge(primaryId: number, input: z.input<typeof mergeInput>, userId?: number) {
    const parsed = mergeInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const { duplicateId } = parsed.data;
    if (duplicateId === primaryId)
      throw new ValidationError('duplicateId: a contact cannot be merged into itself', [{ path: 'duplicateId', message: 'is the primary itself' }]);
    for (const [field, choice] of Object.entries(parsed.data.choices)) {
      if (choice === 'COMBINE' && !COMBINABLE.has(field as MergeField)) {
        throw new ValidationError(`choices.${field}: only tags, custom fields and notes can be combined`, [
          { path: `choices.${field}`, message: 'cannot be combined' },
        ]);
      }
    }
    const rules = await this.rules.ruleBook();
    const pair = { contactAId: Math.min(primaryId, duplicateId), contactBId: Math.max(primaryId, duplicateId) };
    const log = await this.contacts.merges.absorb({
      primaryId,
      duplicateId,
      userId,
      choose: (primary, duplicate) => ({ ...choicesByRules(primary, duplicate, rules), ...parsed.data.choices }),
      record: async (tx, receipt, choices) => {
        await tx.duplicateCandidate.updateMany({ where: pair, data: { status: 'MERGED' } });
        return tx.mergeLog.create({
          data: {
            primaryId,
            duplicateId,
            snapshot: receipt.snapshot as Prisma.InputJsonValue,
            primaryBefore: receipt.primaryBefore as Prisma.InputJsonValue,
            moved: { ...receipt.moved, plugins: receipt.plugins } as Prisma.InputJsonValue,
            choices,
            mergedById: userId,
          },
        });
      },
    });
    await this.events.emit('contact.merged', { primaryId, duplicateId, mergeLogId: log.id });
    return log;
  }

  /**
   * Merges every open pair at or above `minScore` with the default rules, the older contact kept.
   * Each merge is its own transaction and can be undone like any other.
   */
  async autoMerge(minScore: number): Promise<number> {
    const pairs = await this.prisma.duplicateCandidate.findMany({ where: { status: 'OPEN', score: { gte: minScore } }, orderBy: { score: 'desc' } });
    const gone = new Set<number>();
    let merged = 0;
    for (const pair of pairs) {
      // A contact already merged away in this run takes its other pairs with it.
      if (gone.has(pair.contactAId) || gone.has(pair.contactBId)) continue;
      await this.merge(pair.contactAId, { duplicateId: pair.contactBId });
      gone.add(pair.contactBId);
      merged++;
    }
    return merged;
  }

  /** Brings the duplicate back (same id), moves its records back and restores the primary's fields. */
  async undo(mergeLogId: number) {
    const log = await this.prisma.mergeLog.findUnique({ where: { id: mergeLogId } });
    if (!log) throw new NotFoundError('Merge', mergeLogId);
    if (log.undoneAt) throw new ConflictError(`Merge ${mergeLogId} was already undone`);
    if (this.now().getTime() - log.mergedAt.getTime() > UNDO_DAYS * 86_400_000)
      throw new ConflictError(`Merge ${mergeLogId} is older than ${UNDO_DAYS} days and can no longer be undone`);
    const { plugins, ...moved } = log.moved as Record<string, number[]> & { plugins?: Record<string, unknown> };
    const receipt: MergeReceipt = {
      snapshot: log.snapshot as Record<string, unknown>,
      primaryBefore: log.primaryBefore as Record<string, unknown>,
      moved,
      plugins: plugins ?? {},
    };
    await this.contacts.merges.restore({
      primaryId: log.primaryId,
      duplicateId: log.duplicateId,
      receipt,
      record: async (tx) => {
        const pair = { contactAId: Math.min(log.primaryId, log.duplicateId), contactBId: Math.max(log.primaryId, log.duplicateId) };
        // The pair is back for a decision: an open candidate again (kept or rescored by the check that follows).
        await tx.duplicateCandidate.updateMany({ where: pair, data: { status: 'OPEN' } });
        await tx.mergeLog.update({ where: { id: mergeLogId }, data: { undoneAt: this.now() } });
      },
    });
    await this.events.emit('contact.unmerged', { primaryId: log.primaryId, duplicateId: log.duplicateId, mergeLogId });
    return this.prisma.mergeLog.findUniqueOrThrow({ where: { id: mergeLogId } });
  }
}
