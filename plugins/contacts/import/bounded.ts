// No import query binds an unbounded list: SQLite refuses more than 32,766 bound values (older
// builds 999) and PostgreSQL 65,535, so lists of ids or emails are bound in chunks of this size.
export const LIST_CHUNK = 500;

/** `items` cut into consecutive chunks of at most `size`. */
export function chunked<T>(items: readonly T[], size = LIST_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
