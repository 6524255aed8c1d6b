import nodemailer from 'nodemailer';
import type { Database } from '../../../server/db.js';
import { toNodemailer } from './smtp.transport.js';
import type { EmailTransport, OutgoingEmail, OutgoingSms, SendReceipt, SmsTransport } from './transport.js';

/**
 * With no SMTP server or Twilio account configured, what would have gone out is kept in the outbox
 * (the OutboxEntry table, readable in the admin and with `messages:outbox`), so the platform works
 * out of the box and nothing leaves it by accident.
 */
export class OutboxTransport implements EmailTransport, SmsTransport {
  readonly kind = 'outbox' as const;
  private readonly composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(private readonly prisma: Database) {}

  async send(message: OutgoingEmail | OutgoingSms): Promise<SendReceipt> {
    if ('body' in message) {
      const entry = await this.prisma.outboxEntry.create({ data: { channel: 'SMS', toAddress: message.to, content: message.body } });
      return { providerId: `outbox-${entry.id}` };
    }
    const info = await this.composer.sendMail(toNodemailer(message));
    const content = (info.message as Buffer).toString('utf8');
    const entry = await this.prisma.outboxEntry.create({
      data: { channel: 'EMAIL', toAddress: message.to, subject: message.subject, content, messageId: message.messageId },
    });
    return { providerId: `outbox-${entry.id}` };
  }

  async close(): Promise<void> {}
}
