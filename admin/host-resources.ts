import { ValidationError as AdminValidationError, type ActionContext, type ActionRequest, type ActionResponse, type ResourceWithOptions } from 'adminjs';
import type { Host } from '../server/host.js';
import { hashPassword } from '../server/auth/password.js';
import { newUserInput } from '../server/auth/users.service.js';
import { withActionRoles, allow } from './access.js';
import { prismaResource } from './dmmf.js';

const SYSTEM = { name: 'System', icon: 'Settings' };

type RecordJson = { params?: Record<string, unknown> };

/** `isVisible: false` only hides a field in the UI: secrets are removed from every answer too. */
function withoutFields(fields: string[]) {
  const strip = (record?: RecordJson) => {
    for (const field of fields) delete record?.params?.[field];
  };
  const after = async <T extends { record?: RecordJson; records?: RecordJson[] }>(response: T): Promise<T> => {
    strip(response.record);
    response.records?.forEach(strip);
    return response;
  };
  return Object.fromEntries(['list', 'show', 'edit', 'new', 'search', 'delete', 'bulkDelete', 'revoke'].map((name) => [name, { after }]));
}

function mergeActions(...sets: Record<string, Record<string, unknown>>[]): Record<string, Record<string, unknown>> {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const set of sets) for (const [name, action] of Object.entries(set)) merged[name] = { ...merged[name], ...action };
  return merged;
}

/** Turns the virtual `password` field of the user form into a hash, or rejects it. */
async function hashPasswordField(request: ActionRequest): Promise<ActionRequest> {
  const payload = { ...(request.payload ?? {}) };
  const password = payload.password as string | undefined;
  delete payload.password;
  delete payload.passwordHash;
  if (password) {
    const parsed = newUserInput.shape.password.safeParse(password);
    if (!parsed.success) throw new AdminValidationError({ password: { message: parsed.error.issues[0]!.message } });
    payload.passwordHash = await hashPassword(password);
    payload.passwordChangedAt = new Date();
  } else if (request.method === 'post' && request.params?.action === 'new') {
    throw new AdminValidationError({ password: { message: 'is required' } });
  }
  return { ...request, payload };
}

/** Users, API keys, the audit log and job runs: the host's own records in the admin. */
export function hostResources(host: Host): ResourceWithOptions[] {
  const hidden = { isVisible: false };
  const denied = { isAccessible: false };
  const readOnly = { new: denied, edit: denied, delete: denied, bulkDelete: denied };
  return [
    {
      resource: prismaResource(host.prisma, 'User'),
      options: withActionRoles(
        {
          navigation: SYSTEM,
          listProperties: ['id', 'email', 'name', 'role', 'active', 'lastLoginAt', 'lockedUntil'],
          properties: {
            passwordHash: hidden,
            failedLoginCount: { isVisible: { list: false, filter: false, show: true, edit: false } },
            lockedUntil: { isVisible: { list: true, filter: false, show: true, edit: true } },
            passwordChangedAt: { isVisible: { list: false, filter: false, show: true, edit: false } },
            password: { type: 'password', isVisible: { list: false, filter: false, show: false, edit: true } },
            apiKeys: hidden,
            auditEntries: hidden,
          },
          actions: mergeActions(withoutFields(['passwordHash']), {
            new: { before: hashPasswordField },
            edit: { before: hashPasswordField },
          }),
        },
        { list: 'ADMIN', show: 'ADMIN', search: 'ADMIN', new: 'ADMIN', edit: 'ADMIN', delete: 'ADMIN', bulkDelete: 'ADMIN' },
      ),
    },
    {
      resource: prismaResource(host.prisma, 'ApiKey'),
      options: withActionRoles(
        {
          navigation: SYSTEM,
          listProperties: ['id', 'name', 'prefix', 'user', 'lastUsedAt', 'revokedAt', 'createdAt'],
          properties: {
            keyHash: hidden,
            prefix: { isVisible: { list: true, show: true, edit: false, filter: true } },
            lastUsedAt: { isVisible: { list: true, show: true, edit: false, filter: false } },
            revokedAt: { isVisible: { list: true, show: true, edit: false, filter: false } },
          },
          actions: mergeActions(withoutFields(['keyHash']), {
            edit: { isAccessible: false },
            new: {
              // The key is made by the service and shown once in the notice; only its digest is stored.
              handler: async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
                if (request.method !== 'post') return { record: context.resource.build({}).toJSON(context.currentAdmin) };
                const userId = Number(request.payload?.user);
                const { apiKey, key } = await host.apiKeys.create(userId, String(request.payload?.name ?? ''));
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
              isAccessible: allow('ADMIN'),
              handler: async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
                if (request.method !== 'post') return { record: context.record!.toJSON(context.currentAdmin) };
                await host.apiKeys.revoke(Number(context.record!.id()));
                const record = await context.resource.findOne(String(context.record!.id()));
                return { record: record!.toJSON(context.currentAdmin), notice: { message: 'API key revoked', type: 'success' } };
              },
            },
          }),
        },
        { list: 'ADMIN', show: 'ADMIN', search: 'ADMIN', new: 'ADMIN', delete: 'ADMIN', bulkDelete: 'ADMIN' },
      ),
    },
    {
      resource: prismaResource(host.prisma, 'AuditLog'),
      options: withActionRoles(
        {
          navigation: SYSTEM,
          sort: { sortBy: 'at', direction: 'desc' },
          listProperties: ['at', 'action', 'entity', 'entityId', 'actor', 'via'],
          actions: readOnly,
        },
        { list: 'ADMIN', show: 'ADMIN', search: 'ADMIN' },
      ),
    },
    {
      resource: prismaResource(host.prisma, 'JobRun'),
      options: withActionRoles(
        {
          navigation: SYSTEM,
          sort: { sortBy: 'startedAt', direction: 'desc' },
          listProperties: ['job', 'trigger', 'status', 'startedAt', 'finishedAt', 'counts', 'error'],
          actions: readOnly,
        },
        { list: 'MANAGER', show: 'MANAGER', search: 'MANAGER' },
      ),
    },
  ];
}
