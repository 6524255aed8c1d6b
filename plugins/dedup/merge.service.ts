import { z } from 'zod';
import { Prisma, type Contact } from '@prisma/client';
import type { Database } from '../../server/db.js';
import type { EventBus } from '../../server/events.js';
import { ConflictError, NotFoundError, ValidationError } from '../../server/errors.js';
import '../contacts/contact-events.js';
import { ADDRESS_FIELDS } from '../contacts/contact.schemas.js';
import { searchTextOf, sortNameOf } from '../contacts/normalize.js';
import { COMBINABLE, MERGE_FIELDS, choicesByRules, type MergeChoice, type MergeField, type MergeRuleService } from './merge-rule.service.js';

export const mergeInput = z.strictObject({
  duplicateId: z.number().int().positive(),
  /** Per field: KEEP the primary's value, USE the duplicate's, or COMBINE (tags, custom fields, notes). */
  // A key that is no merge field (`__proto__` included) is refused, not dropped.
  choices: z
    .preprocess((value, ctx) => {
      if (value && typeof value === 'object') {
        for (const key of Object.keys(value)) {
          if (!(MERGE_FIELDS as readonly string[]).includes(key)) ctx.addIssue({ code: 'custom', message: 'is not a merge field', path: [key] });
        }
      }
      return value;
    }, z.partialRecord(z.enum(MERGE_FIELDS), z.enum(['KEEP', 'USE', 'COMBINE'])))
    .default({}),
});

/** How long a merge can be undone. */
const UNDO_DAYS = 30;
/** Records that belong to a contact and move with a merge. */
const MOVABLE = ['activity', 'note', 'task', 'deal', 'lead', 'importRow'] as const;
/**
 * An import's flagged and skipped rows point at the contact they met, which is now the primary. Its
 * created and updated rows stay on the duplicate: they tell a revert what to remove or restore, and
 * must never aim it at the primary.
 */
const MOVE_ONLY: Partial<Record<(typeof MOVABLE)[number], object>> = { importRow: { outcome: { in: ['FLAGGED', 'SKIPPED'] } } };

type ContactWithTags = Contact & { tags: { tag: { name: string } }[] };

function snapshotOf(contact: ContactWithTags) {
  const { tags, ...fields } = contact;
  return { ...fields, tags: tags.map((t) => t.tag.name) };
}

/**
 * Merges a duplicate into a primary in one transaction: field choices applied, every related record
 * moved, a "merged" activity logged, the duplicate deleted, and a MergeLog that can undo it all.
 */
export class MergeService {
  constructor(
    private readonly prisma: Database,
    private readonly events: EventBus,
    private readonly rules: MergeRuleService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Of these contacts, the ones that took in a duplicate by a merge not undone. */
  async survivingPrimaries(contactIds: number[], tx: Prisma.TransactionClient = this.prisma): Promise<number[]> {
    const logs = await tx.mergeLog.findMany({ where: { primaryId: { in: contactIds }, undoneAt: null }, select: { primaryId: true } });
    return logs.map((log) => log.primaryId);
  }

  /** What a merge of these two would do for each field, by the merge rules, before anyone overrides. */
  async proposedChoices(primaryId: number, duplicateId: number): Promise<Record<MergeField, MergeChoice>> {
    const [primary, duplicate] = await Promise.all([this.prisma.contact.findUnique({ where: { id: primaryId } }), this.prisma.contact.findUnique({ where: { id: duplicateId } })]);
    if (!primary) throw new NotFoundError('Contact', primaryId);
    if (!duplicate) throw new NotFoundError('Contact', duplicateId);
    const chosen = choicesByRules(primary, duplicate, await this.rules.ruleBook());
    return Object.fromEntries(MERGE_FIELDS.map((field) => [field, chosen[field] ?? 'KEEP'])) as Record<MergeField, MergeChoice>;
  }

  async merge(primaryId: number, input: z.input<typeof mergeInput>, userId?: number) {
    const parsed = mergeInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const { duplicateId } = parsed.data;
    if (duplicateId === primaryId) throw new ValidationError('duplicateId: a contact cannot be merged into itself', [{ path: 'duplicateId', message: 'is the primary itself' }]);
    for (const [field, choice] of Object.entries(parsed.data.choices)) {
      if (choice === 'COMBINE' && !COMBINABLE.has(field as MergeField)) {
        throw new ValidationError(`choices.${field}: only tags, custom fields and notes can be combined`, [{ path: `choices.${field}`, message: 'cannot be combined' }]);
      }
    }
    const rules = await this.rules.ruleBook();
    const log = await this.prisma.$transaction(async (tx) => {
      const include = { tags: { include: { tag: true } } } as const;
      const [primary, duplicate] = await Promise.all([
        tx.contact.findUnique({ where: { id: primaryId }, include }),
        tx.contact.findUnique({ where: { id: duplicateId }, include }),
      ]);
      if (!primary) throw new NotFoundError('Contact', primaryId);
      if (!duplicate) throw new NotFoundError('Contact', duplicateId);
      const choices = { ...choicesByRules(primary, duplicate, rules), ...parsed.data.choices };
      const data: Record<string, unknown> = {};
      for (const field of MERGE_FIELDS) {
        const choice = choices[field] ?? 'KEEP';
        if (field === 'tags' || choice === 'KEEP') continue;
        if (field === 'address') for (const f of ADDRESS_FIELDS) data[f] = duplicate[f];
        else if (field === 'notes' && choice === 'COMBINE') data.notes = [primary.notes, duplicate.notes].filter(Boolean).join('\n\n') || null;
        else if (field === 'customFields' && choice === 'COMBINE') data.customFields = { ...((duplicate.customFields as object) ?? {}), ...((primary.customFields as object) ?? {}) };
        else data[field] = duplicate[field as keyof Contact];
      }
      const primaryBefore = Object.fromEntries([...Object.keys(data), 'searchText', 'sortName', 'lastActivityAt'].map((k) => [k, primary[k as keyof Contact] ?? null]));

      const moved: Record<string, number[]> = {};
      for (const model of MOVABLE) {
        const delegate = tx[model] as unknown as { findMany(a: unknown): Promise<{ id: number }[]>; updateMany(a: unknown): Promise<unknown> };
        const rows = await delegate.findMany({ where: { contactId: duplicateId, ...MOVE_ONLY[model] }, select: { id: true } });
        moved[model] = rows.map((r) => r.id);
        if (rows.length) await delegate.updateMany({ where: { id: { in: moved[model] } }, data: { contactId: primaryId } });
      }
      const combineTags = (choices.tags ?? 'COMBINE') !== 'KEEP';
      const addedTags = combineTags ? duplicate.tags.map((t) => t.tagId).filter((id) => !primary.tags.some((p) => p.tagId === id)) : [];

      // The duplicate goes first: its email may be the one the primary takes.
      await tx.contact.delete({ where: { id: duplicateId } });
      const merged = { ...primary, ...data } as Contact;
      const company = merged.companyId ? await tx.company.findUnique({ where: { id: merged.companyId }, select: { name: true } }) : null;
      await tx.contact.update({
        where: { id: primaryId },
        data: {
          ...(data as Prisma.ContactUncheckedUpdateInput),
          customFields: data.customFields === undefined ? undefined : ((data.customFields ?? Prisma.DbNull) as Prisma.InputJsonValue),
          searchText: searchTextOf([merged.firstName, merged.lastName, merged.email, company?.name]),
          sortName: sortNameOf(merged.firstName, merged.lastName, merged.email),
          lastActivityAt: [primary.lastActivityAt, duplicate.lastActivityAt].filter(Boolean).sort((a, b) => b!.getTime() - a!.getTime())[0] ?? null,
        },
      });
      if (addedTags.length) await tx.contactTag.createMany({ data: addedTags.map((tagId) => ({ contactId: primaryId, tagId })) });
      const activity = await tx.activity.create({
        data: { contactId: primaryId, type: 'MERGED', userId, subject: `Merged ${duplicate.email} into this contact`, metadata: { duplicateId, duplicateEmail: duplicate.email } },
      });
      moved.addedTags = addedTags;
      moved.mergedActivity = [activity.id];
      await tx.duplicateCandidate.updateMany({ where: { contactAId: Math.min(primaryId, duplicateId), contactBId: Math.max(primaryId, duplicateId) }, data: { status: 'MERGED' } });
      await tx.duplicateCandidate.deleteMany({ where: { status: { not: 'MERGED' }, OR: [{ contactAId: duplicateId }, { contactBId: duplicateId }] } });
      return tx.mergeLog.create({
        data: {
          primaryId,
          duplicateId,
          snapshot: JSON.parse(JSON.stringify(snapshotOf(duplicate))),
          primaryBefore: JSON.parse(JSON.stringify(primaryBefore)),
          moved,
          choices,
          mergedById: userId,
        },
      });
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
    if (this.now().getTime() - log.mergedAt.getTime() > UNDO_DAYS * 86_400_000) throw new ConflictError(`Merge ${mergeLogId} is older than ${UNDO_DAYS} days and can no longer be undone`);
    await this.prisma.$transaction(async (tx) => {
      if (!(await tx.contact.findUnique({ where: { id: log.primaryId }, select: { id: true } }))) {
        throw new ConflictError(`Contact ${log.primaryId}, the primary of this merge, no longer exists`);
      }
      const { tags, ...snapshot } = log.snapshot as Record<string, unknown> & { tags: string[] };
      const before = log.primaryBefore as Record<string, unknown>;
      const moved = log.moved as Record<string, number[]>;
      const restore = (row: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /At$/.test(k) ? new Date(v) : k === 'customFields' && v === null ? Prisma.DbNull : v]));
      // The primary gives back the duplicate's email first, if it took it.
      await tx.contact.update({ where: { id: log.primaryId }, data: restore(before) as Prisma.ContactUncheckedUpdateInput });
      await tx.contact.create({ data: restore(snapshot) as Prisma.ContactUncheckedCreateInput });
      for (const name of tags) {
        const tag = await tx.tag.upsert({ where: { name }, create: { name }, update: {} });
        await tx.contactTag.create({ data: { contactId: log.duplicateId, tagId: tag.id } });
      }
      if (moved.addedTags?.length) await tx.contactTag.deleteMany({ where: { contactId: log.primaryId, tagId: { in: moved.addedTags } } });
      for (const model of MOVABLE) {
        const ids = moved[model] ?? [];
        if (ids.length) await (tx[model] as unknown as { updateMany(a: unknown): Promise<unknown> }).updateMany({ where: { id: { in: ids } }, data: { contactId: log.duplicateId } });
      }
      await tx.activity.deleteMany({ where: { id: { in: moved.mergedActivity ?? [] } } });
      await tx.duplicateCandidate.updateMany({ where: { contactAId: Math.min(log.primaryId, log.duplicateId), contactBId: Math.max(log.primaryId, log.duplicateId) }, data: { status: 'DISMISSED' } });
      await tx.mergeLog.update({ where: { id: mergeLogId }, data: { undoneAt: this.now() } });
    });
    await this.events.emit('contact.unmerged', { primaryId: log.primaryId, duplicateId: log.duplicateId, mergeLogId });
    return this.prisma.mergeLog.findUniqueOrThrow({ where: { id: mergeLogId } });
  }
}
