import { z } from 'zod';
import type { Campaign, CampaignSendStatus, Prisma } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../server/errors.js';
import { chunksOf, idListParam } from '../../../server/id-lists.js';
import type { ContactsApi } from '../../contacts/public.js';
import type { CampaignRunner } from './campaign.runner.js';

export const campaignInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    templateId: z.number().int().positive(),
    /** The contacts, by id (e.g. those selected in the list)... */
    contactIds: z.array(z.number().int().positive()).min(1).max(1_000_000).optional(),
    /** ...or a list filter, as the contact list takes it (`{ "status": "ACTIVE", "tags": "vip" }`). */
    filter: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string())])).optional(),
    /** Messages per second for this campaign. */
    rateLimit: z.number().int().min(1).max(100_000).optional(),
  })
  .refine((c) => (c.contactIds ? !c.filter : !!c.filter), { path: ['contactIds'], message: 'give contactIds or a filter (one of them)' });
export type CampaignInput = z.input<typeof campaignInput>;

export interface CampaignReport {
  id: number;
  name: string;
  status: Campaign['status'];
  templateId: number;
  purpose: Campaign['purpose'];
  total: number;
  counts: Record<'pending' | 'sending' | 'sent' | 'skipped' | 'failed' | 'cancelled', number>;
  /** Share of the contacts that are done with (sent, skipped, failed or cancelled), 0-1. */
  progress: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  skipped: { contactId: number; reason: string | null }[];
  failed: { contactId: number; error: string | null; attempts: number }[];
}

const REPORT_ROWS = 1_000;

/** Campaigns: one template to many contacts, sent in the background by the runner, with a report. */
export class CampaignService {
  constructor(
    private readonly prisma: Database,
    private readonly contactList: ContactsApi['list'],
    private readonly runner: CampaignRunner,
    private readonly dialect: 'sqlite' | 'postgres',
  ) {}

  async create(input: CampaignInput, userId?: number): Promise<CampaignReport> {
    const parsed = campaignInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'body');
    const body = parsed.data;
    const template = await this.prisma.messageTemplate.findUnique({ where: { id: body.templateId } });
    if (!template) throw ValidationError.field('body.templateId', `no template with id ${body.templateId}`);
    const contactIds = body.contactIds ? await this.existing([...new Set(body.contactIds)]) : await this.matching(body.filter!);
    if (!contactIds.length) throw ValidationError.field(body.contactIds ? 'body.contactIds' : 'body.filter', 'matches no contact');

    const campaign = await this.prisma.$transaction(
      async (tx) => {
        const created = await tx.campaign.create({
          data: {
            name: body.name ?? `${template.name} ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`,
            templateId: template.id,
            purpose: template.purpose,
            filter: body.filter as Prisma.InputJsonValue | undefined,
            total: contactIds.length,
            rateLimit: body.rateLimit,
            createdById: userId,
          },
        });
        // One set-based insert per 10,000 contacts (createMany costs a row's worth of client work each).
        for (const ids of chunksOf(contactIds, 10_000)) {
          if (this.dialect === 'sqlite') {
            await tx.$executeRawUnsafe(
              `INSERT INTO "CampaignSend" ("campaignId", "contactId", "status", "attempts", "updatedAt") SELECT ?, value, 'PENDING', 0, ? FROM json_each(?)`,
              created.id,
              new Date().toISOString().replace('Z', '+00:00'),
              idListParam(ids),
            );
          } else {
            await tx.$executeRawUnsafe(
              `INSERT INTO "CampaignSend" ("campaignId", "contactId", "status", "attempts", "updatedAt") SELECT $1, x::int, 'PENDING'::"CampaignSendStatus", 0, $2 FROM jsonb_array_elements_text($3::jsonb) AS x`,
              created.id,
              new Date(),
              idListParam(ids),
            );
          }
        }
        return created;
      },
      { timeout: 120_000 },
    );
    void this.runner.start(campaign.id);
    return this.report(campaign.id);
  }

  async report(id: number): Promise<CampaignReport> {
    const campaign = await this.prisma.campaign.findUnique({ where: { id } });
    if (!campaign) throw new NotFoundError('Campaign', id);
    const grouped = await this.prisma.campaignSend.groupBy({ by: ['status'], where: { campaignId: id }, _count: { _all: true } });
    const count = (status: CampaignSendStatus) => grouped.find((g) => g.status === status)?._count._all ?? 0;
    const counts = {
      pending: count('PENDING'),
      sending: count('SENDING'),
      sent: count('SENT'),
      skipped: count('SKIPPED'),
      failed: count('FAILED'),
      cancelled: count('CANCELLED'),
    };
    const [skipped, failed] = await Promise.all([
      this.prisma.campaignSend.findMany({
        where: { campaignId: id, status: 'SKIPPED' },
        select: { contactId: true, reason: true },
        orderBy: { id: 'asc' },
        take: REPORT_ROWS,
      }),
      this.prisma.campaignSend.findMany({
        where: { campaignId: id, status: 'FAILED' },
        select: { contactId: true, error: true, attempts: true },
        orderBy: { id: 'asc' },
        take: REPORT_ROWS,
      }),
    ]);
    const done = counts.sent + counts.skipped + counts.failed + counts.cancelled;
    return {
      id: campaign.id,
      name: campaign.name,
      status: campaign.status,
      templateId: campaign.templateId,
      purpose: campaign.purpose,
      total: campaign.total,
      counts,
      progress: campaign.total ? Math.round((done / campaign.total) * 1000) / 1000 : 1,
      startedAt: campaign.startedAt,
      finishedAt: campaign.finishedAt,
      skipped,
      failed,
    };
  }

  async list(): Promise<Campaign[]> {
    return this.prisma.campaign.findMany({ orderBy: { id: 'desc' }, take: 200 });
  }

  /** Stops a campaign for good: contacts not yet sent to are marked cancelled. */
  async cancel(id: number): Promise<CampaignReport> {
    await this.prisma.$transaction(async (tx) => {
      const campaign = await tx.campaign.findUnique({ where: { id } });
      if (!campaign) throw new NotFoundError('Campaign', id);
      if (campaign.status === 'COMPLETED' || campaign.status === 'CANCELLED')
        throw new ConflictError(`The campaign is already ${campaign.status.toLowerCase()}`);
      await tx.campaign.update({ where: { id }, data: { status: 'CANCELLED', finishedAt: new Date() } });
      await tx.campaignSend.updateMany({ where: { campaignId: id, status: 'PENDING' }, data: { status: 'CANCELLED' } });
    });
    await this.runner.settled(id);
    return this.report(id);
  }

  async pause(id: number): Promise<CampaignReport> {
    const changed = await this.prisma.campaign.updateMany({ where: { id, status: 'RUNNING' }, data: { status: 'PAUSED' } });
    if (!changed.count) throw await this.notInState(id, 'running');
    await this.runner.settled(id);
    return this.report(id);
  }

  async resume(id: number): Promise<CampaignReport> {
    const changed = await this.prisma.campaign.updateMany({ where: { id, status: 'PAUSED' }, data: { status: 'RUNNING', leaseOwner: null, leaseUntil: null } });
    if (!changed.count) throw await this.notInState(id, 'paused');
    void this.runner.start(id);
    return this.report(id);
  }

  /** Takes over the running campaigns no live instance holds (after a crash or a restart). */
  resumeInterrupted(): Promise<number[]> {
    return this.runner.resumeInterrupted();
  }

  /** Resolves once the campaign has stopped running in this process (tests, the CLI). */
  async waitFor(id: number): Promise<CampaignReport> {
    await this.runner.settled(id);
    return this.report(id);
  }

  private async notInState(id: number, state: string) {
    const campaign = await this.prisma.campaign.findUnique({ where: { id } });
    if (!campaign) return new NotFoundError('Campaign', id);
    return new ConflictError(`The campaign is ${campaign.status.toLowerCase()}, not ${state}`);
  }

  private async existing(ids: number[]): Promise<number[]> {
    const found = new Set<number>();
    for (const part of chunksOf(ids)) {
      for (const c of await this.prisma.contact.findMany({ where: { id: { in: part } }, select: { id: true } })) found.add(c.id);
    }
    const unknown = ids.filter((id) => !found.has(id));
    if (unknown.length)
      throw ValidationError.field('body.contactIds', `no contact with id ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ', ...' : ''}`);
    return ids;
  }

  private async matching(filter: Record<string, unknown>): Promise<number[]> {
    const raw = Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
    let query;
    try {
      query = this.contactList.parseListQuery(raw);
    } catch (err) {
      if (err instanceof ValidationError) {
        throw new ValidationError(
          err.message.replace(/query\./g, 'body.filter.'),
          err.issues?.map((i) => ({ ...i, path: i.path.replace(/^query\./, 'body.filter.') })),
        );
      }
      throw err;
    }
    const where = await this.contactList.where(query);
    return (await this.prisma.contact.findMany({ where, select: { id: true }, orderBy: { id: 'asc' } })).map((c) => c.id);
  }
}
