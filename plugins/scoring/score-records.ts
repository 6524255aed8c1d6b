import type { Prisma } from '@prisma/client';
import type { Database } from '../../server/db.js';

/** What scoring holds on a contact (its score and score history), for data-subject requests. */
export class ScoreRecords {
  constructor(private readonly prisma: Database) {}

  async collect(contactId: number): Promise<Record<string, unknown>> {
    const [score, history] = await Promise.all([
      this.prisma.contactScore.findUnique({ where: { contactId } }),
      this.prisma.scoreHistory.findMany({ where: { contactId }, orderBy: { recordedAt: 'asc' } }),
    ]);
    return { score, scoreHistory: history };
  }

  async erase(tx: Prisma.TransactionClient, contactId: number): Promise<{ removed: number }> {
    const score = await tx.contactScore.deleteMany({ where: { contactId } });
    const history = await tx.scoreHistory.deleteMany({ where: { contactId } });
    return { removed: score.count + history.count };
  }
}
