import type { ActionContext, ResourceOptions } from 'adminjs';
import { hasRole, type Role } from '../server/auth/roles.js';

export type ActionRoles = Partial<Record<string, Role | false>>;

/** Who may do what in a resource unless it says otherwise: read for all, write for reps, delete for managers. */
export const DEFAULT_ACTION_ROLES: ActionRoles = {
  list: 'VIEWER',
  show: 'VIEWER',
  search: 'VIEWER',
  new: 'REP',
  edit: 'REP',
  delete: 'MANAGER',
  bulkDelete: 'MANAGER',
};

export function roleOfAdmin(context: Pick<ActionContext, 'currentAdmin'>): Role | undefined {
  return (context.currentAdmin as { role?: Role } | undefined)?.role;
}

export function allow(role: Role) {
  return (context: ActionContext) => hasRole(roleOfAdmin(context), role);
}

/** Adds `isAccessible` by role to each action the resource does not guard itself. */
export function withActionRoles(options: ResourceOptions = {}, roles: ActionRoles = {}): ResourceOptions {
  const merged = { ...DEFAULT_ACTION_ROLES, ...roles };
  const actions: ResourceOptions['actions'] = { ...(options.actions ?? {}) };
  const names = new Set([...Object.keys(merged), ...Object.keys(actions)]);
  for (const name of names) {
    const action = (actions as Record<string, Record<string, unknown>>)[name] ?? {};
    if (action.isAccessible !== undefined) continue;
    const role = merged[name] ?? 'REP';
    (actions as Record<string, unknown>)[name] = { ...action, isAccessible: role === false ? false : allow(role) };
  }
  return { ...options, actions };
}
