import { z } from 'zod';
import type { Message, MessageTemplate, OutboxEntry, Prisma } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import { AppError, NotFoundError, ValidationError } from '../../../server/errors.js';
import type { Logger } from 'pino';
import type { ContactsApi } from '../../contacts/public.js';
import { contactForMessageSelect } from '../templates/variables.js';
import type { TemplateService } from '../templates/template.service.js';
import type { TrackingTokens } from '../tracking/tokens.js';
import { backoff, type Delivery } from '../transport/delivery.js';
import { TransportError } from '../transport/transport.js';
import type { BounceService } from '../inbound/bounce.service.js';
import { composeFor, type ComposeProblem, type ComposeSettings, type Composed } from './compose.js';

export const sendInput = z
  .strictObject({
    contactId: z.number().int().positive(),
    channel: z.enum(['EMAIL', 'SMS']).optional(),
    templateId: z.number().int().positive().optional(),
    subject: z.string().trim().min(1).max(500).optional(),
    /** Plain text (email text part, or the SMS). Variables work as in templates. */
    body: z.string().min(1).max(100_000).optional(),
    html: z.string().min(1).max(500_000).optional(),
    purpose: z.enum(['MARKETING', 'TRANSACTIONAL']).optional(),
    /** Answer this message (its id): the reply joins its thread. */
    replyTo: z.number().int().positive().optional(),
  })
  .superRefine((input, ctx) => {
    if (input.templateId && (input.body || input.html || input.subject)) {
      ctx.addIssue({ code: 'custom', path: ['templateId'], message: 'give a templateId or a subject and body, not both' });
    }
    if (!input.templateId && !input.body && !input.html) ctx.addIssue({ code: 'custom', path: ['body'], message: 'give a templateId or a body' });
    if (!input.templateId && (input.channel ?? 'EMAIL') === 'EMAIL' && !input.subject && !input.replyTo) {
      ctx.addIssue({ code: 'custom', path: ['subject'], message: 'is required for an email' });
    }
    if (input.channel === 'SMS' && input.html) ctx.addIssue({ code: 'custom', path: ['html'], message: 'an SMS has only a body' });
  });
export type SendInput = z.input<typeof sendInput>;

export const messageQuery = z.strictObject({
  contactId: z.coerce.number().int().positive().optional(),
  campaignId: z.coerce.number().int().positive().optional(),
  threadId: z.string().min(1).max(300).optional(),
  channel: z.enum(['EMAIL', 'SMS']).optional(),
  direction: z.enum(['OUTBOUND', 'INBOUND']).optional(),
  status: z.enum(['QUEUED', 'SENT', 'DELIVERED', 'FAILED', 'BOUNCED', 'RECEIVED']).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type MessageQuery = z.input<typeof messageQuery>;

export interface RetrySettings {
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export class ConsentRequiredError extends AppError {
  constructor(contactId: number, channel: string, purpose: string, reason: string | undefined) {
    super(
      422,
      'CONSENT_REQUIRED',
      `Contact ${contactId} may not be sent ${purpose.toLowerCase()} ${channel === 'SMS' ? 'SMS' : 'email'}: ${reason ?? 'refused'}`,
      undefined,
      {
        reason: reason ?? 'REFUSED',
        channel,
        purpose,
      },
    );
  }
}

/** The 422 answer for a contact that cannot get a message: a variable without value, or no address. */
export function composeError(problem: ComposeProblem): AppError {
  if (problem.reason === 'MISSING_VARIABLE') {
    return new AppError(
      422,
      'MISSING_VARIABLES',
      `The contact has no value for ${problem.missing.map((m) => `{{${m}}}`).join(', ')} and the template gives no fallback`,
      [...problem.missing.map((m) => ({ path: `variables.${m}`, message: 'has no value for this contact' }))],
    );
  }
  return new AppError(422, 'NO_ADDRESS', `The contact has no ${problem.field === 'mobile' ? 'mobile number in E.164 form' : 'address'} to send to`, [
    { path: `contact.${problem.field}`, message: 'is missing' },
  ]);
}

/** One-off messages: compose, ask the gate, store, send, retry temporary failures, log on the timeline. */
export class MessageService {
  private retryTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly prisma: Database,
    private readonly contacts: Pick<ContactsApi, 'gate' | 'activities'>,
    private readonly templates: TemplateService,
    private readonly delivery: Delivery,
    private readonly bounces: BounceService,
    private readonly compose: { settings: ComposeSettings; tokens: TrackingTokens },
    private readonly retry: RetrySettings,
    private readonly logger: Logger,
  ) {}

  async send(input: SendInput, userId?: number): Promise<Message> {
    const parsed = sendInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'body');
    const body = parsed.data;
    const template: MessageTemplate | undefined = body.templateId ? await this.templateFor(body.templateId) : undefined;
    const channel = body.channel ?? template?.channel ?? 'EMAIL';
    if (template && template.channel !== channel) throw ValidationError.field('body.templateId', `is a ${template.channel} template, not ${channel}`);
    const purpose = body.purpose ?? template?.purpose ?? 'MARKETING';
    const contact = await this.prisma.contact.findUnique({ where: { id: body.contactId }, select: contactForMessageSelect });
    if (!contact) throw ValidationError.field('body.contactId', `no contact with id ${body.contactId}`);

    const verdict = await this.contacts.gate.canContact(contact.id, channel, purpose);
    if (!verdict.allowed) throw new ConsentRequiredError(contact.id, channel, purpose, verdict.reason);

    const reply = body.replyTo ? await this.replyContext(body.replyTo, contact.id, channel) : undefined;
    const subject = body.subject ?? (reply?.subject ? (/^re:/i.test(reply.subject) ? reply.subject : `Re: ${reply.subject}`) : undefined);
    const parts = template ?? { subject, text: body.body, html: body.html };
    const unsubscribeUrl = channel === 'EMAIL' ? await this.contacts.gate.unsubscribeUrl(contact.id, 'EMAIL', purpose) : undefined;
    const composed = composeFor(contact, parts, { channel, purpose, settings: this.compose.settings, tokens: this.compose.tokens, unsubscribeUrl, reply });
    if (!composed.ok) throw composeError(composed.problem);

    const message = await this.prisma.message.create({ data: { ...this.row(composed.message), templateId: template?.id, userId } });
    return this.attempt(message, composed.message.references);
  }

  async get(id: number): Promise<Message> {
    const message = await this.prisma.message.findUnique({ where: { id } });
    if (!message) throw new NotFoundError('Message', id);
    return message;
  }

  async list(query: MessageQuery): Promise<{ data: Message[]; total: number; page: number; pageSize: number }> {
    const q = messageQuery.parse(query);
    const where: Prisma.MessageWhereInput = {
      contactId: q.contactId,
      campaignId: q.campaignId,
      threadId: q.threadId,
      channel: q.channel,
      direction: q.direction,
      status: q.status,
      createdAt: q.from || q.to ? { gte: q.from, lte: q.to } : undefined,
    };
    const [data, total] = await Promise.all([
      this.prisma.message.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], skip: (q.page - 1) * q.pageSize, take: q.pageSize }),
      this.prisma.message.count({ where }),
    ]);
    return { data, total, page: q.page, pageSize: q.pageSize };
  }

  /** What the outbox transport kept, newest first. */
  async outbox(page: { page: number; pageSize: number }): Promise<{ items: OutboxEntry[]; total: number }> {
    const [items, total] = await Promise.all([
      this.prisma.outboxEntry.findMany({ orderBy: { id: 'desc' }, skip: (page.page - 1) * page.pageSize, take: page.pageSize }),
      this.prisma.outboxEntry.count(),
    ]);
    return { items, total };
  }

  /** A contact's conversations: messages grouped by thread, newest thread first. */
  async threads(contactId: number): Promise<{ threadId: string; channel: string; subject: string | null; lastAt: Date; messages: Message[] }[]> {
    const messages = await this.prisma.message.findMany({ where: { contactId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 2_000 });
    const threads = new Map<string, Message[]>();
    for (const m of messages) {
      const key = m.threadId ?? `message:${m.id}`;
      threads.set(key, [...(threads.get(key) ?? []), m]);
    }
    return [...threads.entries()]
      .map(([threadId, list]) => ({ threadId, channel: list[0]!.channel, subject: list[0]!.subject, lastAt: list.at(-1)!.createdAt, messages: list }))
      .sort((a, b) => b.lastAt.getTime() - a.lastAt.getTime());
  }

  /** Sends a stored message once; temporary failures are retried later with backoff, up to the limit. */
  private async attempt(message: Message, references?: string[]): Promise<Message> {
    const attempts = message.attempts + 1;
    try {
      const receipt = await this.delivery.send({
        ...message,
        from: message.fromAddress,
        to: message.toAddress,
        references,
        headers: message.headers as Record<string, string> | null,
      });
      const sent = await this.prisma.message.update({
        where: { id: message.id },
        data: { status: 'SENT', sentAt: new Date(), providerId: receipt.providerId, attempts, error: null, nextAttemptAt: null },
      });
      if (sent.contactId) {
        await this.contacts.activities.log(
          sent.contactId,
          {
            type: sent.channel === 'SMS' ? 'SMS_SENT' : 'EMAIL_SENT',
            subject: sent.subject ?? undefined,
            body: (sent.text ?? '').slice(0, 2_000),
            metadata: { messageId: sent.id },
          },
          sent.userId ?? undefined,
        );
      }
      return sent;
    } catch (err) {
      const failure = err instanceof TransportError ? err : new TransportError((err as Error).message, true);
      if (failure.temporary && attempts < this.retry.maxAttempts) {
        const nextAttemptAt = new Date(Date.now() + backoff(attempts, this.retry.retryBaseMs, this.retry.retryMaxMs));
        this.scheduleRetry(nextAttemptAt);
        return this.prisma.message.update({ where: { id: message.id }, data: { attempts, error: failure.message, nextAttemptAt } });
      }
      this.logger.warn({ messageId: message.id, code: failure.code }, 'message failed');
      if (failure.hardBounce) {
        await this.prisma.message.update({ where: { id: message.id }, data: { attempts } });
        await this.bounces.record(message.id, true, failure.message);
        return this.get(message.id);
      }
      return this.prisma.message.update({ where: { id: message.id }, data: { status: 'FAILED', attempts, error: failure.message, nextAttemptAt: null } });
    }
  }

  /** Sends the one-off messages whose retry is due (each claimed first, so two instances never both send it). */
  async retryDue(now = new Date()): Promise<{ retried: number }> {
    const due = await this.prisma.message.findMany({
      where: { status: 'QUEUED', direction: 'OUTBOUND', campaignId: null, nextAttemptAt: { lte: now } },
      orderBy: { nextAttemptAt: 'asc' },
      take: 500,
    });
    let retried = 0;
    for (const message of due) {
      if (this.stopped) break;
      const claimed = await this.prisma.message.updateMany({
        where: { id: message.id, status: 'QUEUED', nextAttemptAt: message.nextAttemptAt },
        data: { nextAttemptAt: null },
      });
      if (claimed.count !== 1) continue;
      await this.attempt(message, message.inReplyTo ? [message.inReplyTo] : undefined);
      retried++;
    }
    const next = await this.prisma.message.findFirst({
      where: { status: 'QUEUED', direction: 'OUTBOUND', campaignId: null, nextAttemptAt: { not: null } },
      orderBy: { nextAttemptAt: 'asc' },
      select: { nextAttemptAt: true },
    });
    if (next?.nextAttemptAt) this.scheduleRetry(next.nextAttemptAt);
    return { retried };
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
  }

  private scheduleRetry(at: Date): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(
      () => void this.retryDue().catch((err) => this.logger.error({ err }, 'retrying messages failed')),
      Math.max(0, at.getTime() - Date.now()),
    );
    this.retryTimer.unref();
  }

  private async templateFor(id: number): Promise<MessageTemplate> {
    const template = await this.prisma.messageTemplate.findUnique({ where: { id } });
    if (!template) throw ValidationError.field('body.templateId', `no template with id ${id}`);
    return template;
  }

  private async replyContext(messageId: number, contactId: number, channel: string) {
    const original = await this.prisma.message.findUnique({ where: { id: messageId } });
    if (!original || original.contactId !== contactId) throw ValidationError.field('body.replyTo', `no message ${messageId} of this contact`);
    if (original.channel !== channel) throw ValidationError.field('body.replyTo', `is a ${original.channel} message`);
    const threadId = original.threadId ?? original.messageId ?? `message:${original.id}`;
    return { inReplyTo: original.messageId ?? '', references: original.messageId ? [original.messageId] : [], threadId, subject: original.subject };
  }

  /** The stored row of a composed message. */
  row(m: Composed): Prisma.MessageUncheckedCreateInput {
    return {
      channel: m.channel,
      direction: 'OUTBOUND',
      status: 'QUEUED',
      purpose: m.purpose,
      contactId: m.contactId,
      fromAddress: m.from || null,
      toAddress: m.to,
      subject: m.subject ?? null,
      text: m.text ?? null,
      html: m.html ?? null,
      messageId: m.messageId ?? null,
      threadId: m.threadId,
      inReplyTo: m.inReplyTo || null,
      links: m.links.length ? m.links : undefined,
      headers: Object.keys(m.headers).length ? m.headers : undefined,
    };
  }
}
