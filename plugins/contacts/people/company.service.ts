import { z } from 'zod';
import { Prisma, type Company } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../server/errors.js';
import { findInChunks } from '../../../server/id-lists.js';
import { normalizeCountry, normalizePhone, searchTextOf } from './normalize.js';
import { countryName, phoneForDisplay } from './contact-display.js';

const text = (max: number) => z.string().trim().max(max).nullish();

export const companyInput = z.strictObject({
  name: z.string().trim().min(1).max(200),
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a domain such as acme.com')
    .nullish(),
  industry: text(100),
  size: text(50),
  website: z.url({ protocol: /^https?$/ }).nullish(),
  phone: text(50),
  street: text(200),
  city: text(100),
  region: text(100),
  postalCode: text(20),
  country: z
    .string()
    .nullish()
    .transform((v, ctx) => {
      if (!v) return v;
      const code = normalizeCountry(v);
      if (!code) ctx.addIssue({ code: 'custom', message: 'must be an ISO 3166 country code or name' });
      return code;
    }),
  ownerId: z.number().int().positive().nullish(),
  tags: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
});
export type CompanyInput = z.input<typeof companyInput>;

const include = { tags: { select: { tag: { select: { name: true } } } }, _count: { select: { contacts: true, deals: true } } } satisfies Prisma.CompanyInclude;
type CompanyRow = Prisma.CompanyGetPayload<{ include: typeof include }>;

function view(company: CompanyRow) {
  const { tags, _count, ...rest } = company;
  return { ...rest, tags: tags.map((t) => t.tag.name).sort(), contactsCount: _count.contacts, dealsCount: _count.deals };
}

export class CompanyService {
  constructor(private readonly prisma: Database) {}

  async create(input: CompanyInput) {
    const data = this.parse(companyInput, input);
    const company = await this.prisma
      .$transaction(async (tx) => {
        const { tags, ...fields } = data;
        const created = await tx.company.create({ data: { ...fields, phone: normalizePhone(fields.phone, fields.country) } });
        if (tags?.length) await this.setTags(tx, created.id, tags);
        return created;
      })
      .catch((err) => this.duplicateDomain(err, data.domain));
    return this.get(company.id);
  }

  async update(id: number, input: Partial<CompanyInput>) {
    const data = this.parse(companyInput.partial(), input);
    const existing = await this.prisma.company.findUnique({ where: { id } });
    if (!existing) throw new NotFoundError('Company', id);
    await this.prisma
      .$transaction(async (tx) => {
        const { tags, ...fields } = data;
        await tx.company.update({
          where: { id },
          data: { ...fields, ...(fields.phone !== undefined ? { phone: normalizePhone(fields.phone, fields.country ?? existing.country) } : {}) },
        });
        if (tags) await this.setTags(tx, id, tags);
        // Contacts are searched by their company's name too.
        if (fields.name && fields.name !== existing.name) await this.refreshContactSearch(tx, id);
      })
      .catch((err) => this.duplicateDomain(err, data.domain));
    return this.get(id);
  }

  async get(id: number) {
    const company = await this.prisma.company.findUnique({ where: { id }, include });
    if (!company) throw new NotFoundError('Company', id);
    return { ...view(company), display: { phone: phoneForDisplay(company.phone, company.country), country: countryName(company.country) } };
  }

  async list(query: { q?: string; page: number; pageSize: number }) {
    const where: Prisma.CompanyWhereInput = query.q ? { OR: [{ name: { contains: query.q } }, { domain: { contains: query.q.toLowerCase() } }] } : {};
    const [rows, total] = await Promise.all([
      this.prisma.company.findMany({
        where,
        include,
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
        skip: (query.page - 1) * query.pageSize,
        take: query.pageSize,
      }),
      this.prisma.company.count({ where }),
    ]);
    return { data: rows.map(view), page: query.page, pageSize: query.pageSize, total };
  }

  /** Deleting a company unlinks its contacts (they stay). */
  async remove(id: number): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const company = await tx.company.findUnique({ where: { id }, select: { id: true } });
      if (!company) throw new NotFoundError('Company', id);
      const contacts = await tx.contact.findMany({ where: { companyId: id }, select: { id: true } });
      await tx.company.delete({ where: { id } });
      await this.refreshContactSearch(
        tx,
        null,
        contacts.map((c) => c.id),
      );
    });
  }

  async findByName(name: string): Promise<Company | null> {
    return this.prisma.company.findFirst({ where: { name }, orderBy: { id: 'asc' } });
  }

  private async setTags(tx: Prisma.TransactionClient, companyId: number, names: string[]) {
    await tx.companyTag.deleteMany({ where: { companyId } });
    for (const name of new Set(names)) {
      const tag = await tx.tag.upsert({ where: { name }, create: { name }, update: {} });
      await tx.companyTag.create({ data: { companyId, tagId: tag.id } });
    }
  }

  private async refreshContactSearch(tx: Prisma.TransactionClient, companyId: number | null, ids?: number[]) {
    const select = {
      id: true,
      firstName: true,
      lastName: true,
      email: true,
      phone: true,
      mobile: true,
      company: { select: { name: true } },
      secondaryEmails: { select: { email: true } },
    } as const;
    const contacts = ids
      ? await findInChunks(ids, (chunk) => tx.contact.findMany({ where: { id: { in: chunk } }, select }))
      : await tx.contact.findMany({ where: { companyId }, select });
    for (const c of contacts) {
      await tx.contact.update({
        where: { id: c.id },
        data: {
          searchText: searchTextOf([c.firstName, c.lastName, c.email, ...c.secondaryEmails.map((e) => e.email), c.company?.name], [c.phone, c.mobile]),
        },
      });
    }
  }

  private parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
    const parsed = schema.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    return parsed.data;
  }

  private duplicateDomain(err: unknown, domain: string | null | undefined): never {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      throw new ConflictError(`A company with domain ${domain} already exists`);
    }
    throw err;
  }
}
