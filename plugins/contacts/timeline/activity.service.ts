import { z } from 'zod';
import type { Activity, ActivityType, Prisma } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import type { EventBus } from '../../../server/events.js';
import { NotFoundError, ValidationError } from '../../../server/errors.js';
import '../events.js';
import type { ContactsExtensions } from '../extensions.js';

export const ACTIVITY_TYPES = [
  'EMAIL_SENT',
  'EMAIL_RECEIVED',
  'EMAIL_OPENED',
  'EMAIL_CLICKED',
  'EMAIL_BOUNCED',
  'CALL',
  'MEETING',
  'NOTE',
  'FORM_SUBMITTED',
  'PAGE_VISITED',
  'FILE_DOWNLOADED',
  'CHAT',
  'SMS_SENT',
  'SMS_RECEIVED',
  'DEAL_CREATED',
  'DEAL_STAGE_CHANGED',
  'DEAL_WON',
  'DEAL_LOST',
  'PROPOSAL_SENT',
  'LIFECYCLE_CHANGED',
  'MERGED',
  'CONSENT_CHANGED',
] as const satisfies readonly ActivityType[];

/** The timeline's type tabs. */
export const TIMELINE_FILTERS = {
  EVERYTHING: undefined,
  CALLS: ['CALL'],
  EMAILS: ['EMAIL_SENT', 'EMAIL_RECEIVED'],
  MEETINGS: ['MEETING'],
  NOTES: ['NOTE'],
  PROPOSALS: ['PROPOSAL_SENT'],
  EMAIL_EVENTS: ['EMAIL_OPENED', 'EMAIL_CLICKED', 'EMAIL_BOUNCED'],
} as const satisfies Record<string, readonly ActivityType[] | undefined>;
export type TimelineFilter = keyof typeof TIMELINE_FILTERS;

/** Touches we make ourselves: they move "last contacted" as well as "last activity". */
const OUTREACH: ReadonlySet<ActivityType> = new Set(['EMAIL_SENT', 'CALL', 'MEETING', 'SMS_SENT', 'CHAT', 'PROPOSAL_SENT']);

/** How a call or a meeting went. */
export const ACTIVITY_OUTCOMES = {
  CALL: ['CONNECTED', 'LEFT_VOICEMAIL', 'NO_ANSWER', 'BUSY', 'WRONG_NUMBER'],
  MEETING: ['HELD', 'NO_SHOW', 'RESCHEDULED', 'CANCELLED'],
} as const;
const OUTCOMES = [...ACTIVITY_OUTCOMES.CALL, ...ACTIVITY_OUTCOMES.MEETING] as const;

export const activityInput = z
  .strictObject({
    type: z.enum(ACTIVITY_TYPES),
    occurredAt: z.coerce.date().optional(),
    subject: z.string().trim().max(500).optional(),
    body: z.string().max(50_000).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    dealId: z.number().int().positive().optional(),
    /** Calls and meetings: how long it took and how it went (kept in the metadata). */
    durationMinutes: z.number().int().min(1).max(1440).optional(),
    outcome: z.enum(OUTCOMES).optional(),
  })
  .superRefine((a, ctx) => {
    const allowed: readonly string[] | undefined = ACTIVITY_OUTCOMES[a.type as keyof typeof ACTIVITY_OUTCOMES];
    if (a.outcome && !allowed?.includes(a.outcome)) {
      ctx.addIssue({ code: 'custom', path: ['outcome'], message: allowed ? `must be one of ${allowed.join(', ')}` : `does not apply to ${a.type}` });
    }
    if (a.durationMinutes && !allowed) ctx.addIssue({ code: 'custom', path: ['durationMinutes'], message: `does not apply to ${a.type}` });
  });
export type ActivityInput = z.input<typeof activityInput>;

export interface Milestone {
  key: 'FIRST_CONTACT' | 'FIRST_MEETING' | 'FIRST_DEAL' | 'BECAME_CUSTOMER' | 'LAST_ACTIVITY';
  label: string;
  at: Date;
}

const titleCase = (type: string) => type.charAt(0) + type.slice(1).toLowerCase().replace(/_/g, ' ');

export class ActivityService {
  constructor(
    private readonly prisma: Database,
    private readonly events: EventBus,
    private readonly extensions?: ContactsExtensions,
  ) {}

  /** Every activity type with its label and icon; plugins describe the types they log through the extension object. */
  timelineTypes(): { type: ActivityType; label: string; icon: string | null; plugin: string | null }[] {
    const described = new Map(
      this.extensions?.of('timeline').flatMap(({ plugin, value }) => Object.entries(value.types ?? {}).map(([type, t]) => [type, { ...t, plugin }] as const)),
    );
    return ACTIVITY_TYPES.map((type) => {
      const own = described.get(type);
      return { type, label: own?.label ?? titleCase(type), icon: own?.icon ?? null, plugin: own?.plugin ?? null };
    });
  }

  /** Records an activity, moves the contact's last-activity (and last-contacted) date, emits `activity.logged`. */
  async log(contactId: number, input: ActivityInput, userId?: number, tx?: Prisma.TransactionClient): Promise<Activity> {
    const parsed = activityInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const { durationMinutes, outcome, ...data } = parsed.data;
    const metadata =
      durationMinutes || outcome ? { ...data.metadata, ...(durationMinutes ? { durationMinutes } : {}), ...(outcome ? { outcome } : {}) } : data.metadata;
    const write = async (db: Prisma.TransactionClient) => {
      const contact = await db.contact.findUnique({ where: { id: contactId }, select: { lastActivityAt: true, lastContactedAt: true } });
      if (!contact) throw new NotFoundError('Contact', contactId);
      if (data.dealId && !(await db.deal.findUnique({ where: { id: data.dealId }, select: { id: true } }))) {
        throw ValidationError.field('dealId', `no deal with id ${data.dealId}`);
      }
      const occurredAt = data.occurredAt ?? new Date();
      const activity = await db.activity.create({
        data: { ...data, metadata: metadata as Prisma.InputJsonValue | undefined, occurredAt, contactId, userId },
      });
      const later = (current: Date | null) => !current || current < occurredAt;
      const touch: Prisma.ContactUpdateInput = {};
      if (later(contact.lastActivityAt)) touch.lastActivityAt = occurredAt;
      if (OUTREACH.has(data.type) && later(contact.lastContactedAt)) touch.lastContactedAt = occurredAt;
      if (Object.keys(touch).length) await db.contact.update({ where: { id: contactId }, data: touch });
      return activity;
    };
    const activity = tx ? await write(tx) : await this.prisma.$transaction(write);
    if (!tx) await this.announce(activity);
    return activity;
  }

  /** Emits `activity.logged` for an activity written inside a caller's transaction, once it committed. */
  announce(activity: Pick<Activity, 'id' | 'contactId' | 'type' | 'occurredAt'>): Promise<void> {
    return this.events.emit('activity.logged', {
      activityId: activity.id,
      contactId: activity.contactId,
      type: activity.type,
      occurredAt: activity.occurredAt,
    });
  }

  async timeline(
    contactId: number,
    options: { filter?: TimelineFilter; before?: Date; limit?: number } = {},
  ): Promise<{ data: (Activity & { user: { id: number; name: string } | null })[]; nextBefore: string | null }> {
    if (!(await this.prisma.contact.findUnique({ where: { id: contactId }, select: { id: true } }))) {
      throw new NotFoundError('Contact', contactId);
    }
    const types = TIMELINE_FILTERS[options.filter ?? 'EVERYTHING'];
    const limit = options.limit ?? 50;
    const data = await this.prisma.activity.findMany({
      where: { contactId, ...(types ? { type: { in: [...types] } } : {}), ...(options.before ? { occurredAt: { lt: options.before } } : {}) },
      include: { user: { select: { id: true, name: true } } },
      orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return { data, nextBefore: data.length === limit ? data.at(-1)!.occurredAt.toISOString() : null };
  }

  /** Milestones of the relationship: first contact, first meeting, first deal, became customer, last activity. */
  async history(contactId: number): Promise<Milestone[]> {
    const contact = await this.prisma.contact.findUnique({ where: { id: contactId }, select: { createdAt: true, lastActivityAt: true } });
    if (!contact) throw new NotFoundError('Contact', contactId);
    const first = (where: Prisma.ActivityWhereInput) =>
      this.prisma.activity.findFirst({ where: { contactId, ...where }, orderBy: { occurredAt: 'asc' }, select: { occurredAt: true, metadata: true } });
    const [firstAny, meeting, deal, customer] = await Promise.all([
      first({}),
      first({ type: 'MEETING' }),
      first({ type: 'DEAL_CREATED' }),
      this.prisma.activity.findMany({
        where: { contactId, type: { in: ['LIFECYCLE_CHANGED', 'DEAL_WON'] } },
        orderBy: { occurredAt: 'asc' },
        select: { type: true, occurredAt: true, metadata: true },
      }),
    ]);
    const becameCustomer = customer.find((a) => a.type === 'DEAL_WON' || (a.metadata as { to?: string } | null)?.to === 'CUSTOMER');
    const firstContact = firstAny && firstAny.occurredAt < contact.createdAt ? firstAny.occurredAt : contact.createdAt;
    const milestones: (Milestone | null)[] = [
      { key: 'FIRST_CONTACT', label: 'First contact', at: firstContact },
      meeting ? { key: 'FIRST_MEETING', label: 'First meeting', at: meeting.occurredAt } : null,
      deal ? { key: 'FIRST_DEAL', label: 'First deal created', at: deal.occurredAt } : null,
      becameCustomer ? { key: 'BECAME_CUSTOMER', label: 'Became a customer', at: becameCustomer.occurredAt } : null,
      contact.lastActivityAt ? { key: 'LAST_ACTIVITY', label: 'Last activity', at: contact.lastActivityAt } : null,
    ];
    return milestones.filter((m): m is Milestone => m !== null).sort((a, b) => a.at.getTime() - b.at.getTime());
  }
}
