/**
 * Fields of users and API keys that never leave the server: not in an API or admin answer, not in
 * the audit log, not in the logs. The admin's user model is an allow-list on top of this.
 */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(['passwordHash', 'keyHash', 'failedLoginCount', 'lockedUntil']);

/** A `JSON.stringify` replacer that drops every secret field, at any depth. */
export function dropSecretFields(key: string, value: unknown): unknown {
  return SECRET_FIELDS.has(key) ? undefined : value;
}
