import { z } from 'zod';
import type { Activity } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import type { EventBus } from '../../../server/events.js';
import { NotFoundError, ValidationError } from '../../../server/errors.js';
import { LIFECYCLE_STAGES } from './contact.schemas.js';
import type { ActivityService } from '../timeline/activity.service.js';
import { dealInput, type DealService } from '../timeline/deal.service.js';

/** QUALIFIED → "Qualified": a stage as the timeline reads it. */
const stageName = (stage: string) => stage.charAt(0) + stage.slice(1).toLowerCase().replace(/_/g, ' ');

export const conversionInput = z.strictObject({
  to: z.enum(['CUSTOMER', 'PROSPECT']),
  deal: dealInput.omit({ contactId: true }).optional(),
});

/** Lifecycle moves and lead conversion: type, stage and timeline change together. */
export class LifecycleService {
  constructor(
    private readonly prisma: Database,
    private readonly events: EventBus,
    private readonly activities: ActivityService,
    private readonly deals: DealService,
  ) {}

  async setStage(contactId: number, stage: (typeof LIFECYCLE_STAGES)[number], userId?: number) {
    if (!LIFECYCLE_STAGES.includes(stage)) {
      throw ValidationError.field('stage', `must be one of ${LIFECYCLE_STAGES.join(', ')}`);
    }
    const activity = await this.prisma.$transaction(async (tx) => {
      const contact = await tx.contact.findUnique({ where: { id: contactId }, select: { lifecycleStage: true } });
      if (!contact) throw new NotFoundError('Contact', contactId);
      if (contact.lifecycleStage === stage) return null;
      await tx.contact.update({ where: { id: contactId }, data: { lifecycleStage: stage } });
      return this.activities.log(
        contactId,
        {
          type: 'LIFECYCLE_CHANGED',
          subject: `Lifecycle: ${stageName(contact.lifecycleStage)} → ${stageName(stage)}`,
          metadata: { from: contact.lifecycleStage, to: stage },
        },
        userId,
        tx,
      );
    });
    if (activity) await this.afterChange(contactId, ['lifecycleStage'], [activity]);
    return { changed: activity !== null, activity };
  }

  /** Lead → Customer (stage CUSTOMER) or Prospect (stage QUALIFIED), optionally with a new deal. */
  async convert(contactId: number, input: z.input<typeof conversionInput>, userId?: number) {
    const parsed = conversionInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const { to, deal } = parsed.data;
    const stage = to === 'CUSTOMER' ? 'CUSTOMER' : 'QUALIFIED';
    const result = await this.prisma.$transaction(async (tx) => {
      const contact = await tx.contact.findUnique({ where: { id: contactId }, select: { type: true, lifecycleStage: true, companyId: true } });
      if (!contact) throw new NotFoundError('Contact', contactId);
      await tx.contact.update({ where: { id: contactId }, data: { type: to, lifecycleStage: stage } });
      const logged: Activity[] = [
        await this.activities.log(
          contactId,
          {
            type: 'LIFECYCLE_CHANGED',
            subject: `Converted to ${to.toLowerCase()}`,
            metadata: { from: contact.lifecycleStage, to: stage, fromType: contact.type, toType: to },
          },
          userId,
          tx,
        ),
      ];
      const created = deal ? await this.deals.create({ ...deal, contactId, companyId: deal.companyId ?? contact.companyId }, userId, tx) : null;
      if (created?.activity) logged.push(created.activity);
      return { logged, deal: created?.deal ?? null };
    });
    await this.afterChange(contactId, ['type', 'lifecycleStage'], result.logged);
    return { contactId, type: to, lifecycleStage: stage, deal: result.deal };
  }

  private async afterChange(contactId: number, fields: string[], activities: Activity[]): Promise<void> {
    await this.events.emit('contact.updated', { contactIds: [contactId], fields });
    for (const activity of activities) await this.activities.announce(activity);
  }
}
