import { z } from 'zod';
import type { MessageTemplate } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../server/errors.js';
import { renderTemplate, variablesOf, type Rendered } from './render.js';
import { contactForMessageSelect, variablesFor } from './variables.js';

export const templateInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    channel: z.enum(['EMAIL', 'SMS']).default('EMAIL'),
    purpose: z.enum(['MARKETING', 'TRANSACTIONAL']).default('MARKETING'),
    subject: z.string().trim().max(500).optional(),
    html: z.string().max(500_000).optional(),
    text: z.string().max(100_000).optional(),
  })
  .superRefine((t, ctx) => {
    if (t.channel === 'EMAIL' && !t.subject) ctx.addIssue({ code: 'custom', path: ['subject'], message: 'is required for an email template' });
    if (t.channel === 'EMAIL' && !t.html && !t.text) ctx.addIssue({ code: 'custom', path: ['html'], message: 'an email template needs html or text' });
    if (t.channel === 'SMS' && !t.text) ctx.addIssue({ code: 'custom', path: ['text'], message: 'is required for an SMS template' });
    if (t.channel === 'SMS' && (t.html || t.subject)) ctx.addIssue({ code: 'custom', path: ['html'], message: 'an SMS template has only text' });
  });
export type TemplateInput = z.input<typeof templateInput>;

/** Templates shipped with the platform (created at start when missing). */
export const SYSTEM_TEMPLATES: z.input<typeof templateInput>[] = [
  {
    name: 'Welcome',
    channel: 'EMAIL',
    purpose: 'TRANSACTIONAL',
    subject: 'Welcome, {{firstName|there}}',
    html: '<p>Hello {{firstName|there}},</p><p>Thank you for your interest. {{owner.name|Our team}} will be in touch.</p>',
    text: 'Hello {{firstName|there}},\n\nThank you for your interest. {{owner.name|Our team}} will be in touch.',
  },
  {
    name: 'Newsletter',
    channel: 'EMAIL',
    purpose: 'MARKETING',
    subject: 'News for {{company|you}}',
    html: '<p>Hello {{firstName|there}},</p><p>Here is what is new this month.</p><p><a href="{{unsubscribeUrl|#}}">Unsubscribe</a></p>',
    text: 'Hello {{firstName|there}},\n\nHere is what is new this month.\n\nUnsubscribe: {{unsubscribeUrl|reply STOP}}',
  },
  {
    name: 'Appointment reminder (SMS)',
    channel: 'SMS',
    purpose: 'TRANSACTIONAL',
    text: 'Hi {{firstName|there}}, a reminder of your appointment with {{owner.name|us}}.',
  },
];

export class TemplateService {
  constructor(private readonly prisma: Database) {}

  list(): Promise<MessageTemplate[]> {
    return this.prisma.messageTemplate.findMany({ orderBy: { name: 'asc' } });
  }

  async get(id: number): Promise<MessageTemplate> {
    const template = await this.prisma.messageTemplate.findUnique({ where: { id } });
    if (!template) throw new NotFoundError('Template', id);
    return template;
  }

  async create(input: TemplateInput, system = false): Promise<MessageTemplate> {
    const parsed = templateInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'body');
    if (await this.prisma.messageTemplate.findUnique({ where: { name: parsed.data.name } })) {
      throw new ConflictError(`A template named "${parsed.data.name}" already exists`);
    }
    return this.prisma.messageTemplate.create({ data: { ...parsed.data, system } });
  }

  async update(id: number, input: Partial<TemplateInput>): Promise<MessageTemplate> {
    const current = await this.get(id);
    const merged = { name: current.name, channel: current.channel, purpose: current.purpose, ...stripNulls(current), ...input };
    const parsed = templateInput.safeParse(merged);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'body');
    return this.prisma.messageTemplate.update({ where: { id }, data: { subject: null, html: null, text: null, ...parsed.data } });
  }

  async remove(id: number): Promise<void> {
    const template = await this.get(id);
    if (template.system) throw new ConflictError('A system template cannot be deleted');
    if (await this.prisma.campaign.count({ where: { templateId: id } })) throw new ConflictError('The template is used by a campaign');
    await this.prisma.messageTemplate.delete({ where: { id } });
  }

  /** Creates the system templates that are missing (a renamed or edited one is left alone). */
  async ensureSystemTemplates(): Promise<void> {
    for (const template of SYSTEM_TEMPLATES) {
      if (!(await this.prisma.messageTemplate.findUnique({ where: { name: template.name! } }))) await this.create(template, true).catch(() => undefined);
    }
  }

  /** Renders a template against a real contact; missing variables are listed, not filled with blanks. */
  async preview(id: number, contactId: number, unsubscribeUrl?: string): Promise<Rendered & { variables: string[] }> {
    const template = await this.get(id);
    const contact = await this.prisma.contact.findUnique({ where: { id: contactId }, select: contactForMessageSelect });
    if (!contact) throw ValidationError.field('body.contactId', `no contact with id ${contactId}`);
    return { ...renderTemplate(template, variablesFor(contact, { unsubscribeUrl })), variables: variablesOf(template) };
  }
}

function stripNulls(template: MessageTemplate): Partial<TemplateInput> {
  const out: Partial<TemplateInput> = {};
  if (template.subject !== null) out.subject = template.subject;
  if (template.html !== null) out.html = template.html;
  if (template.text !== null) out.text = template.text;
  return out;
}
