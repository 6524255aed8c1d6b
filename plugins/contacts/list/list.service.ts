import { z } from 'zod';
import type { Prisma } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import { ValidationError } from '../../../server/errors.js';
import type { ContactsExtensions } from '../extensions.js';
import type { CustomFieldService } from '../people/custom-field.service.js';
import type { ContactPage, ContactView } from '../people/contact-view.js';
import { CONTACT_STATUSES, CONTACT_TYPES, LIFECYCLE_STAGES } from '../people/contact.schemas.js';
import {
  BASE_SORTS,
  baseListQuery,
  PRESETS,
  QUALITY_VIEWS,
  type ListFilterChoices,
  CUSTOM_FILTER_PREFIX,
  orderFor,
  range,
  type BaseListQuery,
  type ContributedListFields,
} from './list-query.js';
import type { ContactPageReader } from './page-store.js';
import { searchKeyOf } from '../people/normalize.js';
import type { ListStore } from './list.store.js';

/** Query keys that a page read in index order allows besides its lifecycle and status filters. */
const INDEX_ORDER_KEYS = new Set(['lifecycle', 'status', 'sort', 'page', 'pageSize', 'tagsMode', 'inactiveDays']);

/**
 * The contact list: parses queries (base, custom-field and contributed filters), builds the where
 * clause shared by the list, the export and bulk-by-filter, and reads pages ids first.
 */
export class ContactListService {
  private listSchema: z.ZodType<BaseListQuery & Record<string, unknown>> | undefined;

  constructor(
    private readonly prisma: Database,
    private readonly customFields: CustomFieldService,
    private readonly extensions: ContactsExtensions,
    private readonly pageReader: ContactPageReader,
    private readonly store: ListStore,
    private readonly postgres: boolean,
    private readonly now: () => Date = () => new Date(),
  ) {
    extensions.onChange(() => (this.listSchema = undefined));
  }

  /** The filters, sort keys and columns other plugins add, with their labels, for the list page to offer. */
  contributedListFields(): ContributedListFields {
    const lists = this.extensions.lists();
    const fields = (pick: (e: (typeof lists)[number]) => object | undefined) =>
      lists.flatMap((e) => Object.keys(pick(e) ?? {}).map((key) => ({ key, label: e.labels?.[key] ?? key })));
    return { filters: fields((e) => e.filters), sorts: fields((e) => e.sorts), columns: fields((e) => e.columns) };
  }

  /** The values the list's base filters take, for the list page to offer. */
  filterChoices(): ListFilterChoices {
    return { lifecycle: LIFECYCLE_STAGES, status: CONTACT_STATUSES, type: CONTACT_TYPES, quality: QUALITY_VIEWS, preset: PRESETS };
  }

  /** Sort keys the list accepts, base and contributed. */
  sortKeys(): string[] {
    return [...BASE_SORTS, ...this.extensions.lists().flatMap((e) => Object.keys(e.sorts ?? {}))];
  }

  /** Parses list query parameters (base, custom-field and contributed filters); unknown ones are named. */
  parseListQuery(raw: Record<string, unknown>): BaseListQuery & Record<string, unknown> {
    this.listSchema ??= z
      .strictObject({
        ...baseListQuery,
        ...Object.fromEntries(this.extensions.lists().flatMap((e) => Object.entries(e.filters ?? {}).map(([k, f]) => [k, f.schema.optional()]))),
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
    if (query.q) and.push({ searchText: { contains: searchKeyOf(query.q) } });
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
    for (const extension of this.extensions.lists()) {
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
    const key = (query.sort ?? 'name').replace(/^-/, '');
    const plain = Object.entries(query).every(([k, value]) => value === undefined || INDEX_ORDER_KEYS.has(k) || (k === 'preset' && value === 'ALL'));
    const contributed = this.extensions.lists().some((e) => e.sorts?.[key]);
    const [ids, total] = await Promise.all([
      ((plain && !contributed && this.store.indexOrderPageIds(query)) || null) ??
        this.prisma.contact
          .findMany({ where, select: { id: true }, orderBy: this.orderBy(query.sort), skip: (query.page - 1) * query.pageSize, take: query.pageSize })
          .then((page) => page.map((p) => p.id)),
      this.prisma.contact.count({ where }),
    ]);
    return { ids, total };
  }

  /** A search sorted by name and filtered by lifecycle and status at most: the store's fast path, if any. */
  private searchPage(query: BaseListQuery & Record<string, unknown>): Promise<{ ids: number[]; total: number }> | null {
    const plain = Object.entries(query).every(([key, value]) => value === undefined || key === 'q' || INDEX_ORDER_KEYS.has(key));
    return plain ? this.store.searchPage(query) : null;
  }

  /** Ids of every contact the query matches (its page and sort aside), for a change to all of them. */
  async matchingIds(query: BaseListQuery & Record<string, unknown>): Promise<number[]> {
    const { page: _page, pageSize: _size, sort: _sort, ...filters } = query;
    const rows = await this.prisma.contact.findMany({
      where: await this.where({ ...filters, page: 1, pageSize: 1 }),
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    return rows.map((r) => r.id);
  }

  /** Gets search ready for a large contact table (its reader thread started) before the first search. */
  prepareSearch(): Promise<void> {
    return this.store.prepare();
  }

  /** The host is stopping. */
  stop(): Promise<void> {
    return this.store.stop();
  }

  orderBy(sort: string | undefined): Prisma.ContactOrderByWithRelationInput[] {
    const key = (sort ?? 'name').replace(/^-/, '');
    const direction = sort?.startsWith('-') ? 'desc' : 'asc';
    const contributed = this.extensions.lists().find((e) => e.sorts?.[key])?.sorts?.[key];
    const order = contributed ? [contributed(direction)] : (orderFor(key, direction, this.postgres) ?? orderFor('name', direction)!);
    return [...order, { id: direction }];
  }

  /** Fills the columns other plugins contribute, for a page of rows. */
  async addColumns(rows: ContactView[]): Promise<void> {
    const ids = rows.map((r) => r.id);
    for (const extension of this.extensions.lists()) {
      for (const [column, load] of Object.entries(extension.columns ?? {})) {
        const values = await load(ids);
        for (const row of rows) row[column] = values.get(row.id) ?? null;
      }
    }
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
        const sets = await Promise.all(required.map((d) => this.store.idsWithCustomValue(d.key)));
        const filled = sets.reduce((acc, ids) => acc.filter((id) => ids.has(id)), [...sets[0]!]);
        return { id: { notIn: filled } };
      }
    }
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
      const list = def.type === 'MULTISELECT';
      const matched = await this.store.idsWithCustomValueEqual(key, list, list ? (value as string[])[0] : value);
      ids = ids ? ids.filter((id) => matched.has(id)) : [...matched];
    }
    return ids ?? [];
  }
}
