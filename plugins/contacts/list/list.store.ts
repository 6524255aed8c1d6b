import type { Database } from '../../../server/db.js';
import { CONTACT_STATUSES, LIFECYCLE_STAGES } from '../people/contact.schemas.js';
import type { BaseListQuery } from './list-query.js';
import { SplitSearch } from './split-search.js';
import { searchKeyOf } from '../people/normalize.js';

/**
 * The list's raw SQL, one implementation per dialect. Each read answers null where the dialect has no
 * faster path than the Prisma query the list service builds itself.
 */
export interface ListStore {
  /** A page of ids read in order off a covering index (a plain list: lifecycle and status filters at most). */
  indexOrderPageIds(query: BaseListQuery): Promise<number[]> | null;
  /** Page and total of a plain search sorted by name. */
  searchPage(query: BaseListQuery): Promise<{ ids: number[]; total: number }> | null;
  /** Contacts whose custom field `key` has a value. Keys are checked against the definitions (lower_snake_case) first. */
  idsWithCustomValue(key: string): Promise<Set<number>>;
  /** Contacts whose custom field `key` equals `value` (or, for a list field, contains it). */
  idsWithCustomValueEqual(key: string, list: boolean, value: unknown): Promise<Set<number>>;
  /** Gets search ready for a large table before the first search. */
  prepare(): Promise<void>;
  stop(): Promise<void>;
}

const ids = (rows: { id: number | bigint }[]) => new Set(rows.map((r) => Number(r.id)));

/** The covering name index: the name order of lists and the scan behind search. */
const NAME_INDEX_FROM = '"Contact" INDEXED BY "Contact_sortName_searchText_lifecycleStage_status_idx"';

/** The lifecycle and status filters as SQL conditions on columns the name index carries. */
function lifecycleAndStatus(query: BaseListQuery): { conditions: string[]; values: string[] } {
  const filters = (
    [
      ['lifecycleStage', query.lifecycle],
      ['status', query.status],
    ] as const
  ).map(([column, chosen]) => [column, [...new Set(chosen ?? [])]] as const);
  const used = filters.filter(([, values]) => values.length);
  return {
    conditions: used.map(([column, values]) => `"${column}" IN (${values.map(() => '?').join(', ')})`),
    values: used.flatMap(([, values]) => values),
  };
}

export class SqliteListStore implements ListStore {
  constructor(
    private readonly prisma: Database,
    private readonly search: SplitSearch,
  ) {}

  /**
   * By name, the name index with the filter checked in it; by newest activity, the
   * (lifecycleStage, status, lastActivityAt) index, one range per stage and status, merged.
   */
  indexOrderPageIds(query: BaseListQuery): Promise<number[]> | null {
    const key = (query.sort ?? 'name').replace(/^-/, '');
    const direction = query.sort?.startsWith('-') ? 'DESC' : 'ASC';
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

  /** A scan of the covering name index (split across two threads on large tables). */
  searchPage(query: BaseListQuery): Promise<{ ids: number[]; total: number }> | null {
    if (!query.q || (query.sort && query.sort.replace(/^-/, '') !== 'name')) return null;
    const pattern = `%${searchKeyOf(query.q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const { conditions, values } = lifecycleAndStatus(query);
    return this.search.page(NAME_INDEX_FROM, `"searchText" LIKE ? ESCAPE '\\'${conditions.map((c) => ` AND ${c}`).join('')}`, [pattern, ...values], {
      direction: query.sort?.startsWith('-') ? 'DESC' : 'ASC',
      offset: (query.page - 1) * query.pageSize,
      limit: query.pageSize,
    });
  }

  async idsWithCustomValue(key: string): Promise<Set<number>> {
    return ids(await this.prisma.$queryRawUnsafe(`SELECT id FROM "Contact" WHERE json_extract("customFields", '$.${key}') IS NOT NULL`));
  }

  async idsWithCustomValueEqual(key: string, list: boolean, value: unknown): Promise<Set<number>> {
    const sql = list
      ? `SELECT id FROM "Contact" WHERE EXISTS (SELECT 1 FROM json_each("customFields", '$.${key}') WHERE value = ?)`
      : `SELECT id FROM "Contact" WHERE json_extract("customFields", '$.${key}') = ?`;
    return ids(await this.prisma.$queryRawUnsafe(sql, typeof value === 'boolean' ? (value ? 1 : 0) : value));
  }

  prepare(): Promise<void> {
    return this.search.prepare(NAME_INDEX_FROM);
  }

  stop(): Promise<void> {
    return this.search.stop();
  }
}

/** PostgreSQL: the planner picks the indexes itself; custom fields through its JSON operators. */
export class PostgresListStore implements ListStore {
  constructor(private readonly prisma: Database) {}

  indexOrderPageIds(): null {
    return null;
  }

  searchPage(): null {
    return null;
  }

  async idsWithCustomValue(key: string): Promise<Set<number>> {
    return ids(
      await this.prisma.$queryRawUnsafe(`SELECT id FROM "Contact" WHERE "customFields"->'${key}' IS NOT NULL AND "customFields"->>'${key}' IS NOT NULL`),
    );
  }

  async idsWithCustomValueEqual(key: string, list: boolean, value: unknown): Promise<Set<number>> {
    const sql = list ? `SELECT id FROM "Contact" WHERE "customFields"->'${key}' ? $1` : `SELECT id FROM "Contact" WHERE "customFields"->>'${key}' = $1`;
    return ids(await this.prisma.$queryRawUnsafe(sql, String(value)));
  }

  async prepare(): Promise<void> {}

  async stop(): Promise<void> {}
}
