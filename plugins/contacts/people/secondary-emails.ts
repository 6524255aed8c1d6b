// A contact's secondary emails (a merged duplicate's address, for one). An address belongs to one
// contact: as its email or as one of its secondary emails. Search, the duplicate-email check and the
// import find a contact by either.
import type { Prisma } from '@prisma/client';
import { findInChunks } from '../../../server/id-lists.js';

type Reader = Pick<Prisma.TransactionClient, 'contact' | 'contactEmail'>;

/** The contact an address belongs to, as its email or a secondary email; null when none. */
export async function ownerOfEmail(db: Reader, email: string): Promise<number | null> {
  const own = await db.contact.findUnique({ where: { email }, select: { id: true } });
  if (own) return own.id;
  return (await db.contactEmail.findUnique({ where: { email }, select: { contactId: true } }))?.contactId ?? null;
}

/** The contacts these addresses are secondary emails of, by address (read in bounded chunks). */
export async function secondaryEmailOwners(db: Pick<Reader, 'contactEmail'>, emails: string[]): Promise<Map<string, number>> {
  const rows = await findInChunks([...new Set(emails)], (chunk) =>
    db.contactEmail.findMany({ where: { email: { in: chunk } }, select: { email: true, contactId: true } }),
  );
  return new Map(rows.map((r) => [r.email, r.contactId]));
}

/** A contact's secondary emails, oldest first. */
export async function secondaryEmailsOf(db: Pick<Reader, 'contactEmail'>, contactId: number): Promise<string[]> {
  const rows = await db.contactEmail.findMany({ where: { contactId }, orderBy: { id: 'asc' }, select: { email: true } });
  return rows.map((r) => r.email);
}
