import type { ActionContext, ActionRequest, ActionResponse, ResourceWithOptions } from 'adminjs';
import type { Host } from '../server/host.js';
import type { AccessTable } from './access.js';
import { prismaResource } from './dmmf.js';
import { serviceActions, toAdminError } from './service-writes.js';

const SYSTEM = { name: 'System', icon: 'Settings' };

/**
 * The user fields the admin reads and shows, and no other: hashes, failure counters and lock
 * state stay in the database (the `unlock` action lifts a lock).
 */
export const ADMIN_USER_FIELDS = ['id', 'email', 'name', 'role', 'active', 'lastLoginAt', 'passwordChangedAt', 'createdAt', 'updatedAt'] as const;

/** The host's rows of the admin's access table: its records have no API routes, so each names a role. */
export const HOST_ACCESS: AccessTable = {
  User: { list: 'ADMIN', show: 'ADMIN', search: 'ADMIN', new: 'ADMIN', edit: 'ADMIN', delete: 'ADMIN', bulkDelete: 'ADMIN', unlock: 'ADMIN' },
  ApiKey: { list: 'ADMIN', show: 'ADMIN', search: 'ADMIN', new: 'ADMIN', edit: false, delete: 'ADMIN', bulkDelete: 'ADMIN', revoke: 'ADMIN' },
  AuditLog: { list: 'ADMIN', show: 'ADMIN', search: 'ADMIN', new: false, edit: false, delete: false, bulkDelete: false },
  JobRun: { list: 'MANAGER', show: 'MANAGER', search: 'MANAGER', new: false, edit: false, delete: false, bulkDelete: false },
};

/** Users, API keys, the audit log and job runs: the host's own records in the admin. */
export function hostResources(host: Host): ResourceWithOptions[] {
  const readOnly = { isVisible: { list: true, filter: true, show: true, edit: false } };
  return [
    {
      resource: prismaResource(host.prisma, 'User', { fields: ADMIN_USER_FIELDS }),
      options: {
        navigation: SYSTEM,
        listProperties: ['id', 'email', 'name', 'role', 'active', 'lastLoginAt'],
        properties: {
          id: readOnly,
          lastLoginAt: readOnly,
          passwordChangedAt: readOnly,
          createdAt: readOnly,
          updatedAt: readOnly,
          password: { type: 'password', isVisible: { list: false, filter: false, show: false, edit: true } },
        },
        actions: {
          ...serviceActions({
            noun: 'User',
            fields: { email: 'text', name: 'text', role: 'text', active: 'bool', password: 'text' },
            create: (input) => host.users.create(input as never),
            // A blank password field on the edit form keeps the current password.
            update: (id, { password, ...input }) => host.users.update(Number(id), password ? { ...input, password: password as string } : input),
          }),
          unlock: {
            actionType: 'record',
            icon: 'Unlock',
            component: false,
            guard: 'Let this user sign in again now?',
            handler: async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
              if (request.method !== 'post') return { record: context.record!.toJSON(context.currentAdmin) };
              await host.users.unlock(Number(context.record!.id()));
              return { record: context.record!.toJSON(context.currentAdmin), notice: { message: 'User unlocked', type: 'success' } };
            },
          },
        },
      },
    },
    {
      resource: prismaResource(host.prisma, 'ApiKey'),
      options: {
        navigation: SYSTEM,
        listProperties: ['id', 'name', 'prefix', 'user', 'lastUsedAt', 'revokedAt', 'createdAt'],
        properties: { id: readOnly, prefix: readOnly, lastUsedAt: readOnly, revokedAt: readOnly, createdAt: readOnly },
        actions: {
          new: {
            // The key is made by the service and shown once in the notice; only its digest is stored.
            handler: async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
              if (request.method !== 'post') return { record: context.resource.build({}).toJSON(context.currentAdmin) };
              const userId = Number(request.payload?.user);
              const created = await host.apiKeys.create(userId, String(request.payload?.name ?? '')).catch((err: unknown) => toAdminError(err));
              const { apiKey, key } = created;
              const record = await context.resource.findOne(String(apiKey.id));
              return {
                record: record!.toJSON(context.currentAdmin),
                redirectUrl: context.h.resourceUrl({ resourceId: context.resource._decorated?.id() ?? 'ApiKey' }),
                notice: { message: `New API key (copy it now, it is not shown again): ${key}`, type: 'success' },
              };
            },
          },
          revoke: {
            actionType: 'record',
            icon: 'Slash',
            guard: 'Revoke this API key? Clients using it stop working at once.',
            component: false,
            handler: async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
              if (request.method !== 'post') return { record: context.record!.toJSON(context.currentAdmin) };
              await host.apiKeys.revoke(Number(context.record!.id()));
              const record = await context.resource.findOne(String(context.record!.id()));
              return { record: record!.toJSON(context.currentAdmin), notice: { message: 'API key revoked', type: 'success' } };
            },
          },
        },
      },
    },
    {
      resource: prismaResource(host.prisma, 'AuditLog'),
      options: { navigation: SYSTEM, sort: { sortBy: 'at', direction: 'desc' }, listProperties: ['at', 'action', 'entity', 'entityId', 'actor', 'via'] },
    },
    {
      resource: prismaResource(host.prisma, 'JobRun'),
      options: {
        navigation: SYSTEM,
        sort: { sortBy: 'startedAt', direction: 'desc' },
        listProperties: ['job', 'trigger', 'status', 'startedAt', 'finishedAt', 'counts', 'error'],
      },
    },
  ];
}
