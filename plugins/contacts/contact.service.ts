import Sqlite from 'better-sqlite3';
import { z } from 'zod';
import { Prisma, type Contact } from '@prisma/client';
import type { Database } from '../../server/db.js';
import { openSqliteConnection } from '../../server/sqlite.js';
import { chunksOf, countInChunks, findInChunks } from '../../server/id-lists.js';
import type { EventBus } from '../../server/events.js';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../../server/errors.js';
import './contact-events.js';
import {
  CONTACT_STATUSES,
  contactCreateInput,
  contactUpdateInput,
  LIFECYCLE_STAGES,
  type ContactCreateInput,
  type ContactData,
  type ContactUpdateInput,
} from './contact.schemas.js';
import {
  BASE_SORTS,
  baseListQuery,
  CUSTOM_FILTER_PREFIX,
  orderFor,
  range,
  type BaseListQuery,
  type ContactListExtension,
  type ContributedListFields,
} from './contact-list.js';
import type { CustomFieldService } from './custom-field.service.js';
import { normalizePhone, searchTextOf, sortNameOf } from './normalize.js';
import { SplitSearch } from './split-search.js';

const listInclude = {
  company: { select: { id: true, name: true } },
  owner: { select: { id: true, name: true, email: true } },
  tags: { select: { tag: { select: { name: true } } } },
  _count: { select: { deals: true } },
} satisfies Prisma.ContactInclude;

type ContactWithRelations = Prisma.ContactGetPayload<{ include: typeof listInclude }>;

export interface ContactView extends Omit<Contact, 'searchText' | 'sortName'> {
  fullName: string;
  company: { id: number; name: string } | null;
  owner: { id: number; name: string; email: string } | null;
  tags: string[];
  dealsCount: number;
  [column: string]: unknown;
}

export interface ContactPage {
  data: ContactView[];
  page: number;
  pageSize: number;
  total: number;
}

export function fullName(c: Pick<Contact, 'firstName' | 'lastName' | 'email'>): string {
  return [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email;
}

function toView(contact: ContactWithRelations): ContactView {
  const { searchText: _search, sortName: _sort, tags, _count, ...rest } = contact;
  return { ...rest, fullName: fullName(contact), tags: tags.map((t) => t.tag.name).sort(), dealsCount: _count.deals };
}

const contactFields = Prisma.dmmf.datamodel.models.find((m) => m.name === 'Contact')!.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum');
export const CONTACT_DATE_FIELDS: readonly string[] = contactFields.filter((f) => f.type === 'DateTime').map((f) => f.name);
const JSON_FIELDS = contactFields.filter((f) => f.type === 'Json').map((f) => f.name);

/** SQLite: the JSON array of the tag names of contact `c`. */
export const TAG_NAMES_SQL = '(SELECT json_group_array(t.name) FROM "ContactTag" ct JOIN "Tag" t ON t.id = ct.tagId WHERE ct.contactId = c.id)';

/** A contact's own columns read with SQL on SQLite, made what the Prisma client returns: Dates and parsed JSON. */
function contactColumnsFromSqlite(row: Record<string, unknown>): void {
  for (const field of CONTACT_DATE_FIELDS) if (typeof row[field] === 'string') row[field] = new Date(row[field]);
  for (const field of JSON_FIELDS) if (field in row) row[field] = typeof row[field] === 'string' ? JSON.parse(row[field]) : null;
}

/** Loads a list page's contacts (any order) with their company, owner, tags and deal count. */
export interface ContactPageReader {
  rows(ids: number[]): Promise<ContactView[]>;
}

/**
 * SQLite: one statement on a read connection of its own, about a sixth of the Prisma client's time
 * for the relations a page shows.
 */
export class SqliteContactPageReader implements ContactPageReader {
  private statement: Sqlite.Statement | undefined;

  constructor(private readonly file: string) {}

  async rows(ids: number[]): Promise<ContactView[]> {
    this.statement ??= this.prepare();
    return (this.statement.all(JSON.stringify(ids)) as Record<string, unknown>[]).map((row) => {
      const { companyName, ownerName, ownerEmail, tagNames, dealsCount, ...columns } = row;
      contactColumnsFromSqlite(columns);
      const contact = columns as unknown as Omit<Contact, 'searchText' | 'sortName'>;
      return {
        ...contact,
        company: companyName !== null ? { id: contact.companyId!, name: companyName as string } : null,
        owner: ownerEmail !== null ? { id: contact.ownerId!, name: ownerName as string, email: ownerEmail as string } : null,
        fullName: fullName(contact),
        tags: (JSON.parse(tagNames as string) as string[]).sort(),
        dealsCount: dealsCount as number,
      };
    });
  }

  private prepare(): Sqlite.Statement {
    const db = openSqliteConnection(this.file, 'read');
    const own = contactFields.filter((f) => f.name !== 'searchText' && f.name !== 'sortName').map((f) => `c."${f.name}"`);
    return db.prepare(
      `SELECT ${own.join(', ')}, co.name AS companyName, u.name AS ownerName, u.email AS ownerEmail,
              ${TAG_NAMES_SQL} AS tagNames,
              (SELECT count(*) FROM "Deal" d WHERE d.contactId = c.id) AS dealsCount
       FROM "Contact" c LEFT JOIN "Company" co ON co.id = c.companyId LEFT JOIN "User" u ON u.id = c.ownerId
       WHERE c.id IN (SELECT value FROM json_each(?))`,
    );
  }
}

/** Any database: the page through the Prisma client. */
export class PrismaContactPageReader implements ContactPageReader {
  constructor(private readonly prisma: Database) {}

  async rows(ids: number[]): Promise<ContactView[]> {
    return (await findInChunks(ids, (chunk) => this.prisma.contact.findMany({ where: { id: { in: chunk } }, include: listInclude }))).map(toView);
  }
}

/** Query keys that a page read in index order allows besides its lifecycle and status filters. */
const INDEX_ORDER_KEYS = new Set(['lifecycle', 'status', 'sort', 'page', 'pageSize', 'tagsMode', 'inactiveDays']);
/** The covering name index: the name order of lists and the scan behind search. */
const NAME_INDEX_FROM = '"Contact" INDEXED BY "Contact_sortName_searchText_lifecycleStage_status_idx"';

/** The lifecycle and status filters as SQL conditions on columns the name index carries. */
function lifecycleAndStatus(query: BaseListQuery): { conditions: string[]; values: string[] } {
  const filters = ([['lifecycleStage', query.lifecycle], ['status', query.status]] as const).map(([column, chosen]) => [column, [...new Set(chosen ?? [])]] as const);
  const used = filters.filter(([, values]) => values.length);
  return {
    conditions: used.map(([column, values]) => `"${column}" IN (${values.map(() => '?').join(', ')})`),
    values: used.flatMap(([, values]) => values),
  };
}

export const BULK_ACTIONS = ['setStatus', 'addTags', 'removeTags', 'assignOwner', 'delete'] as const;

export const bulkInput = z
  .strictObject({
    ids: z.array(z.number().int().positive()).min(1).max(10_000),
    action: z.enum(BULK_ACTIONS),
    status: contactCreateInput.shape.status,
    tags: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
    ownerId: z.number().int().positive().nullable().optional(),
    confirm: z.literal(true).optional(),
  })
  .superRefine((input, ctx) => {
    const need = { setStatus: 'status', addTags: 'tags', removeTags: 'tags', assignOwner: 'ownerId', delete: 'confirm' } as const;
    const field = need[input.action];
    if (input[field] === undefined) {
      ctx.addIssue({ code: 'custom', path: [field], message: input.action === 'delete' ? 'must be true to delete' : `is required for ${input.action}` });
    }
  });

/**
 * People: create with duplicate check, update, list with filters (including other plugins'),
 * bulk changes, lifecycle moves. Every multi-row write is one transaction.
 */
export class ContactService {
  private readonly extensions: ContactListExtension[] = [];
  private readonly createChecks: ((contact: ContactView) => Promise<Record<string, unknown>>)[] = [];
  private listSchema: z.ZodType<BaseListQuery & Record<string, unknown>> | undefined;

  constructor(
    private readonly prisma: Database,
    private readonly events: EventBus,
    private readonly customFields: CustomFieldService,
    private readonly pageReader: ContactPageReader = new PrismaContactPageReader(prisma),
    private readonly search = new SplitSearch(prisma),
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The extension point: scoring, consent and others add list filters, sorts and columns here. */
  registerListExtension(extension: ContactListExtension): void {
    this.extensions.push(extension);
    this.listSchema = undefined;
  }

  /**
   * A check that answers with the created contact (dedup adds `possibleDuplicates`). It informs and
   * never blocks: a failing check is left out of the answer.
   */
  registerCreateCheck(check: (contact: ContactView) => Promise<Record<string, unknown>>): void {
    this.createChecks.push(check);
  }

  contributedListFields(): ContributedListFields {
    const fields = (pick: (e: ContactListExtension) => object | undefined) =>
      this.extensions.flatMap((e) => Object.keys(pick(e) ?? {}).map((key) => ({ key, label: e.labels?.[key] ?? key })));
    return { filters: fields((e) => e.filters), sorts: fields((e) => e.sorts), columns: fields((e) => e.columns) };
  }

  /** Sort keys the list accepts, base and contributed. */
  sortKeys(): string[] {
    return [...BASE_SORTS, ...this.extensions.flatMap((e) => Object.keys(e.sorts ?? {}))];
  }

  async get(id: number): Promise<ContactView> {
    const contact = await this.prisma.contact.findUnique({ where: { id }, include: listInclude });
    if (!contact) throw new NotFoundError('Contact', id);
    return toView(contact);
  }

  async findByEmail(email: string): Promise<Contact | null> {
    return this.prisma.contact.findUnique({ where: { email } });
  }

  /** Answers 409 with the existing contact's id and links when the normalized email is taken. */
  async create(input: ContactCreateInput, options: { source?: 'api' | 'admin' | 'lead' | 'system' } = {}): Promise<ContactView> {
    const parsed = contactCreateInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const data = parsed.data;
    await this.assertEmailFree(data.email);
    const definitions = await this.customFields.list();
    const custom = this.customFields.validate(definitions, data.customFields, { requireAll: true });
    await this.assertReferences(data, custom.issues);
    const id = await this.prisma.$transaction(async (tx) => {
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
    }).catch((err) => this.rethrowDuplicate(err, data.email));
    await this.events.emit('contact.created', { contactId: id, source: options.source ?? 'api' });
    const contact = await this.get(id);
    for (const check of this.createChecks) Object.assign(contact, await check(contact).catch(() => ({})));
    return contact;
  }

  async update(id: number, input: ContactUpdateInput): Promise<ContactView> {
    const parsed = contactUpdateInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const data = parsed.data;
    const existing = await this.prisma.contact.findUnique({ where: { id } });
    if (!existing) throw new NotFoundError('Contact', id);
    if (data.email && data.email !== existing.email) await this.assertEmailFree(data.email);
    const custom = data.customFields
      ? this.customFields.validate(await this.customFields.list(), data.customFields, {
          requireAll: false,
          existing: existing.customFields as Record<string, unknown> | null,
        })
      : undefined;
    await this.assertReferences(data, custom?.issues ?? []);
    await this.prisma.$transaction(async (tx) => {
      const merged = { ...existing, ...stripUndefined(data) } as ContactData;
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
    }).catch((err) => this.rethrowDuplicate(err, data.email ?? existing.email));
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

  /** Parses list query parameters (base, custom-field and contributed filters); unknown ones are named. */
  parseListQuery(raw: Record<string, unknown>): BaseListQuery & Record<string, unknown> {
    this.listSchema ??= z
      .strictObject({
        ...baseListQuery,
        ...Object.fromEntries(this.extensions.flatMap((e) => Object.entries(e.filters ?? {}).map(([k, f]) => [k, f.schema.optional()]))),
      })
      .catchall(z.never()) as never;
    const custom = Object.fromEntries(Object.entries(raw).filter(([k]) => k.startsWith(CUSTOM_FILTER_PREFIX)));
    const rest = Object.fromEntries(Object.entries(raw).filter(([k]) => !k.startsWith(CUSTOM_FILTER_PREFIX)));
    const parsed = this.listSchema.safeParse(rest);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'query');
    if (parsed.data.sort && !this.sortKeys().includes(parsed.data.sort.replace(/^-/, ''))) {
      throw new ValidationError(`query.sort: unknown sort key; use one of ${this.sortKeys().join(', ')}`, [
        { path: 'query.sort', message: `must be one of ${this.sortKeys().join(', ')} (prefix - for descending)` },
      ]);
    }
    return { ...parsed.data, ...custom };
  }

  /** The where clause for a parsed list query, shared by the list, the export and bulk-by-filter. */
  async where(query: BaseListQuery & Record<string, unknown>): Promise<Prisma.ContactWhereInput> {
    const and: Prisma.ContactWhereInput[] = [];
    if (query.q) and.push({ searchText: { contains: query.q.normalize('NFKC').toLowerCase() } });
    if (query.preset === 'QUALIFIED') and.push({ lifecycleStage: 'QUALIFIED' });
    if (query.preset === 'CUSTOMERS') and.push({ type: 'CUSTOMER' });
    if (query.preset === 'INACTIVE') and.push({ lifecycleStage: 'INACTIVE' });
    if (query.deals === 'NONE') and.push({ deals: { none: {} } });
    if (query.deals === 'ACTIVE') and.push({ deals: { some: { status: 'OPEN' } } });
    if (query.status?.length) and.push({ status: { in: query.status } });
    if (query.type?.length) and.push({ type: { in: query.type } });
    if (query.lifecycle?.length) and.push({ lifecycleStage: { in: query.lifecycle } });
    if (query.companyId) and.push({ companyId: query.companyId });
    if (query.owner !== undefined) and.push({ ownerId: query.owner === 'none' ? null : query.owner });
    if (query.tags?.length) {
      if (query.tagsMode === 'all') for (const name of query.tags) and.push({ tags: { some: { tag: { name } } } });
      else and.push({ tags: { some: { tag: { name: { in: query.tags } } } } });
    }
    const created = range(query.createdFrom, query.createdTo);
    if (created) and.push({ createdAt: created as Prisma.DateTimeFilter });
    const activity = range(query.lastActivityFrom, query.lastActivityTo);
    if (activity) and.push({ lastActivityAt: activity });
    const contacted = range(query.lastContactedFrom, query.lastContactedTo);
    if (contacted) and.push({ lastContactedAt: contacted });
    if (query.quality) and.push(await this.qualityWhere(query.quality, query.inactiveDays));
    const customKeys = Object.keys(query).filter((k) => k.startsWith(CUSTOM_FILTER_PREFIX));
    if (customKeys.length) and.push({ id: { in: await this.idsMatchingCustomFields(query, customKeys) } });
    for (const extension of this.extensions) {
      for (const [name, filter] of Object.entries(extension.filters ?? {})) {
        if (query[name] !== undefined) and.push(filter.where(query[name] as never));
      }
    }
    return and.length ? { AND: and } : {};
  }

  async list(query: BaseListQuery & Record<string, unknown>): Promise<ContactPage> {
    // Ids first: filter, sort and page can then be answered from covering indexes, without reading
    // every matching row; only the page's rows are loaded with their relations.
    const { ids, total } = (await this.searchPage(query)) ?? (await this.pageIds(await this.where(query), query));
    const rows = ids.length ? await this.pageReader.rows(ids) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const data = ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
    await this.addColumns(data);
    return { data, page: query.page, pageSize: query.pageSize, total };
  }

  private async pageIds(where: Prisma.ContactWhereInput, query: BaseListQuery & Record<string, unknown>): Promise<{ ids: number[]; total: number }> {
    const [ids, total] = await Promise.all([
      this.indexOrderPageIds(query) ??
        this.prisma.contact
          .findMany({ where, select: { id: true }, orderBy: this.orderBy(query.sort), skip: (query.page - 1) * query.pageSize, take: query.pageSize })
          .then((page) => page.map((p) => p.id)),
      this.prisma.contact.count({ where }),
    ]);
    return { ids, total };
  }

  /**
   * On SQLite, a page filtered by lifecycle stage and status only (or not at all) is read in order from
   * a covering index instead of sorting every matching contact: by name, the name index with the filter
   * checked in it; by newest activity, the (lifecycleStage, status, lastActivityAt) index, one range per
   * stage and status, merged.
   */
  private indexOrderPageIds(query: BaseListQuery & Record<string, unknown>): Promise<number[]> | null {
    const key = (query.sort ?? 'name').replace(/^-/, '');
    const direction = query.sort?.startsWith('-') ? 'DESC' : 'ASC';
    const plain = Object.entries(query).every(([k, value]) => value === undefined || INDEX_ORDER_KEYS.has(k) || (k === 'preset' && value === 'ALL'));
    const contributed = this.extensions.some((e) => e.sorts?.[key]);
    if (!plain || contributed || this.isPostgres()) return null;
    const page = [query.pageSize, (query.page - 1) * query.pageSize];
    let read: { sql: string; values: unknown[] };
    if (key === 'name') {
      const { conditions, values } = lifecycleAndStatus(query);
      read = {
        sql: `SELECT id FROM ${NAME_INDEX_FROM} ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY "sortName" ${direction}, id ${direction} LIMIT ? OFFSET ?`,
        values: [...values, ...page],
      };
    } else if (key === 'lastActivity' && direction === 'DESC') {
      const stages = query.lifecycle?.length ? [...new Set(query.lifecycle)] : LIFECYCLE_STAGES;
      const statuses = query.status?.length ? [...new Set(query.status)] : CONTACT_STATUSES;
      const ranges = stages.flatMap((stage) => statuses.map((status) => [stage, status]));
      const select = 'SELECT id, "lastActivityAt" FROM "Contact" WHERE "lifecycleStage" = ? AND "status" = ?';
      read = { sql: `${ranges.map(() => select).join(' UNION ALL ')} ORDER BY 2 DESC, 1 DESC LIMIT ? OFFSET ?`, values: [...ranges.flat(), ...page] };
    } else return null;
    return this.prisma.$queryRawUnsafe<{ id: number | bigint }[]>(read.sql, ...read.values).then((rows) => rows.map((r) => Number(r.id)));
  }

  /**
   * A search sorted by name, filtered by lifecycle and status at most, on SQLite: page and total from a
   * scan of the covering name index (split across two threads on large tables).
   */
  private async searchPage(query: BaseListQuery & Record<string, unknown>): Promise<{ ids: number[]; total: number } | null> {
    const plain = Object.entries(query).every(([key, value]) => value === undefined || key === 'q' || INDEX_ORDER_KEYS.has(key));
    if (!query.q || !plain || this.isPostgres() || (query.sort && query.sort.replace(/^-/, '') !== 'name')) return null;
    const pattern = `%${query.q.normalize('NFKC').toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const { conditions, values } = lifecycleAndStatus(query);
    return this.search.page(
      NAME_INDEX_FROM,
      `"searchText" LIKE ? ESCAPE '\\'${conditions.map((c) => ` AND ${c}`).join('')}`,
      [pattern, ...values],
      { direction: query.sort?.startsWith('-') ? 'DESC' : 'ASC', offset: (query.page - 1) * query.pageSize, limit: query.pageSize },
    );
  }

  /** Gets search ready for a large contact table (its reader thread started) before the first search. */
  prepareSearch(): Promise<void> {
    return this.search.prepare(NAME_INDEX_FROM);
  }

  /** The host is stopping. */
  stop(): Promise<void> {
    return this.search.stop();
  }

  orderBy(sort: string | undefined): Prisma.ContactOrderByWithRelationInput[] {
    const key = (sort ?? 'name').replace(/^-/, '');
    const direction = sort?.startsWith('-') ? 'desc' : 'asc';
    const contributed = this.extensions.find((e) => e.sorts?.[key])?.sorts?.[key];
    const order = contributed ? [contributed(direction)] : (orderFor(key, direction, this.isPostgres()) ?? orderFor('name', direction)!);
    return [...order, { id: direction }];
  }

  async addColumns(rows: ContactView[]): Promise<void> {
    const ids = rows.map((r) => r.id);
    for (const extension of this.extensions) {
      for (const [column, load] of Object.entries(extension.columns ?? {})) {
        const values = await load(ids);
        for (const row of rows) row[column] = values.get(row.id) ?? null;
      }
    }
  }

  /** Several contacts at once, in one transaction. Delete needs `confirm: true`. */
  async bulk(input: z.input<typeof bulkInput>): Promise<{ action: string; affected: number }> {
    const parsed = bulkInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const { ids, action } = parsed.data;
    if (action === 'assignOwner' && parsed.data.ownerId && !(await this.prisma.user.findUnique({ where: { id: parsed.data.ownerId } }))) {
      throw ValidationError.field('ownerId', 'no such user');
    }
    // Chunked: a statement binds a bounded number of ids (server/id-lists.ts).
    const affected = await this.prisma.$transaction(async (tx) => {
      const eachChunk = (write: (chunk: number[]) => Promise<{ count: number }>) => countInChunks(ids, write);
      switch (action) {
        case 'setStatus':
          return eachChunk((chunk) => tx.contact.updateMany({ where: { id: { in: chunk } }, data: { status: parsed.data.status } }));
        case 'assignOwner':
          return eachChunk((chunk) => tx.contact.updateMany({ where: { id: { in: chunk } }, data: { ownerId: parsed.data.ownerId ?? null } }));
        case 'addTags': {
          const existing = await findInChunks(ids, (chunk) => tx.contact.findMany({ where: { id: { in: chunk } }, select: { id: true } }));
          await this.addTags(tx, existing.map((c) => c.id), parsed.data.tags!);
          await eachChunk((chunk) => tx.contact.updateMany({ where: { id: { in: chunk } }, data: { updatedAt: this.now() } }));
          return existing.length;
        }
        case 'removeTags': {
          await eachChunk((chunk) => tx.contactTag.deleteMany({ where: { contactId: { in: chunk }, tag: { name: { in: parsed.data.tags! } } } }));
          return eachChunk((chunk) => tx.contact.updateMany({ where: { id: { in: chunk } }, data: { updatedAt: this.now() } }));
        }
        case 'delete':
          return eachChunk((chunk) => tx.contact.deleteMany({ where: { id: { in: chunk } } }));
      }
    }, { timeout: 120_000 });
    if (action === 'delete') await this.events.emit('contact.deleted', { contactIds: ids });
    else await this.events.emit('contact.updated', { contactIds: ids, fields: [action === 'setStatus' ? 'status' : action === 'assignOwner' ? 'ownerId' : 'tags'] });
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

  async searchText(tx: Prisma.TransactionClient, data: Pick<ContactData, 'firstName' | 'lastName' | 'email' | 'companyId'>): Promise<string> {
    const company = data.companyId ? await tx.company.findUnique({ where: { id: data.companyId }, select: { name: true } }) : null;
    return searchTextOf([data.firstName, data.lastName, data.email, company?.name]);
  }

  private async assertEmailFree(email: string): Promise<void> {
    const existing = await this.prisma.contact.findUnique({ where: { email }, select: { id: true } });
    if (existing) throw duplicateEmail(email, existing.id);
  }

  private async rethrowDuplicate(err: unknown, email: string): Promise<never> {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      const existing = await this.prisma.contact.findUnique({ where: { email }, select: { id: true } });
      if (existing) throw duplicateEmail(email, existing.id);
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

  private async qualityWhere(view: NonNullable<BaseListQuery['quality']>, inactiveDays: number): Promise<Prisma.ContactWhereInput> {
    switch (view) {
      case 'MISSING_PHONE':
        return { phone: null, mobile: null };
      case 'NO_OWNER':
        return { ownerId: null };
      case 'NO_COMPANY':
        return { companyId: null };
      case 'NO_RECENT_ACTIVITY':
        return { OR: [{ lastActivityAt: null }, { lastActivityAt: { lt: new Date(this.now().getTime() - inactiveDays * 86_400_000) } }] };
      case 'REQUIRED_CUSTOM_EMPTY': {
        const required = (await this.customFields.list()).filter((d) => d.required);
        if (!required.length) return { id: { in: [] } };
        const sets = await Promise.all(required.map((d) => this.idsWithCustomValue(d.key)));
        const filled = sets.reduce((acc, ids) => acc.filter((id) => ids.has(id)), [...sets[0]!]);
        return { id: { notIn: filled } };
      }
    }
  }

  private async idsWithCustomValue(key: string): Promise<Set<number>> {
    const rows = await this.prisma.$queryRawUnsafe<{ id: number | bigint }[]>(jsonNotNullSql(key, this.isPostgres()));
    return new Set(rows.map((r) => Number(r.id)));
  }

  private async idsMatchingCustomFields(query: Record<string, unknown>, keys: string[]): Promise<number[]> {
    const definitions = new Map((await this.customFields.list()).map((d) => [d.key, d]));
    let ids: number[] | undefined;
    for (const param of keys) {
      const key = param.slice(CUSTOM_FILTER_PREFIX.length);
      const def = definitions.get(key);
      if (!def) throw ValidationError.field(`query.${param}`, `no custom field ${key}`);
      const checked = this.customFields.validate([{ ...def, required: false }], { [key]: query[param] }, { requireAll: false });
      if (checked.issues.length) throw ValidationError.field(`query.${param}`, checked.issues[0]!.message);
      const value = checked.values[key];
      const rows = await this.prisma.$queryRawUnsafe<{ id: number | bigint }[]>(
        jsonEqualsSql(key, def.type === 'MULTISELECT', this.isPostgres()),
        jsonParam(def.type === 'MULTISELECT' ? (value as string[])[0] : value, this.isPostgres()),
      );
      const matched = new Set(rows.map((r) => Number(r.id)));
      ids = ids ? ids.filter((id) => matched.has(id)) : [...matched];
    }
    return ids ?? [];
  }

  private isPostgres(): boolean {
    return (this.prisma as unknown as { _engineConfig?: { activeProvider?: string } })._engineConfig?.activeProvider === 'postgresql';
  }
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

// Keys are checked against the definitions (lower_snake_case) before they reach these statements.
function jsonNotNullSql(key: string, postgres: boolean): string {
  return postgres
    ? `SELECT id FROM "Contact" WHERE "customFields"->'${key}' IS NOT NULL AND "customFields"->>'${key}' IS NOT NULL`
    : `SELECT id FROM "Contact" WHERE json_extract("customFields", '$.${key}') IS NOT NULL`;
}

function jsonEqualsSql(key: string, list: boolean, postgres: boolean): string {
  if (postgres) {
    return list
      ? `SELECT id FROM "Contact" WHERE "customFields"->'${key}' ? $1`
      : `SELECT id FROM "Contact" WHERE "customFields"->>'${key}' = $1`;
  }
  return list
    ? `SELECT id FROM "Contact" WHERE EXISTS (SELECT 1 FROM json_each("customFields", '$.${key}') WHERE value = ?)`
    : `SELECT id FROM "Contact" WHERE json_extract("customFields", '$.${key}') = ?`;
}

function jsonParam(value: unknown, postgres: boolean): unknown {
  if (postgres) return String(value);
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}
