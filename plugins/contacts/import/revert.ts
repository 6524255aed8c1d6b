// Step 6 of an import, revert: the contacts the import created are removed (but those another plugin
// keeps, such as a merge's surviving contact) and those it updated get their previous values back,
// all in one transaction. Ids are handled in bounded chunks, so an import of any size reverts.
import { Prisma } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import { searchTextOf, sortNameOf } from '../normalize.js';
import { chunked } from './bounded.js';

/** Of the contacts an import created, the ids that a revert must leave in place. */
export type RevertGuard = (contactIds: number[], tx: Prisma.TransactionClient) => Promise<number[]>;

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
      for (const chunk of chunked(created.map((c) => c.id))) {
        const keep = new Set((await Promise.all(guards.map((guard) => guard(chunk, tx)))).flat());
        const remove = chunk.filter((contactId) => !keep.has(contactId));
        kept += chunk.length - remove.length;
        if (remove.length) removed += (await tx.contact.deleteMany({ where: { id: { in: remove } } })).count;
        removedIds.push(...remove);
      }
      let restored = 0;
      const updated = await tx.importRow.findMany({ where: { importId: id, outcome: 'UPDATED' }, orderBy: { rowNumber: 'desc' } });
      for (const row of updated) if (await restore(tx, row.contactId!, (row.before ?? {}) as Record<string, unknown>)) restored++;
      await tx.contactImport.updateMany({ where: { id }, data: { status: 'REVERTED', revertedAt: new Date() } });
      return { removed, restored, kept };
    },
    { timeout: 300_000 },
  );
  return { ...result, removedIds };
}

/** Puts back a contact's values from before the import (its tags: those it had); false if it is gone. */
async function restore(tx: Prisma.TransactionClient, contactId: number, before: Record<string, unknown>): Promise<boolean> {
  const { tags, customFields, ...fields } = before;
  const exists = await tx.contact.findUnique({ where: { id: contactId }, select: { id: true } });
  if (!exists) return false;
  await tx.contact.update({
    where: { id: contactId },
    data: { ...fields, ...(customFields !== undefined ? { customFields: customFields === null ? Prisma.DbNull : (customFields as Prisma.InputJsonValue) } : {}) },
  });
  if (Array.isArray(tags)) {
    await tx.contactTag.deleteMany({ where: { contactId, tag: { name: { notIn: tags as string[] } } } });
  }
  const contact = await tx.contact.findUniqueOrThrow({ where: { id: contactId }, include: { company: { select: { name: true } } } });
  await tx.contact.update({
    where: { id: contactId },
    data: {
      searchText: searchTextOf([contact.firstName, contact.lastName, contact.email, contact.company?.name]),
      sortName: sortNameOf(contact.firstName, contact.lastName, contact.email),
    },
  });
  return true;
}
