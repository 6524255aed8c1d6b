import type { Prisma } from '@prisma/client';
import type { Database } from '../../server/db.js';

/** What this plugin holds on a contact, for data-subject requests: its summary and search vector's traits. */
export class ContactRecords {
  constructor(private readonly prisma: Database) {}

  async collect(contactId: number): Promise<Record<string, unknown>> {
    const [summary, embedding] = await Promise.all([
      this.prisma.aiSummary.findUnique({ where: { contactId }, select: { sentences: true, provider: true, model: true, generatedAt: true, partial: true } }),
      this.prisma.contactEmbedding.findUnique({ where: { contactId }, select: { model: true, traits: true, updatedAt: true } }),
    ]);
    return { summary, searchProfile: embedding };
  }

  async erase(tx: Prisma.TransactionClient, contactId: number): Promise<{ removed: number }> {
    const a = await tx.aiSummary.deleteMany({ where: { contactId } });
    const b = await tx.contactEmbedding.deleteMany({ where: { contactId } });
    return { removed: a.count + b.count };
  }
}
