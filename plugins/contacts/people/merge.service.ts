import { Prisma, type Contact } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import { ConflictError, NotFoundError } from '../../../server/errors.js';
import { countInChunks } from '../../../server/id-lists.js';
import type { ContactsExtensions } from '../extensions.js';
import { ADDRESS_FIELDS, MERGE_FIELDS, type MergeChoices } from './merge-fields.js';
import { sortNameOf } from './normalize.js';
import type { ContactService } from './contact.service.js';

/** Records of contacts' own that belong to a contact and move with a merge (the duplicate's secondary emails too). */
const MOVABLE = ['activity', 'note', 'task', 'deal', 'lead', 'importRow', 'contactEmail'] as const;
/**
 * An import's flagged and skipped rows point at the contact they met, which is now the primary. Its
 * created and updated rows stay on the duplicate: they tell a revert what to remove or restore, and
 * must never aim it at the primary.
 */
const MOVE_ONLY: Partial<Record<(typeof MOVABLE)[number], object>> = { importRow: { outcome: { in: ['FLAGGED', 'SKIPPED'] } } };

export type ContactWithTags = Contact & { tags: { tagId: number; tag: { name: string } }[] };

/** What an undo needs: the duplicate as it was, the primary's replaced values, and what moved where. */
export interface MergeReceipt {
  snapshot: Record<string, unknown>;
  primaryBefore: Record<string, unknown>;
  moved: Record<string, number[]>;
  /** What each plugin's merge hook moved, by plugin. */
  plugins: Record<string, unknown>;
}

type Delegate = { findMany(a: unknown): Promise<{ id: number }[]>; updateMany(a: unknown): Promise<{ count: number }> };

/**
 * Contacts absorbs a duplicate into a primary: it applies the chosen fields, re-points its own rows
 * (activities, notes, tasks, deals, leads, import rows), lets every plugin re-point its rows through
 * its merge hook, logs a "merged" activity and deletes the duplicate, all in one transaction that the
 * caller extends with its own record of the merge.
 */
export class ContactMergeService {
  constructor(
    private readonly prisma: Database,
    private readonly extensions: ContactsExtensions,
    private readonly contacts: Pick<ContactService, 'searchText'>,
  ) {}

  async absorb<T>(input: {
    primaryId: number;
    duplicateId: number;
    userId?: number;
    /** The field choices, decided with both contacts in hand. */
    choose: (primary: ContactWithTags, duplicate: ContactWithTags) => MergeChoices;
    /** The caller's own writes in the same transaction (e.g. its merge log). */
    record: (tx: Prisma.TransactionClient, receipt: MergeReceipt, choices: MergeChoices) => Promise<T>;
  }): Promise<T> {
    const { primaryId, duplicateId } = input;
    return this.prisma.$transaction(async (tx) => {
      const include = { tags: { include: { tag: true } } } as const;
      const [primary, duplicate] = await Promise.all([
        tx.contact.findUnique({ where: { id: primaryId }, include }),
        tx.contact.findUnique({ where: { id: duplicateId }, include }),
      ]);
      if (!primary) throw new NotFoundError('Contact', primaryId);
      if (!duplicate) throw new NotFoundError('Contact', duplicateId);
      const choices = input.choose(primary, duplicate);
      const data = fieldsFor(primary, duplicate, choices);
      const primaryBefore = Object.fromEntries(
        [...Object.keys(data), 'searchText', 'sortName', 'lastActivityAt'].map((k) => [k, primary[k as keyof Contact] ?? null]),
      );

      const moved: Record<string, number[]> = {};
      for (const model of MOVABLE) {
        const delegate = tx[model] as unknown as Delegate;
        const where = { contactId: duplicateId, ...MOVE_ONLY[model] };
        moved[model] = (await delegate.findMany({ where, select: { id: true } })).map((r) => r.id);
        if (moved[model].length) await delegate.updateMany({ where, data: { contactId: primaryId } });
      }
      const plugins: Record<string, unknown> = {};
      for (const { plugin, value } of this.extensions.of('merge')) plugins[plugin] = await value.absorb(tx, { primaryId, duplicateId });

      const addedTags =
        (choices.tags ?? 'COMBINE') !== 'KEEP' ? duplicate.tags.map((t) => t.tagId).filter((id) => !primary.tags.some((p) => p.tagId === id)) : [];
      // The duplicate goes first: its email may be the one the primary takes.
      await tx.contact.delete({ where: { id: duplicateId } });
      const merged = { ...primary, ...data } as Contact;
      // Neither address is lost: the one the survivor does not keep as its email stays a secondary email,
      // so search, the duplicate-email check and the next import of the duplicate find the survivor.
      for (const email of new Set([duplicate.email, primary.email])) {
        if (email !== merged.email) await tx.contactEmail.create({ data: { contactId: primaryId, email } });
      }
      await tx.contact.update({
        where: { id: primaryId },
        data: {
          ...(data as Prisma.ContactUncheckedUpdateInput),
          customFields: data.customFields === undefined ? undefined : ((data.customFields ?? Prisma.DbNull) as Prisma.InputJsonValue),
          searchText: await this.contacts.searchText(tx, merged),
          sortName: sortNameOf(merged.firstName, merged.lastName, merged.email),
          lastActivityAt: [primary.lastActivityAt, duplicate.lastActivityAt].filter(Boolean).sort((a, b) => b!.getTime() - a!.getTime())[0] ?? null,
        },
      });
      if (addedTags.length) await tx.contactTag.createMany({ data: addedTags.map((tagId) => ({ contactId: primaryId, tagId })) });
      const activity = await tx.activity.create({
        data: {
          contactId: primaryId,
          type: 'MERGED',
          userId: input.userId,
          subject: `Merged ${duplicate.email} into this contact`,
          metadata: { duplicateId, duplicateEmail: duplicate.email },
        },
      });
      moved.addedTags = addedTags;
      moved.mergedActivity = [activity.id];
      const receipt: MergeReceipt = { snapshot: json(snapshotOf(duplicate)), primaryBefore: json(primaryBefore), moved, plugins: json(plugins) };
      return input.record(tx, receipt, choices);
    });
  }

  /**
   * Undoes an absorb: brings the duplicate back (same id), moves every row back, restores the primary's
   * replaced values; the caller's own writes run in the same transaction.
   */
  async restore<T>(input: { primaryId: number; duplicateId: number; receipt: MergeReceipt; record: (tx: Prisma.TransactionClient) => Promise<T> }): Promise<T> {
    const { primaryId, duplicateId, receipt } = input;
    return this.prisma.$transaction(async (tx) => {
      if (!(await tx.contact.findUnique({ where: { id: primaryId }, select: { id: true } }))) {
        throw new ConflictError(`Contact ${primaryId}, the primary of this merge, no longer exists`);
      }
      const { tags, ...snapshot } = receipt.snapshot as Record<string, unknown> & { tags: string[] };
      const moved = receipt.moved;
      // The primary gives back the duplicate's email first, if it took it.
      const restored = await tx.contact.update({ where: { id: primaryId }, data: revive(receipt.primaryBefore) as Prisma.ContactUncheckedUpdateInput });
      // The two addresses are the contacts' emails again, no longer secondary ones (whatever became of them since).
      await tx.contactEmail.deleteMany({ where: { email: { in: [restored.email, snapshot.email as string] } } });
      await tx.contact.create({ data: revive(snapshot) as Prisma.ContactUncheckedCreateInput });
      for (const name of tags) {
        const tag = await tx.tag.upsert({ where: { name }, create: { name }, update: {} });
        await tx.contactTag.create({ data: { contactId: duplicateId, tagId: tag.id } });
      }
      await countInChunks(moved.addedTags ?? [], (tagIds) => tx.contactTag.deleteMany({ where: { contactId: primaryId, tagId: { in: tagIds } } }));
      for (const model of MOVABLE) {
        const delegate = tx[model] as unknown as Delegate;
        await countInChunks(moved[model] ?? [], (ids) => delegate.updateMany({ where: { id: { in: ids } }, data: { contactId: duplicateId } }));
      }
      for (const { plugin, value } of this.extensions.of('merge')) {
        await value.restore?.(tx, { primaryId, duplicateId, moved: receipt.plugins?.[plugin] });
      }
      await tx.activity.deleteMany({ where: { id: { in: moved.mergedActivity ?? [] } } });
      return input.record(tx);
    });
  }
}

/** The primary's new column values for the choices: USE takes the duplicate's, COMBINE joins both. */
function fieldsFor(primary: Contact, duplicate: Contact, choices: MergeChoices): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of MERGE_FIELDS) {
    const choice = choices[field] ?? 'KEEP';
    if (field === 'tags' || choice === 'KEEP') continue;
    if (field === 'address') for (const f of ADDRESS_FIELDS) data[f] = duplicate[f];
    else if (field === 'notes' && choice === 'COMBINE') data.notes = [primary.notes, duplicate.notes].filter(Boolean).join('\n\n') || null;
    else if (field === 'customFields' && choice === 'COMBINE')
      data.customFields = { ...((duplicate.customFields as object) ?? {}), ...((primary.customFields as object) ?? {}) };
    else data[field] = duplicate[field as keyof Contact];
  }
  return data;
}

function snapshotOf(contact: ContactWithTags) {
  const { tags, ...fields } = contact;
  return { ...fields, tags: tags.map((t) => t.tag.name) };
}

const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Stored values made column values again: dates from their text, a null JSON column as the database's NULL. */
function revive(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /At$/.test(k) ? new Date(v) : k === 'customFields' && v === null ? Prisma.DbNull : v]),
  );
}
