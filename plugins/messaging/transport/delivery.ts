import type { MessageChannel } from '@prisma/client';
import { TransportError, type EmailTransport, type SendReceipt, type SmsTransport } from './transport.js';

/** A stored or freshly composed outgoing message, as the transports need it. */
export interface Deliverable {
  channel: MessageChannel;
  from?: string | null;
  to: string;
  subject?: string | null;
  text?: string | null;
  html?: string | null;
  messageId?: string | null;
  inReplyTo?: string | null;
  references?: string[];
  headers?: Record<string, string> | null;
}

/** Sends a message on its channel's transport. */
export class Delivery {
  constructor(
    readonly email: EmailTransport,
    readonly sms: SmsTransport,
    private readonly smsStatusCallback?: string,
  ) {}

  send(message: Deliverable): Promise<SendReceipt> {
    if (message.channel === 'SMS') {
      return this.sms.send({ to: message.to, body: message.text ?? '', statusCallback: this.smsStatusCallback });
    }
    if (!message.messageId || !message.from) return Promise.reject(new TransportError('an email needs a sender and a Message-ID', false));
    return this.email.send({
      from: message.from,
      to: message.to,
      subject: message.subject ?? '',
      text: message.text ?? undefined,
      html: message.html ?? undefined,
      messageId: message.messageId,
      inReplyTo: message.inReplyTo ?? undefined,
      references: message.references,
      headers: message.headers ?? undefined,
    });
  }
}

/** How long before the next try after `attempts` failed ones: doubling from `baseMs`, at most `maxMs`. */
export function backoff(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}
