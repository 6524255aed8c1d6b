import { randomUUID } from 'node:crypto';
import type { Campaign, MessageTemplate } from '@prisma/client';
import type { Logger } from 'pino';
import type { Database } from '../../../server/db.js';
import type { ContactsApi } from '../../contacts/public.js';
import type { BounceService } from '../inbound/bounce.service.js';
import { composeFor, type ComposeSettings } from '../messages/compose.js';
import type { MessageService } from '../messages/message.service.js';
import type { TrackingTokens } from '../tracking/tokens.js';
import { backoff, type Delivery } from '../transport/delivery.js';
import { TransportError } from '../transport/transport.js';
import { RateLimiter } from './rate-limiter.js';
import type { NewMessage, OutgoingRow, SendStore } from './send-store.js';

export interface RunnerSettings {
  batchSize: number;
  leaseMs: number;
  rateLimit: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  frequencyCap: number;
  frequencyCapHours: number;
}

/** A claimed batch: the rows taken for sending, each with its stored message. */
interface Batch {
  token: string;
  items: { sendId: number; contactId: number; attempts: number; message: OutgoingRow }[];
  /** Rows claimed and then skipped or found with nothing to do. */
  handled: number;
}

/** Batches handed to the transport and not yet recorded, at most. */
const MAX_BATCHES_IN_FLIGHT = 2;

export const INTERRUPTED =
  'INTERRUPTED: the instance sending it stopped while the message was being handed to the mail server; it is not sent again so that no one gets it twice';

/**
 * Runs campaigns in the background. Each (campaign, contact) is one CampaignSend row (unique key), and
 * a row goes out only once: it is claimed (PENDING -> SENDING, stamped with the claim's token), marked
 * handed just before the transport gets it, and SENT after. A campaign is held by one instance through
 * a renewed lease; when that instance dies, another takes the campaign over once the lease runs out:
 * rows claimed but never handed go back to PENDING, rows handed but not confirmed are reported as
 * INTERRUPTED and never resent.
 */
export class CampaignRunner {
  readonly instance = randomUUID();
  private readonly running = new Map<number, Promise<void>>();
  /** Campaigns that may hold stored, unsent messages (retries, released batches): only they need the look-up. */
  private readonly mayHaveQueued = new Set<number>();
  private stopped = false;

  constructor(
    private readonly prisma: Database,
    private readonly deps: {
      gate: ContactsApi['gate'];
      delivery: Delivery;
      bounces: BounceService;
      messages: MessageService;
      compose: { settings: ComposeSettings; tokens: TrackingTokens };
      logger: Logger;
    },
    private readonly settings: RunnerSettings,
    private readonly store: SendStore,
  ) {}

  /** Runs the campaign here unless it already runs (here or, with a live lease, elsewhere). */
  start(id: number): Promise<void> {
    const current = this.running.get(id);
    if (current) return current;
    const run = this.run(id)
      .catch((err) => this.deps.logger.error({ err, campaignId: id }, 'campaign run failed'))
      .finally(() => this.running.delete(id));
    this.running.set(id, run);
    return run;
  }

  /** Resolves when the campaign no longer runs in this process. */
  async settled(id: number): Promise<void> {
    await this.running.get(id);
  }

  /** Starts the running campaigns no live instance holds (after a crash or a restart). */
  async resumeInterrupted(): Promise<number[]> {
    if (this.stopped) return [];
    const orphans = await this.prisma.campaign.findMany({
      where: { status: 'RUNNING', OR: [{ leaseUntil: null }, { leaseUntil: { lt: new Date() } }] },
      select: { id: true },
    });
    for (const { id } of orphans) void this.start(id);
    return orphans.map((c) => c.id);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.running.values());
  }

  closeStore(): void {
    this.store.close();
  }

  private async run(id: number): Promise<void> {
    if (!(await this.acquire(id))) return;
    const campaign = (await this.prisma.campaign.findUnique({ where: { id }, include: { template: true } }))!;
    const limiter = new RateLimiter(campaign.rateLimit ?? this.settings.rateLimit);
    // Batches overlap: while one goes out, the next is claimed, rendered and handed over, so the
    // transport's queue never runs dry between batches.
    const inFlight = new Set<Promise<void>>();
    try {
      await this.recoverInterrupted(id);
      if (await this.prisma.message.findFirst({ where: { campaignId: id, status: 'QUEUED' }, select: { id: true } })) this.mayHaveQueued.add(id);
      else this.mayHaveQueued.delete(id);
      while (true) {
        const batch = await this.prepare(campaign, campaign.template);
        if (!(await this.renew(id))) {
          if (batch) await this.release(batch, id);
          break;
        }
        if (!batch) {
          await Promise.all(inFlight);
          const waitMs = await this.untilNextDue(id);
          if (waitMs === undefined) {
            await this.complete(id);
            break;
          }
          await sleep(Math.min(waitMs, this.settings.leaseMs / 3));
          continue;
        }
        const sending: Promise<void> = this.sendBatch(batch, limiter, campaign).finally(() => inFlight.delete(sending));
        inFlight.add(sending);
        if (inFlight.size >= MAX_BATCHES_IN_FLIGHT) await Promise.race(inFlight);
      }
    } finally {
      await Promise.allSettled(inFlight);
      await this.prisma.campaign.updateMany({ where: { id, leaseOwner: this.instance }, data: { leaseOwner: null, leaseUntil: null } });
    }
  }

  private async acquire(id: number): Promise<boolean> {
    if (this.stopped) return false;
    const now = new Date();
    const taken = await this.prisma.campaign.updateMany({
      where: { id, status: 'RUNNING', OR: [{ leaseOwner: null }, { leaseUntil: { lt: now } }, { leaseOwner: this.instance }] },
      data: { leaseOwner: this.instance, leaseUntil: new Date(now.getTime() + this.settings.leaseMs) },
    });
    if (taken.count !== 1) return false;
    await this.prisma.campaign.updateMany({ where: { id, startedAt: null }, data: { startedAt: now } });
    return true;
  }

  /** Keeps the lease while the campaign runs; false when it was paused, cancelled, taken over or this process stops. */
  private async renew(id: number): Promise<boolean> {
    if (this.stopped) return false;
    const renewed = await this.prisma.campaign.updateMany({
      where: { id, status: 'RUNNING', leaseOwner: this.instance },
      data: { leaseUntil: new Date(Date.now() + this.settings.leaseMs) },
    });
    return renewed.count === 1;
  }

  /** Rows a stopped instance left SENDING: back to PENDING if never handed over, INTERRUPTED otherwise. */
  private async recoverInterrupted(id: number): Promise<void> {
    const stuck = await this.prisma.campaignSend.findMany({
      where: { campaignId: id, status: 'SENDING' },
      select: { id: true, contactId: true, handedAt: true },
    });
    if (!stuck.length) return;
    const handed = stuck.filter((s) => s.handedAt);
    await this.prisma.$transaction(async (tx) => {
      await tx.campaignSend.updateMany({
        where: { id: { in: stuck.filter((s) => !s.handedAt).map((s) => s.id) } },
        data: { status: 'PENDING', claimedBy: null },
      });
      await tx.campaignSend.updateMany({ where: { id: { in: handed.map((s) => s.id) } }, data: { status: 'FAILED', error: INTERRUPTED, claimedBy: null } });
      await tx.message.updateMany({
        where: { campaignId: id, contactId: { in: handed.map((s) => s.contactId) }, status: 'QUEUED' },
        data: { status: 'FAILED', error: INTERRUPTED },
      });
    });
    this.deps.logger.warn({ campaignId: id, requeued: stuck.length - handed.length, interrupted: handed.length }, 'campaign resumed after an interruption');
  }

  /** Claims the next due rows, asks the gate, renders, and stores their messages; undefined when none is due. */
  private async prepare(campaign: Campaign, template: MessageTemplate): Promise<Batch | undefined> {
    if (this.stopped) return undefined;
    const now = new Date();
    const token = randomUUID();
    const rows = await this.store.claim(campaign.id, now, this.settings.batchSize, token);
    if (!rows.length) return undefined;
    const contactIds = rows.map((r) => r.contactId);

    const skips = new Map<number, string>();
    const verdicts = await this.deps.gate.check(contactIds, template.channel, campaign.purpose);
    for (const [contactId, verdict] of verdicts) if (!verdict.allowed) skips.set(contactId, verdict.reason ?? 'REFUSED');
    for (const contactId of await this.overCap(
      campaign,
      contactIds.filter((c) => !skips.has(c)),
    )) {
      skips.set(contactId, 'FREQUENCY_CAP');
    }

    // A row met before (a retry, or a batch claimed but never handed) keeps its stored message and Message-ID.
    const stored = new Map<number, OutgoingRow>();
    const queuedIds = this.mayHaveQueued.has(campaign.id) ? await this.store.queued(campaign.id, contactIds) : [];
    if (queuedIds.length) {
      for (const m of await this.prisma.message.findMany({ where: { id: { in: queuedIds } } })) {
        stored.set(m.contactId!, { ...m, contactId: m.contactId!, headers: m.headers as Record<string, string> | null });
      }
    }
    const toRender = contactIds.filter((c) => !skips.has(c) && !stored.has(c));
    const contacts = toRender.length ? await this.store.contacts(toRender) : [];
    const fresh: NewMessage[] = [];
    for (const contact of contacts) {
      const unsubscribeUrl = template.channel === 'EMAIL' ? await this.deps.gate.unsubscribeUrl(contact.id, 'EMAIL', campaign.purpose) : undefined;
      const composed = composeFor(contact, template, {
        channel: template.channel,
        purpose: campaign.purpose,
        settings: this.deps.compose.settings,
        tokens: this.deps.compose.tokens,
        unsubscribeUrl,
      });
      if (!composed.ok) {
        const problem = composed.problem;
        skips.set(contact.id, problem.reason === 'MISSING_VARIABLE' ? `MISSING_VARIABLE: ${problem.missing.join(', ')}` : `NO_ADDRESS: ${problem.field}`);
        continue;
      }
      fresh.push({
        ...this.deps.messages.row(composed.message),
        templateId: template.id,
        campaignId: campaign.id,
        userId: campaign.createdById,
        contactId: contact.id,
      });
    }
    const found = new Set(contacts.map((c) => c.id));
    for (const id of toRender) if (!found.has(id)) skips.set(id, 'CONTACT_REMOVED');

    const byReason = new Map<string, number[]>();
    for (const [contactId, reason] of skips) byReason.set(reason, [...(byReason.get(reason) ?? []), contactId]);
    const created = await this.store.writePrepared(token, fresh, byReason, now);
    for (const m of fresh) {
      stored.set(m.contactId, {
        id: created.get(m.contactId)!,
        contactId: m.contactId,
        channel: m.channel,
        fromAddress: m.fromAddress ?? null,
        toAddress: m.toAddress,
        subject: m.subject ?? null,
        text: m.text ?? null,
        html: m.html ?? null,
        messageId: m.messageId ?? null,
        inReplyTo: m.inReplyTo ?? null,
        headers: (m.headers as Record<string, string> | undefined) ?? null,
      });
    }
    const items = rows
      .filter((r) => !skips.has(r.contactId) && stored.has(r.contactId))
      .map((r) => ({ sendId: r.id, contactId: r.contactId, attempts: r.attempts, message: stored.get(r.contactId)! }));
    return { token, items, handled: rows.length - items.length };
  }

  private async overCap(campaign: Campaign, contactIds: number[]): Promise<number[]> {
    if (!this.settings.frequencyCap || campaign.purpose !== 'MARKETING' || !contactIds.length) return [];
    const since = new Date(Date.now() - this.settings.frequencyCapHours * 3_600_000);
    const counts = await this.prisma.message.groupBy({
      by: ['contactId'],
      where: {
        contactId: { in: contactIds },
        direction: 'OUTBOUND',
        purpose: 'MARKETING',
        status: { in: ['SENT', 'DELIVERED'] },
        createdAt: { gte: since },
      },
      _count: { _all: true },
    });
    return counts.filter((c) => c._count._all >= this.settings.frequencyCap).map((c) => c.contactId!);
  }

  /** Hands the batch to the transport (within the rate limit) and records every outcome in one transaction. */
  private async sendBatch(batch: Batch, limiter: RateLimiter, campaign: Campaign): Promise<void> {
    if (!batch.items.length) return;
    await this.store.markHanded(batch.token, new Date());
    const outcomes = await Promise.all(
      batch.items.map(async (item) => {
        await limiter.take();
        const m = item.message;
        try {
          const receipt = await this.deps.delivery.send({
            ...m,
            from: m.fromAddress,
            to: m.toAddress,
            headers: m.headers as Record<string, string> | null,
          });
          return { item, ok: true as const, providerId: receipt.providerId };
        } catch (err) {
          return { item, ok: false as const, error: err instanceof TransportError ? err : new TransportError((err as Error).message, true) };
        }
      }),
    );
    const sent = outcomes.filter((o) => o.ok);
    const failed = outcomes.filter((o) => !o.ok);
    const bounced: { messageId: number; reason: string }[] = [];
    const now = new Date();
    if (sent.length)
      await this.store.markSent(
        sent.map((o) => o.item.sendId),
        sent.map((o) => o.item.message.id),
        now,
      );
    if (failed.length)
      await this.prisma.$transaction(async (tx) => {
        for (const o of failed) {
          const attempts = o.item.attempts + 1;
          const error = o.error.message.slice(0, 1000);
          if (o.error.temporary && attempts < this.settings.maxAttempts) {
            this.mayHaveQueued.add(campaign.id);
            const nextAttemptAt = new Date(now.getTime() + backoff(attempts, this.settings.retryBaseMs, this.settings.retryMaxMs));
            await tx.campaignSend.update({
              where: { id: o.item.sendId },
              data: { status: 'PENDING', attempts, nextAttemptAt, error, claimedBy: null, handedAt: null },
            });
            await tx.message.update({ where: { id: o.item.message.id }, data: { attempts, error, nextAttemptAt } });
          } else {
            await tx.campaignSend.update({ where: { id: o.item.sendId }, data: { status: 'FAILED', attempts, error, claimedBy: null } });
            if (o.error.hardBounce) bounced.push({ messageId: o.item.message.id, reason: error });
            else await tx.message.update({ where: { id: o.item.message.id }, data: { status: 'FAILED', attempts, error, nextAttemptAt: null } });
          }
        }
      });
    for (const b of bounced) await this.deps.bounces.record(b.messageId, true, b.reason);
    if (failed.length) this.deps.logger.warn({ campaignId: campaign.id, failed: failed.length, sent: sent.length }, 'campaign batch had failures');
  }

  /** A claimed batch that will not be sent now (pause, cancel, shutdown): its rows go back, or are cancelled. */
  private async release(batch: Batch, id: number): Promise<void> {
    const campaign = await this.prisma.campaign.findUnique({ where: { id }, select: { status: true } });
    const status = campaign?.status === 'CANCELLED' ? 'CANCELLED' : 'PENDING';
    await this.prisma.campaignSend.updateMany({ where: { claimedBy: batch.token, status: 'SENDING' }, data: { status, claimedBy: null, handedAt: null } });
    if (status === 'CANCELLED') {
      await this.prisma.message.deleteMany({ where: { id: { in: batch.items.map((i) => i.message.id) }, status: 'QUEUED', attempts: 0 } });
    }
  }

  /** Milliseconds until the next retry is due, 0 when rows are due now, undefined when nothing is left. */
  private async untilNextDue(id: number): Promise<number | undefined> {
    const [sending, pending] = await Promise.all([
      this.prisma.campaignSend.count({ where: { campaignId: id, status: 'SENDING' } }),
      this.prisma.campaignSend.aggregate({ where: { campaignId: id, status: 'PENDING' }, _count: { _all: true }, _min: { nextAttemptAt: true } }),
    ]);
    if (!sending && !pending._count._all) return undefined;
    const next = pending._min.nextAttemptAt;
    return next ? Math.max(0, next.getTime() - Date.now()) : 50;
  }

  private async complete(id: number): Promise<void> {
    await this.prisma.campaign.updateMany({
      where: { id, status: 'RUNNING', leaseOwner: this.instance },
      data: { status: 'COMPLETED', finishedAt: new Date() },
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
