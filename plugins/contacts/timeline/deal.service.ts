import { z } from 'zod';
import type { Deal, Prisma } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import { NotFoundError, ValidationError } from '../../../server/errors.js';
import type { ActivityService } from './activity.service.js';

export const dealInput = z.strictObject({
  title: z.string().trim().min(1).max(200),
  contactId: z.number().int().positive().nullish(),
  companyId: z.number().int().positive().nullish(),
  stage: z.string().trim().min(1).max(100).optional(),
  /** In major units (12.5 = 12.50); stored in cents. */
  value: z.number().min(0).max(1e12).optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
    .optional(),
  expectedCloseDate: z.coerce.date().nullish(),
  status: z.enum(['OPEN', 'WON', 'LOST']).optional(),
  ownerId: z.number().int().positive().nullish(),
});
export type DealInput = z.input<typeof dealInput>;

export function dealView(deal: Deal) {
  const { valueCents, ...rest } = deal;
  return { ...rest, value: valueCents / 100 };
}

export class DealService {
  constructor(
    private readonly prisma: Database,
    private readonly activities: ActivityService,
  ) {}

  /** Creates a deal; when it has a contact, a DEAL_CREATED activity joins the timeline. */
  async create(input: DealInput, userId?: number, tx?: Prisma.TransactionClient) {
    const parsed = dealInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const { value, ...data } = parsed.data;
    const write = async (db: Prisma.TransactionClient) => {
      const deal = await db.deal.create({ data: { ...data, valueCents: Math.round((value ?? 0) * 100), ownerId: data.ownerId ?? userId } });
      const activity = deal.contactId
        ? await this.activities.log(
            deal.contactId,
            {
              type: 'DEAL_CREATED',
              subject: deal.title,
              dealId: deal.id,
              metadata: { stage: deal.stage, value: deal.valueCents / 100, currency: deal.currency },
            },
            userId,
            db,
          )
        : null;
      return { deal, activity };
    };
    const { deal, activity } = tx ? await write(tx) : await this.prisma.$transaction(write);
    if (activity && !tx) await this.activities.announce(activity);
    return { deal: dealView(deal), activity };
  }

  async update(id: number, input: Partial<DealInput>, userId?: number) {
    const parsed = dealInput.partial().safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const existing = await this.prisma.deal.findUnique({ where: { id } });
    if (!existing) throw new NotFoundError('Deal', id);
    const { value, ...data } = parsed.data;
    const { deal, activity } = await this.prisma.$transaction(async (tx) => {
      const deal = await tx.deal.update({ where: { id }, data: { ...data, ...(value !== undefined ? { valueCents: Math.round(value * 100) } : {}) } });
      const type =
        data.status && data.status !== existing.status
          ? data.status === 'WON'
            ? 'DEAL_WON'
            : data.status === 'LOST'
              ? 'DEAL_LOST'
              : null
          : data.stage && data.stage !== existing.stage
            ? 'DEAL_STAGE_CHANGED'
            : null;
      const activity =
        type && deal.contactId
          ? await this.activities.log(
              deal.contactId,
              { type, subject: deal.title, dealId: id, metadata: { from: existing.stage, to: deal.stage, status: deal.status } },
              userId,
              tx,
            )
          : null;
      return { deal, activity };
    });
    if (activity) await this.activities.announce(activity);
    return dealView(deal);
  }

  async list(filter: { contactId?: number; companyId?: number; status?: 'OPEN' | 'WON' | 'LOST' }) {
    return (await this.prisma.deal.findMany({ where: filter, orderBy: { id: 'desc' }, take: 500 })).map(dealView);
  }

  async get(id: number) {
    const deal = await this.prisma.deal.findUnique({ where: { id } });
    if (!deal) throw new NotFoundError('Deal', id);
    return dealView(deal);
  }

  async remove(id: number): Promise<void> {
    const { count } = await this.prisma.deal.deleteMany({ where: { id } });
    if (!count) throw new NotFoundError('Deal', id);
  }
}
