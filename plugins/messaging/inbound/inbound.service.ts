import PostalMime from 'postal-mime';
import type { Message } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import type { EventBus } from '../../../server/events.js';
import type { ActivityLog } from '../messages/activity-log.js';
import type { BounceService } from './bounce.service.js';
import { deliveryReport } from './dsn.js';

declare module '../../../server/events.js' {
  interface EventMap {
    /** Inbound email or SMS arrived (the contact page refreshes its threads). */
    'message.received': { messageIds: number[]; contactIds: number[] };
  }
}

/** Twilio's delivery states, as our statuses. */
const TWILIO_STATUS: Record<string, 'SENT' | 'DELIVERED' | 'FAILED' | undefined> = {
  sent: 'SENT',
  delivered: 'DELIVERED',
  undelivered: 'FAILED',
  failed: 'FAILED',
};

const MESSAGE_ID = /<[^<>\s]+>/g;

/** Inbound SMS and email: matched to the contact, threaded, stored, logged on the timeline. Bounces go to BounceService. */
export class InboundService {
  constructor(
    private readonly prisma: Database,
    private readonly events: EventBus,
    private readonly activities: ActivityLog,
    private readonly bounces: BounceService,
  ) {}

  /** An SMS Twilio received for us. Twilio may post the same message twice: its SID makes it count once. */
  async receiveSms(params: Record<string, string>): Promise<Message> {
    const sid = params.MessageSid ?? params.SmsSid;
    if (sid) {
      const seen = await this.prisma.message.findFirst({ where: { providerId: sid, direction: 'INBOUND' } });
      if (seen) return seen;
    }
    const from = (params.From ?? '').trim();
    const contact = from
      ? await this.prisma.contact.findFirst({ where: { OR: [{ mobile: from }, { phone: from }] }, select: { id: true }, orderBy: { id: 'asc' } })
      : null;
    const message = await this.prisma.message.create({
      data: {
        channel: 'SMS',
        direction: 'INBOUND',
        status: 'RECEIVED',
        contactId: contact?.id,
        fromAddress: from,
        toAddress: params.To ?? '',
        text: params.Body ?? '',
        providerId: sid,
        threadId: `sms:${from}`,
        receivedAt: new Date(),
      },
    });
    if (contact)
      await this.activities.log(contact.id, { type: 'SMS_RECEIVED', body: (params.Body ?? '').slice(0, 2_000), metadata: { messageId: message.id } });
    await this.events.emit('message.received', { messageIds: [message.id], contactIds: contact ? [contact.id] : [] });
    return message;
  }

  /** Twilio's status callback: the message's delivery state. */
  async smsStatus(params: Record<string, string>): Promise<{ updated: number }> {
    const sid = params.MessageSid ?? params.SmsSid;
    const status = TWILIO_STATUS[(params.MessageStatus ?? params.SmsStatus ?? '').toLowerCase()];
    if (!sid || !status) return { updated: 0 };
    const now = new Date();
    const error = status === 'FAILED' ? `Twilio: ${params.MessageStatus}${params.ErrorCode ? ` (error ${params.ErrorCode})` : ''}` : undefined;
    const updated = await this.prisma.message.updateMany({
      // A late "sent" never undoes "delivered".
      where: { providerId: sid, direction: 'OUTBOUND', ...(status === 'SENT' ? { status: { in: ['QUEUED', 'SENT'] } } : {}) },
      data: { status, ...(status === 'DELIVERED' ? { deliveredAt: now } : {}), ...(error ? { error } : {}) },
    });
    return { updated: updated.count };
  }

  /** A raw RFC 822 message: a delivery status notification marks its message bounced; anything else is a reply or new mail. */
  async receiveEmail(raw: string): Promise<{ kind: 'bounce'; messageId?: number; hard: boolean } | { kind: 'email'; message: Message }> {
    const email = await PostalMime.parse(raw);
    const report = deliveryReport(email, raw);
    if (report) {
      const original = report.originalMessageId
        ? await this.prisma.message.findUnique({ where: { messageId: report.originalMessageId } })
        : report.recipient
          ? await this.prisma.message.findFirst({ where: { toAddress: report.recipient, direction: 'OUTBOUND' }, orderBy: { id: 'desc' } })
          : null;
      if (original) await this.bounces.record(original.id, report.hard, `${report.status ?? ''} ${report.diagnostic ?? 'bounced'}`.trim());
      return { kind: 'bounce', messageId: original?.id, hard: report.hard };
    }

    const messageId = email.messageId?.trim() || undefined;
    if (messageId) {
      const seen = await this.prisma.message.findUnique({ where: { messageId } });
      if (seen) return { kind: 'email', message: seen };
    }
    const address = email.from?.address?.toLowerCase() ?? '';
    const contact = address ? await this.prisma.contact.findFirst({ where: { email: address }, select: { id: true } }) : null;
    // Threading: the first message we know among In-Reply-To and References (newest first) gives the thread.
    const candidates = [...(email.inReplyTo?.match(MESSAGE_ID) ?? []), ...(email.references?.match(MESSAGE_ID) ?? []).reverse()];
    const parent = candidates.length ? await this.prisma.message.findFirst({ where: { messageId: { in: candidates } }, orderBy: { id: 'desc' } }) : null;
    const threadId = parent?.threadId ?? parent?.messageId ?? candidates.at(-1) ?? messageId ?? null;
    const message = await this.prisma.message.create({
      data: {
        channel: 'EMAIL',
        direction: 'INBOUND',
        status: 'RECEIVED',
        contactId: contact?.id ?? parent?.contactId,
        fromAddress: address,
        toAddress: email.to?.map((t) => t.address).join(', ') || '',
        subject: email.subject ?? null,
        text: email.text ?? null,
        html: email.html ?? null,
        messageId,
        threadId,
        inReplyTo: email.inReplyTo?.match(MESSAGE_ID)?.[0] ?? null,
        receivedAt: new Date(),
      },
    });
    const contactId = message.contactId;
    if (contactId) {
      await this.activities.log(contactId, {
        type: 'EMAIL_RECEIVED',
        subject: (email.subject ?? '').slice(0, 500) || undefined,
        body: (email.text ?? '').slice(0, 2_000),
        metadata: { messageId: message.id, threadId, inReplyTo: parent?.id ?? null },
      });
    }
    await this.events.emit('message.received', { messageIds: [message.id], contactIds: contactId ? [contactId] : [] });
    return { kind: 'email', message };
  }
}
