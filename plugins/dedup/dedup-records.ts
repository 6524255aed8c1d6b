import type { Prisma } from '@prisma/client';
import type { Database } from '../../server/db.js';

const involving = (contactId: number) => ({ OR: [{ contactAId: contactId }, { contactBId: contactId }] });
const mergedWith = (contactId: number) => ({ OR: [{ primaryId: contactId }, { duplicateId: contactId }] });

/** What dedup holds on a contact (its candidate pairs and merge logs), for merges and data-subject requests. */
export class DedupRecords {
  constructor(private readonly prisma: Database) {}

  /** A merge: the duplicate's other open and dismissed pairs go (the merge marks the merged pair itself). */
  async absorb(tx: Prisma.TransactionClient, { primaryId, duplicateId }: { primaryId: number; duplicateId: number }): Promise<undefined> {
    const merged = { contactAId: Math.min(primaryId, duplicateId), contactBId: Math.max(primaryId, duplicateId) };
    await tx.duplicateCandidate.deleteMany({ where: { status: { not: 'MERGED' }, ...involving(duplicateId), NOT: merged } });
    return undefined;
  }

  async collect(contactId: number): Promise<Record<string, unknown>> {
    const [candidates, merges] = await Promise.all([
      this.prisma.duplicateCandidate.findMany({ where: involving(contactId), orderBy: { id: 'asc' } }),
      this.prisma.mergeLog.findMany({ where: mergedWith(contactId), orderBy: { id: 'asc' } }),
    ]);
    return { duplicateCandidates: candidates, merges };
  }

  /** Merge logs hold a copy of the merged contact: they go with the person, with every pair naming them. */
  async erase(tx: Prisma.TransactionClient, contactId: number): Promise<{ removed: number }> {
    const pairs = await tx.duplicateCandidate.deleteMany({ where: involving(contactId) });
    const logs = await tx.mergeLog.deleteMany({ where: mergedWith(contactId) });
    return { removed: pairs.count + logs.count };
  }
}
