export const ROLES = ['VIEWER', 'REP', 'MANAGER', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** Roles are ordered: each one may do what the ones before it may. */
export function hasRole(actual: Role | undefined, required: Role): boolean {
  if (!actual) return false;
  return ROLES.indexOf(actual) >= ROLES.indexOf(required);
}
