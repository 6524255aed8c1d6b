// Step 6 of an import, revert: the contacts the import created are removed (but those another plugin
// keeps, such as a merge's surviving contact) and those it updated get their previous values back,
// all in one transaction. Ids are handled in bounded chunks, so an import of any size reverts.
import { Prisma } from '@prisma/client';
import type { ImportExtension } from '../extensions.js';
import type { Database } from '../../../server/db.js';
import { searchTextOf, sortNameOf } from '../people/normalize.js';
import { chunksOf } from '../../../server/id-lists.js';
import type { AddedNote } from './write.js';

/** Of the contacts an import created, the ids that a revert must leave in place. */
/** Of the contacts an import created, those a revert must keep (declared by plugins in contacts' extension object). */
export type RevertGuard = NonNullable<ImportExtension['keepOnRevert']>;

export interface RevertResult {
  removed: number;
  restored: number;
  kept: number;
}

/** Reverts import `id` (its status is checked by the caller); returns the counts and the removed ids. */
export async function revertImport(prisma: Database, id: number, guards: RevertGuard[]): Promise<RevertResult & { removedIds: number[] }> {
  const removedIds: number[] = [];
  const result = await prisma.$transaction(
    async (tx) => {
      const created = await tx.contact.findMany({ where: { importId: id }, select: { id: true }, orderBy: { id: 'asc' } });
      let removed = 0;
      let kept = 0;
      for (const chunk of chunksOf(created.map((c) => c.id))) {
        const keep = new Set((await Promise.all(guards.map((guard) => guard(chunk, tx)))).flat());
        const remove = chunk.filter((contactId) => !keep.has(contactId));
        kept += chunk.length - remove.length;
        if (remove.length) removed += (await tx.contact.deleteMany({ where: { id: { in: remove } } })).count;
        removedIds.push(...remove);
      }
      let restored = 0;
      const updated = await tx.importRow.findMany({
        where: { importId: id, outcome: 'UPDATED' },
        orderBy: { rowNumber: 'desc' },
        select: { contactId: true, before: true },
      });
      for (const chunk of chunksOf(updated))
        restored += await restore(
          tx,
          chunk.map((row) => ({ contactId: row.contactId!, before: (row.before ?? {}) as Record<string, unknown> })),
        );
      await tx.contactImport.updateMany({ where: { id }, data: { status: 'REVERTED', revertedAt: new Date() } });
      return { removed, restored, kept };
    },
    { timeout: 300_000 },
  );
  return { ...result, removedIds };
}

/**
 * Puts back the values contacts had before the import (their tags: those they had), with their search
 * and sort text to match; contacts since deleted are passed over. Returns how many were restored.
 */
async function restore(tx: Prisma.TransactionClient, rows: { contactId: number; before: Record<string, unknown> }[]): Promise<number> {
  const contacts = new Map(
    (
      await tx.contact.findMany({
        where: { id: { in: rows.map((r) => r.contactId) } },
        select: {
          id: true,
          firstName: true,
          lastName: true,
          email: true,
          companyId: true,
          phone: true,
          mobile: true,
          secondaryEmails: { select: { email: true } },
        },
      })
    ).map((c) => [c.id, c]),
  );
  const companyIds = new Set<number>();
  for (const { contactId, before } of rows) {
    const companyId = 'companyId' in before ? before.companyId : contacts.get(contactId)?.companyId;
    if (typeof companyId === 'number') companyIds.add(companyId);
  }
  const companyNames = new Map<number, string>();
  for (const chunk of chunksOf([...companyIds])) {
    for (const c of await tx.company.findMany({ where: { id: { in: chunk } }, select: { id: true, name: true } })) companyNames.set(c.id, c.name);
  }
  let restored = 0;
  for (const { contactId, before } of rows) {
    const current = contacts.get(contactId);
    if (!current) continue;
    const { tags, customFields, addedNote, ...fields } = before;
    if (addedNote) {
      const { noteId, activityId } = addedNote as AddedNote;
      await tx.note.deleteMany({ where: { id: noteId } });
      await tx.activity.deleteMany({ where: { id: activityId } });
    }
    const after = { ...current, ...fields } as typeof current;
    // updateMany: no read of the updated row back, which a revert of thousands of rows would pay for each.
    await tx.contact.updateMany({
      where: { id: contactId },
      data: {
        ...fields,
        ...(customFields !== undefined ? { customFields: customFields === null ? Prisma.DbNull : (customFields as Prisma.InputJsonValue) } : {}),
        searchText: searchTextOf(
          [
            after.firstName,
            after.lastName,
            after.email,
            ...current.secondaryEmails.map((e) => e.email),
            after.companyId === null ? null : companyNames.get(after.companyId),
          ],
          [after.phone, after.mobile],
        ),
        sortName: sortNameOf(after.firstName, after.lastName, after.email),
      },
    });
    if (Array.isArray(tags)) await tx.contactTag.deleteMany({ where: { contactId, tag: { name: { notIn: tags as string[] } } } });
    restored++;
  }
  return restored;
}
