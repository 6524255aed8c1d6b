import { z } from 'zod';
import { Prisma, type Contact } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import type { EventBus } from '../../../server/events.js';
import { chunksOf, countInChunks, findInChunks } from '../../../server/id-lists.js';
import { AppError, ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../../../server/errors.js';
import '../events.js';
import type { ContactsExtensions } from '../extensions.js';
import { contactCreateInput, contactUpdateInput, type ContactCreateInput, type ContactData, type ContactUpdateInput } from './contact.schemas.js';
import { listInclude, toView, type ContactView } from './contact-view.js';
import type { CustomFieldService } from './custom-field.service.js';
import { normalizePhone, searchTextOf, sortNameOf } from './normalize.js';
import { ownerOfEmail, secondaryEmailsOf } from './secondary-emails.js';
import { contactDisplay } from './contact-display.js';

export const BULK_ACTIONS = ['setStatus', 'addTags', 'removeTags', 'assignOwner', 'delete'] as const;

const bulkChangeShape = {
  action: z.enum(BULK_ACTIONS),
  status: contactCreateInput.shape.status,
  tags: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
  ownerId: z.number().int().positive().nullable().optional(),
  confirm: z.literal(true).optional(),
};
type BulkChange = z.output<z.ZodObject<typeof bulkChangeShape>>;

/** Each action names the field it needs. */
function requireActionField(input: BulkChange, ctx: z.RefinementCtx): void {
  const need = { setStatus: 'status', addTags: 'tags', removeTags: 'tags', assignOwner: 'ownerId', delete: 'confirm' } as const;
  const field = need[input.action];
  if (input[field] === undefined) {
    ctx.addIssue({ code: 'custom', path: [field], message: input.action === 'delete' ? 'must be true to delete' : `is required for ${input.action}` });
  }
}

export const bulkInput = z.strictObject({ ids: z.array(z.number().int().positive()).min(1).max(10_000), ...bulkChangeShape }).superRefine(requireActionField);

/** A bulk change for every contact a list query matches (`query`: the list's query parameters). */
export const bulkMatchingInput = z.strictObject({ query: z.record(z.string(), z.string()), ...bulkChangeShape }).superRefine(requireActionField);

/**
 * People: create with duplicate check, update, list with filters (including other plugins'),
 * bulk changes, lifecycle moves. Every multi-row write is one transaction.

/**
 * People: create with duplicate check, update, delete, bulk changes. Every multi-row write is one
 * transaction. The list lives in list/list.service.ts.
 */
export class ContactService {
  constructor(
    private readonly prisma: Database,
    private readonly events: EventBus,
    private readonly customFields: CustomFieldService,
    private readonly extensions: ContactsExtensions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(id: number): Promise<ContactView> {
    const contact = await this.prisma.contact.findUnique({ where: { id }, include: listInclude });
    if (!contact) throw new NotFoundError('Contact', id);
    return { ...toView(contact), secondaryEmails: await secondaryEmailsOf(this.prisma, id), display: contactDisplay(contact) };
  }

  /** The contact with this address as its email or as a secondary email. */
  async findByEmail(email: string): Promise<Contact | null> {
    const id = await ownerOfEmail(this.prisma, email);
    return id === null ? null : this.prisma.contact.findUnique({ where: { id } });
  }

  /** Answers 409 with the existing contact's id and links when the normalized email is taken. */
  async create(input: ContactCreateInput, options: { source?: 'api' | 'admin' | 'lead' | 'system' } = {}): Promise<ContactView> {
    const parsed = contactCreateInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const data = parsed.data;
    await this.assertEmailFree(data.email);
    await this.assertAdmitted({ email: data.email, phone: normalizePhone(data.phone, data.country), mobile: normalizePhone(data.mobile, data.country) });
    const definitions = await this.customFields.list();
    const custom = this.customFields.validate(definitions, data.customFields, { requireAll: true });
    await this.assertReferences(data, custom.issues);
    const id = await this.prisma
      .$transaction(async (tx) => {
        const created = await tx.contact.create({
          data: {
            ...this.columns(data),
            customFields: Object.keys(custom.values).length ? (custom.values as Prisma.InputJsonValue) : Prisma.DbNull,
            searchText: await this.searchText(tx, data),
            sortName: sortNameOf(data.firstName, data.lastName, data.email),
          },
        });
        if (data.tags?.length) await this.addTags(tx, [created.id], data.tags);
        return created.id;
      })
      .catch((err) => this.rethrowDuplicate(err, data.email));
    await this.events.emit('contact.created', { contactId: id, source: options.source ?? 'api' });
    const contact = await this.get(id);
    for (const { value: answer } of this.extensions.of('onCreateAnswer')) Object.assign(contact, await answer(contact).catch(() => ({})));
    return contact;
  }

  async update(id: number, input: ContactUpdateInput): Promise<ContactView> {
    const parsed = contactUpdateInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const data = parsed.data;
    const existing = await this.prisma.contact.findUnique({ where: { id } });
    if (!existing) throw new NotFoundError('Contact', id);
    if (data.email && data.email !== existing.email) {
      await this.assertEmailFree(data.email, id);
      await this.assertAdmitted({ email: data.email });
    }
    const custom = data.customFields
      ? this.customFields.validate(await this.customFields.list(), data.customFields, {
          requireAll: false,
          existing: existing.customFields as Record<string, unknown> | null,
        })
      : undefined;
    await this.assertReferences(data, custom?.issues ?? []);
    await this.prisma
      .$transaction(async (tx) => {
        const merged = { ...existing, ...stripUndefined(data) } as ContactData & { id: number };
        if (data.email && data.email !== existing.email) await swapSecondaryEmail(tx, id, data.email, existing.email);
        await tx.contact.update({
          where: { id },
          data: {
            ...this.columns(data, existing.country),
            ...(custom ? { customFields: custom.values as Prisma.InputJsonValue } : {}),
            searchText: await this.searchText(tx, merged),
            sortName: sortNameOf(merged.firstName, merged.lastName, merged.email!),
          },
        });
        if (data.tags) {
          await tx.contactTag.deleteMany({ where: { contactId: id } });
          if (data.tags.length) await this.addTags(tx, [id], data.tags);
        }
      })
      .catch((err) => this.rethrowDuplicate(err, data.email ?? existing.email));
    await this.events.emit('contact.updated', { contactIds: [id], fields: Object.keys(stripUndefined(data)) });
    return this.get(id);
  }

  async remove(id: number): Promise<void> {
    const { count } = await this.prisma.contact.deleteMany({ where: { id } });
    if (!count) throw new NotFoundError('Contact', id);
    await this.events.emit('contact.deleted', { contactIds: [id] });
  }

  async linkCompany(id: number, companyId: number | null): Promise<ContactView> {
    return this.update(id, { companyId });
  }

  /** Several contacts at once, in one transaction. Delete needs `confirm: true`. */
  async bulk(input: z.input<typeof bulkInput>): Promise<{ action: string; affected: number }> {
    const parsed = bulkInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    return this.change(parsed.data.ids, parsed.data);
  }

  /** One checked change for every contact in `ids` (all those a list query matches, say), in one transaction. */
  async change(ids: number[], change: BulkChange): Promise<{ action: string; affected: number }> {
    const { action } = change;
    if (!ids.length) return { action, affected: 0 };
    if (action === 'assignOwner' && change.ownerId && !(await this.prisma.user.findUnique({ where: { id: change.ownerId } }))) {
      throw ValidationError.field('ownerId', 'no such user');
    }
    // Chunked: a statement binds a bounded number of ids (server/id-lists.ts).
    const affected = await this.prisma.$transaction(
      async (tx) => {
        const eachChunk = (write: (chunk: number[]) => Promise<{ count: number }>) => countInChunks(ids, write);
        switch (action) {
          case 'setStatus':
            return eachChunk((chunk) => tx.contact.updateMany({ where: { id: { in: chunk } }, data: { status: change.status } }));
          case 'assignOwner':
            return eachChunk((chunk) => tx.contact.updateMany({ where: { id: { in: chunk } }, data: { ownerId: change.ownerId ?? null } }));
          case 'addTags': {
            const existing = await findInChunks(ids, (chunk) => tx.contact.findMany({ where: { id: { in: chunk } }, select: { id: true } }));
            await this.addTags(
              tx,
              existing.map((c) => c.id),
              change.tags!,
            );
            await eachChunk((chunk) => tx.contact.updateMany({ where: { id: { in: chunk } }, data: { updatedAt: this.now() } }));
            return existing.length;
          }
          case 'removeTags': {
            await eachChunk((chunk) => tx.contactTag.deleteMany({ where: { contactId: { in: chunk }, tag: { name: { in: change.tags! } } } }));
            return eachChunk((chunk) => tx.contact.updateMany({ where: { id: { in: chunk } }, data: { updatedAt: this.now() } }));
          }
          case 'delete':
            return eachChunk((chunk) => tx.contact.deleteMany({ where: { id: { in: chunk } } }));
        }
      },
      { timeout: 120_000 },
    );
    if (action === 'delete') await this.events.emit('contact.deleted', { contactIds: ids });
    else
      await this.events.emit('contact.updated', {
        contactIds: ids,
        fields: [action === 'setStatus' ? 'status' : action === 'assignOwner' ? 'ownerId' : 'tags'],
      });
    return { action, affected };
  }

  /** Tags by name, created when new; `contactIds` must exist. */
  async addTags(tx: Prisma.TransactionClient, contactIds: number[], names: string[]): Promise<void> {
    const unique = [...new Set(names.map((n) => n.trim()).filter(Boolean))];
    for (const name of unique) await tx.tag.upsert({ where: { name }, create: { name }, update: {} });
    const tags = await tx.tag.findMany({ where: { name: { in: unique } }, select: { id: true } });
    const pairs = contactIds.flatMap((contactId) => tags.map((t) => ({ contactId, tagId: t.id })));
    // Two bound values a pair: chunks of ID_CHUNK pairs stay within the bound-variable limit.
    for (const chunk of chunksOf(pairs)) {
      const existing = await tx.contactTag.findMany({
        where: { OR: chunk.map((p) => ({ contactId: p.contactId, tagId: p.tagId })) },
        select: { contactId: true, tagId: true },
      });
      const seen = new Set(existing.map((e) => `${e.contactId}:${e.tagId}`));
      const missing = chunk.filter((p) => !seen.has(`${p.contactId}:${p.tagId}`));
      if (missing.length) await tx.contactTag.createMany({ data: missing });
    }
  }

  /** Column values from validated input: phones to E.164 where they parse. */
  columns(data: ContactData, existingCountry?: string | null): Prisma.ContactUncheckedUpdateInput & Prisma.ContactUncheckedCreateInput {
    const { tags: _tags, customFields: _custom, ...fields } = stripUndefined(data);
    const country = data.country === undefined ? existingCountry : data.country;
    return {
      ...(fields as Prisma.ContactUncheckedCreateInput),
      ...(data.phone !== undefined ? { phone: normalizePhone(data.phone, country) } : {}),
      ...(data.mobile !== undefined ? { mobile: normalizePhone(data.mobile, country) } : {}),
    };
  }

  /** What list search matches: the name, the email, the secondary emails of a saved contact (`id`), the company's name and the phones' digits. */
  async searchText(
    tx: Prisma.TransactionClient,
    data: Pick<ContactData, 'firstName' | 'lastName' | 'email' | 'companyId' | 'phone' | 'mobile' | 'country'> & { id?: number },
  ): Promise<string> {
    const company = data.companyId ? await tx.company.findUnique({ where: { id: data.companyId }, select: { name: true } }) : null;
    const secondary = data.id === undefined ? [] : await secondaryEmailsOf(tx, data.id);
    return searchTextOf(
      [data.firstName, data.lastName, data.email, ...secondary, company?.name],
      [normalizePhone(data.phone, data.country), normalizePhone(data.mobile, data.country)],
    );
  }

  /** Screens a person about to be created (or to take a new email) with every plugin's screen: 409 with the refusal's code. */
  private async assertAdmitted(person: { email: string; phone?: string | null; mobile?: string | null }): Promise<void> {
    const [refusal] = await this.extensions.screen([person]);
    if (refusal) throw new AppError(409, refusal.code, refusal.message);
  }

  /** 409 when another contact has the address, as its email or a secondary email (`self` may have it as a secondary). */
  private async assertEmailFree(email: string, self?: number): Promise<void> {
    const owner = await ownerOfEmail(this.prisma, email);
    if (owner !== null && owner !== self) throw duplicateEmail(email, owner);
  }

  private async rethrowDuplicate(err: unknown, email: string): Promise<never> {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      const owner = await ownerOfEmail(this.prisma, email);
      if (owner !== null) throw duplicateEmail(email, owner);
    }
    throw err;
  }

  private async assertReferences(data: ContactData, issues: FieldIssue[]): Promise<void> {
    const all = [...issues];
    if (data.companyId && !(await this.prisma.company.findUnique({ where: { id: data.companyId }, select: { id: true } }))) {
      all.push({ path: 'companyId', message: `no company with id ${data.companyId}` });
    }
    if (data.ownerId && !(await this.prisma.user.findUnique({ where: { id: data.ownerId }, select: { id: true } }))) {
      all.push({ path: 'ownerId', message: `no user with id ${data.ownerId}` });
    }
    if (all.length) throw new ValidationError(`Invalid input: ${all.map((i) => `${i.path}: ${i.message}`).join('; ')}`, all);
  }
}

/** A contact taking one of its secondary emails as its email keeps the email it had as a secondary one. */
async function swapSecondaryEmail(tx: Prisma.TransactionClient, contactId: number, next: string, previous: string): Promise<void> {
  const { count } = await tx.contactEmail.deleteMany({ where: { contactId, email: next } });
  if (count) await tx.contactEmail.create({ data: { contactId, email: previous } });
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function duplicateEmail(email: string, existingId: number): ConflictError {
  return new ConflictError(`A contact with email ${email} already exists`, {
    existingId,
    link: `/api/v1/contacts/${existingId}`,
    adminUrl: `/admin/resources/Contact/records/${existingId}/show`,
  });
}
