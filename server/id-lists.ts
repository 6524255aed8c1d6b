/**
 * Long id lists in queries. A statement binds a bounded number of variables: 32,766 on SQLite (Prisma
 * assumes 999 unless the adapter says more: server/sqlite-busy.ts does) and 32,767 on PostgreSQL;
 * past that Prisma answers P2029 ("query parameter limit") and SQLite "too many SQL variables".
 * Every query that takes a caller's id list goes through one of these, so no list size can make it
 * fail. (A list filter inside a paged query cannot be split: it works up to that limit.)
 */

/** Ids per statement: small, so a query holding two such lists stays under even SQLite's old 999. */
export const ID_CHUNK = 400;

export function chunksOf<T>(items: Iterable<T>, size = ID_CHUNK): T[][] {
  const all = [...items];
  const out: T[][] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size));
  return out;
}

/** Reads per chunk of ids, one after another, and joins the rows (a `findMany` with `in: chunk`). */
export async function findInChunks<T, R>(ids: Iterable<T>, find: (chunk: T[]) => Promise<R[]>, size = ID_CHUNK): Promise<R[]> {
  const rows: R[] = [];
  for (const chunk of chunksOf(ids, size)) rows.push(...(await find(chunk)));
  return rows;
}

/** Writes per chunk of ids and adds up the counts (an `updateMany` or `deleteMany` with `in: chunk`). */
export async function countInChunks<T>(ids: Iterable<T>, write: (chunk: T[]) => Promise<{ count: number }>, size = ID_CHUNK): Promise<number> {
  let count = 0;
  for (const chunk of chunksOf(ids, size)) count += (await write(chunk)).count;
  return count;
}

/**
 * For raw SQL: the whole list as one bound parameter (a JSON array), and the subquery that reads it,
 * e.g. `WHERE "id" IN ${idListSql(dialect, '?')}`.
 */
export function idListSql(dialect: 'sqlite' | 'postgres', placeholder: string): string {
  return dialect === 'sqlite' ? `(SELECT value FROM json_each(${placeholder}))` : `(SELECT (jsonb_array_elements_text(${placeholder}::jsonb))::int)`;
}

export function idListParam(ids: readonly number[]): string {
  return JSON.stringify(ids);
}
