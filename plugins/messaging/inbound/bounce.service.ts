import type { Database } from '../../../server/db.js';
import type { EventBus } from '../../../server/events.js';
import type { GateVerdict } from '../../contacts/public.js';
import type { ActivityLog } from '../messages/activity-log.js';

declare module '../../../server/events.js' {
  interface EventMap {
    /** Email to these contacts bounced; `hard`: the address does not exist (email to it is refused from now on). */
    'message.bounced': { contactIds: number[]; messageIds: number[]; hard: boolean };
  }
}

/**
 * Bounces, whether the SMTP server refused the recipient or a delivery status notification came back:
 * the message is marked BOUNCED, an EMAIL_BOUNCED activity is logged and, after a hard bounce, the
 * address is kept as bouncing. Messaging's own gate then refuses email to it (consent's gate may also
 * act on `message.bounced`).
 */
export class BounceService {
  constructor(
    private readonly prisma: Database,
    private readonly events: EventBus,
    private readonly activities: ActivityLog,
  ) {}

  async record(messageId: number, hard: boolean, reason: string): Promise<void> {
    const message = await this.prisma.message.findUnique({ where: { id: messageId } });
    if (!message || message.status === 'BOUNCED') return;
    await this.prisma.$transaction(async (tx) => {
      await tx.message.update({ where: { id: messageId }, data: { status: 'BOUNCED', error: reason.slice(0, 1000) } });
      if (hard && message.channel === 'EMAIL') {
        const email = message.toAddress.toLowerCase();
        await tx.emailBounce.upsert({ where: { email }, create: { email, contactId: message.contactId, reason: reason.slice(0, 500) }, update: {} });
      }
    });
    if (message.contactId) {
      await this.activities.log(message.contactId, {
        type: 'EMAIL_BOUNCED',
        subject: message.subject ?? undefined,
        metadata: { messageId: message.id, hard, reason: reason.slice(0, 300) },
      });
    }
    await this.events.emit('message.bounced', { contactIds: message.contactId ? [message.contactId] : [], messageIds: [message.id], hard });
  }

  /** The gate: email to a contact whose address hard-bounced is refused (`BOUNCING`). */
  async check(contactIds: number[], channel: string): Promise<Map<number, GateVerdict>> {
    const verdicts = new Map<number, GateVerdict>(contactIds.map((id) => [id, { allowed: true }]));
    if (channel !== 'EMAIL' || !contactIds.length) return verdicts;
    // Most databases hold few bounced addresses: when there are none, a batch costs one tiny read.
    if (!(await this.prisma.emailBounce.findFirst({ select: { id: true } }))) return verdicts;
    const contacts = await this.prisma.contact.findMany({ where: { id: { in: contactIds } }, select: { id: true, email: true } });
    const bouncing = new Set(
      (await this.prisma.emailBounce.findMany({ where: { email: { in: contacts.map((c) => c.email.toLowerCase()) } }, select: { email: true } })).map(
        (b) => b.email,
      ),
    );
    for (const c of contacts) if (bouncing.has(c.email.toLowerCase())) verdicts.set(c.id, { allowed: false, reason: 'BOUNCING' });
    return verdicts;
  }
}
