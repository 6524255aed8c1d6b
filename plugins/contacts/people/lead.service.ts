import { z } from 'zod';
import type { Prisma } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../server/errors.js';
import type { ActivityService } from '../timeline/activity.service.js';
import { emailField } from './contact.schemas.js';
import type { CompanyService } from './company.service.js';
import type { ContactService } from './contact.service.js';

export const leadInput = z.strictObject({
  name: z.string().trim().max(200).optional(),
  email: emailField,
  company: z.string().trim().max(200).optional(),
  phone: z.string().trim().max(50).optional(),
  source: z.string().trim().max(100).optional(),
  payload: z.record(z.string(), z.unknown()).optional(),
});

function splitName(name: string | null): { firstName?: string; lastName?: string } {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return {};
  return parts.length === 1 ? { firstName: parts[0] } : { firstName: parts.slice(0, -1).join(' '), lastName: parts.at(-1) };
}

/** Raw inbound submissions, qualified into contacts. */
export class LeadService {
  constructor(
    private readonly prisma: Database,
    private readonly contacts: ContactService,
    private readonly companies: CompanyService,
    private readonly activities: ActivityService,
  ) {}

  async create(input: z.input<typeof leadInput>) {
    const parsed = leadInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    return this.prisma.lead.create({ data: { ...parsed.data, payload: parsed.data.payload as Prisma.InputJsonValue | undefined } });
  }

  list(filter: { status?: 'NEW' | 'QUALIFIED' | 'DISQUALIFIED' | 'CONVERTED' }) {
    return this.prisma.lead.findMany({ where: filter, orderBy: { id: 'desc' }, take: 500 });
  }

  /**
   * Links the lead to the contact with its email, creating the contact (and its company by name)
   * when there is none; the submission joins the contact's timeline.
   */
  async qualify(id: number, userId?: number) {
    const lead = await this.prisma.lead.findUnique({ where: { id } });
    if (!lead) throw new NotFoundError('Lead', id);
    if (lead.status !== 'NEW') throw new ConflictError(`Lead ${id} is already ${lead.status.toLowerCase()}`);
    let contact = await this.contacts.findByEmail(lead.email);
    const created = !contact;
    if (!contact) {
      const company = lead.company ? ((await this.companies.findByName(lead.company)) ?? (await this.companies.create({ name: lead.company }))) : null;
      const view = await this.contacts.create(
        { email: lead.email, ...splitName(lead.name), phone: lead.phone ?? undefined, leadSource: lead.source ?? undefined, companyId: company?.id },
        { source: 'lead' },
      );
      contact = await this.contacts.findByEmail(view.email);
    }
    const contactId = contact!.id;
    const { activity, updated } = await this.prisma.$transaction(async (tx) => {
      const updated = await tx.lead.update({ where: { id }, data: { status: 'QUALIFIED', contactId } });
      const activity = await this.activities.log(
        contactId,
        {
          type: 'FORM_SUBMITTED',
          occurredAt: lead.createdAt,
          subject: `Lead from ${lead.source ?? 'unknown source'}`,
          metadata: { leadId: id, payload: (lead.payload ?? null) as never },
        },
        userId,
        tx,
      );
      return { activity, updated };
    });
    await this.activities.announce(activity);
    return { lead: updated, contactId, createdContact: created };
  }

  async disqualify(id: number) {
    const lead = await this.prisma.lead.findUnique({ where: { id } });
    if (!lead) throw new NotFoundError('Lead', id);
    return this.prisma.lead.update({ where: { id }, data: { status: 'DISQUALIFIED' } });
  }
}
