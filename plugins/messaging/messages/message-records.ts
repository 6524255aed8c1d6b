import type { Prisma } from '@prisma/client';
import type { Database } from '../../../server/db.js';

type Tx = Prisma.TransactionClient;

/** What messaging holds on a contact, kept right through contacts' GDPR and merge hooks. */
export class MessageRecords {
  constructor(private readonly prisma: Database) {}

  async collect(contactId: number): Promise<Record<string, unknown>> {
    const contact = await this.prisma.contact.findUnique({ where: { id: contactId }, select: { email: true } });
    const [messages, campaignSends, bounces] = await Promise.all([
      this.prisma.message.findMany({ where: { contactId }, orderBy: { id: 'asc' } }),
      this.prisma.campaignSend.findMany({ where: { contactId }, orderBy: { id: 'asc' } }),
      this.prisma.emailBounce.findMany({ where: { OR: [{ contactId }, ...(contact ? [{ email: contact.email.toLowerCase() }] : [])] } }),
    ]);
    return { messages, campaignSends, emailBounces: bounces };
  }

  async erase(tx: Tx, contactId: number): Promise<{ removed: number }> {
    const contact = await tx.contact.findUnique({ where: { id: contactId }, select: { email: true } });
    const messages = await tx.message.deleteMany({ where: { contactId } });
    const sends = await tx.campaignSend.deleteMany({ where: { contactId } });
    const bounces = await tx.emailBounce.deleteMany({ where: { OR: [{ contactId }, ...(contact ? [{ email: contact.email.toLowerCase() }] : [])] } });
    return { removed: messages.count + sends.count + bounces.count };
  }

  /** A merge: the duplicate's messages and campaign sends move to the primary (a campaign both were in keeps the primary's). */
  async absorb(tx: Tx, { primaryId, duplicateId }: { primaryId: number; duplicateId: number }): Promise<{ messageIds: number[]; sendIds: number[] }> {
    const messageIds = (await tx.message.findMany({ where: { contactId: duplicateId }, select: { id: true } })).map((m) => m.id);
    await tx.message.updateMany({ where: { contactId: duplicateId }, data: { contactId: primaryId } });
    const primaryCampaigns = (await tx.campaignSend.findMany({ where: { contactId: primaryId }, select: { campaignId: true } })).map((s) => s.campaignId);
    const movable = await tx.campaignSend.findMany({ where: { contactId: duplicateId, campaignId: { notIn: primaryCampaigns } }, select: { id: true } });
    await tx.campaignSend.updateMany({ where: { id: { in: movable.map((s) => s.id) } }, data: { contactId: primaryId } });
    await tx.emailBounce.updateMany({ where: { contactId: duplicateId }, data: { contactId: primaryId } });
    return { messageIds, sendIds: movable.map((s) => s.id) };
  }

  async restore(tx: Tx, { duplicateId, moved }: { primaryId: number; duplicateId: number; moved: unknown }): Promise<void> {
    const { messageIds = [], sendIds = [] } = (moved ?? {}) as { messageIds?: number[]; sendIds?: number[] };
    if (messageIds.length) await tx.message.updateMany({ where: { id: { in: messageIds } }, data: { contactId: duplicateId } });
    if (sendIds.length) await tx.campaignSend.updateMany({ where: { id: { in: sendIds } }, data: { contactId: duplicateId } });
  }
}
