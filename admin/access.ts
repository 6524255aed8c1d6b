import type { ActionContext, ResourceOptions } from 'adminjs';
import { hasRole, ROLES, type Role } from '../server/auth/roles.js';
import { requiredRole, type ApiRoute } from '../server/http/route.js';

/**
 * Who may run an admin action:
 * - `'GET /contacts/:id'`: the same rule as that API route (its role), so both answer alike;
 * - a role, for records the API does not offer (users, API keys, the audit log...);
 * - `false`: the action is not offered in the admin.
 */
export type AccessRule = Role | false | `${'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} /${string}`;

/** Resource id → action name → rule. Every resource and every action of it has a row. */
export type AccessTable = Record<string, Record<string, AccessRule>>;

/** The actions AdminJS gives every resource. */
export const BUILT_IN_ACTIONS = ['list', 'show', 'search', 'new', 'edit', 'delete', 'bulkDelete'] as const;

export class AccessTableError extends Error {}

/** The role an action needs, from the table: a role, or `false` when nobody may. */
export function resolveRule(rule: AccessRule, routes: readonly ApiRoute[], where: string): Role | false {
  if (rule === false || (ROLES as readonly string[]).includes(rule)) return rule as Role | false;
  const [method, path] = rule.split(' ') as [string, string];
  const route = routes.find((r) => r.method === method.toLowerCase() && r.path === path);
  if (!route) throw new AccessTableError(`${where}: the access table names ${rule}, which is not an API route`);
  return requiredRole(route);
}

export function roleOfAdmin(context: Pick<ActionContext, 'currentAdmin'>): Role | undefined {
  return (context.currentAdmin as { role?: Role } | undefined)?.role;
}

export function allow(role: Role) {
  return (context: ActionContext) => hasRole(roleOfAdmin(context), role);
}

/**
 * Sets `isAccessible` of every action of a resource from its rows in the table. A resource or
 * action without a row stops the boot, so no admin action is left to a default.
 */
export function applyAccess(resourceId: string, options: ResourceOptions = {}, table: AccessTable, routes: readonly ApiRoute[]): ResourceOptions {
  const rules = table[resourceId];
  if (!rules) throw new AccessTableError(`Admin resource ${resourceId} has no row in the access table`);
  const actions: Record<string, Record<string, unknown>> = { ...((options.actions ?? {}) as Record<string, Record<string, unknown>>) };
  const names = new Set<string>([...BUILT_IN_ACTIONS, ...Object.keys(actions)]);
  for (const name of names) {
    const rule = rules[name];
    if (rule === undefined) throw new AccessTableError(`Admin action ${resourceId}.${name} has no rule in the access table`);
    if (actions[name]?.isAccessible !== undefined) {
      throw new AccessTableError(`Admin action ${resourceId}.${name} sets isAccessible itself: give it a rule in the access table instead`);
    }
    const role = resolveRule(rule, routes, `${resourceId}.${name}`);
    actions[name] = { ...actions[name], isAccessible: role === false ? false : allow(role) };
  }
  const extra = Object.keys(rules).filter((name) => !names.has(name));
  if (extra.length) throw new AccessTableError(`The access table names ${extra.map((n) => `${resourceId}.${n}`).join(', ')}, which the admin does not have`);
  return { ...options, actions: actions as ResourceOptions['actions'] };
}

/** The rows of a resource whose records are read by all and written by nobody in the admin. */
export function readOnlyRows(read: AccessRule): Record<string, AccessRule> {
  return { list: read, show: read, search: read, new: false, edit: false, delete: false, bulkDelete: false };
}
