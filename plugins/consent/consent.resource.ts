import path from 'node:path';
import type { ActionContext, ActionRequest } from 'adminjs';
import type { Database } from '../../server/db.js';
import type { AdminContribution } from '../../server/plugin.js';
import { componentLoader } from '../../admin/components.js';
import { prismaResource } from '../../admin/dmmf.js';
import { readOnlyRows } from '../../admin/access.js';
import { serviceActions, toAdminError } from '../../admin/service-writes.js';
import type { ConsentApi } from './public.js';

/** The consent panel on the contact page: state, ledger with evidence, record a change. */
export const ConsentPanel = componentLoader.add('ConsentPanel', path.join(import.meta.dirname, 'components', 'ConsentPanel'));

const PRIVACY = { name: 'Privacy', icon: 'Shield' };
const pick = (input: Record<string, unknown>, keys: string[]) => Object.fromEntries(Object.entries(input).filter(([k]) => keys.includes(k)));

/** A record action that calls a service and shows the record again with a notice. */
function recordAction(icon: string, run: (id: number, context: ActionContext) => Promise<string>, isVisible?: (context: ActionContext) => boolean) {
  return {
    actionType: 'record' as const,
    icon,
    component: false as const,
    guard: 'Are you sure?',
    ...(isVisible ? { isVisible } : {}),
    handler: async (_request: ActionRequest, _response: unknown, context: ActionContext) => {
      const id = Number(context.record!.id());
      let message: string;
      try {
        message = await run(id, context);
      } catch (err) {
        toAdminError(err);
      }
      const record = await context.resource.findOne(String(id));
      return {
        record: (record ?? context.record!).toJSON(context.currentAdmin),
        redirectUrl: context.h.recordActionUrl({ resourceId: context.resource.id(), recordId: String(id), actionName: 'show' }),
        notice: { message: message!, type: 'success' as const },
      };
    },
  };
}

/** Data requests with approve and erase actions, the ledger (read-only), suppressions and certificates (admins), and the deadlines card. */
export function consentAdmin(prisma: Database, s: ConsentApi): AdminContribution {
  const userId = (context: ActionContext) => (context.currentAdmin as unknown as { id: number }).id;
  const status = (context: ActionContext) => context.record?.params.status as string | undefined;
  return {
    access: {
      ConsentEvent: readOnlyRows('GET /contacts/:id/consent'),
      ConsentState: readOnlyRows('GET /contacts/:id/consent'),
      ConsentWording: readOnlyRows('GET /contacts/:id/consent'),
      DataSubjectRequest: {
        list: 'GET /dsr',
        search: 'GET /dsr',
        show: 'GET /dsr/:id',
        new: 'POST /dsr',
        edit: 'PATCH /dsr/:id',
        delete: false,
        bulkDelete: false,
        approve: 'PATCH /dsr/:id',
        reject: 'PATCH /dsr/:id',
        execute: 'POST /contacts/:id/erase',
      },
      Suppression: {
        list: 'GET /suppressions',
        search: 'GET /suppressions',
        show: 'GET /suppressions',
        new: false,
        edit: false,
        delete: 'DELETE /suppressions/:id',
        bulkDelete: false,
      },
      ErasureCertificate: readOnlyRows('GET /erasure-certificates/:id'),
    },
    resources: [
      {
        resource: prismaResource(prisma, 'DataSubjectRequest'),
        options: {
          navigation: PRIVACY,
          sort: { sortBy: 'dueAt', direction: 'asc' },
          listProperties: ['id', 'type', 'status', 'contact', 'requester', 'dueAt', 'deadlineFlag'],
          actions: {
            ...serviceActions({
              noun: 'Data request',
              fields: {
                type: 'text',
                contact: { kind: 'int', to: 'contactId' },
                requester: 'text',
                verification: 'text',
                notes: 'text',
                receivedAt: 'date',
                status: 'text',
                extensionReason: 'text',
              },
              requiredOnCreate: ['type', 'requester', 'verification'],
              create: (input, actor) =>
                s.dsr.create(pick(input, ['type', 'contactId', 'requester', 'verification', 'notes', 'receivedAt']) as never, actor.userId),
              update: (id, input, actor) => s.dsr.update(Number(id), pick(input, ['status', 'extensionReason', 'notes']) as never, actor.userId),
            }),
            approve: recordAction(
              'Check',
              async (id, context) => {
                await s.dsr.update(id, { status: 'APPROVED' }, userId(context));
                return 'Request approved';
              },
              (context) => status(context) === 'RECEIVED',
            ),
            reject: recordAction(
              'X',
              async (id, context) => {
                await s.dsr.update(id, { status: 'REJECTED' }, userId(context));
                return 'Request rejected';
              },
              (context) => status(context) === 'RECEIVED' || status(context) === 'APPROVED',
            ),
            execute: recordAction(
              'Trash2',
              async (id, context) => {
                const request = await s.dsr.get(id);
                if (request.type === 'ERASURE') {
                  const certificate = await s.erasure.erase(request.contactId!, { userId: userId(context), via: 'admin' }, id);
                  return `Contact erased: certificate ${certificate.reference}`;
                }
                await s.dsr.update(id, { status: 'COMPLETED' }, userId(context));
                return 'Request completed';
              },
              (context) => status(context) === 'APPROVED',
            ),
          },
        },
      },
      {
        resource: prismaResource(prisma, 'ConsentEvent'),
        options: { navigation: PRIVACY, sort: { sortBy: 'id', direction: 'desc' } },
      },
      { resource: prismaResource(prisma, 'ConsentState'), options: { navigation: PRIVACY } },
      { resource: prismaResource(prisma, 'ConsentWording'), options: { navigation: PRIVACY, properties: { text: { type: 'textarea' } } } },
      {
        resource: prismaResource(prisma, 'Suppression'),
        options: {
          navigation: PRIVACY,
          actions: {
            delete: {
              handler: async (_request: ActionRequest, _response: unknown, context: ActionContext) => {
                const record = context.record!.toJSON(context.currentAdmin);
                try {
                  await s.suppressions.lift(Number(context.record!.id()));
                } catch (err) {
                  toAdminError(err);
                }
                return {
                  record,
                  redirectUrl: context.h.resourceUrl({ resourceId: context.resource.id() }),
                  notice: { message: 'Suppression lifted', type: 'success' as const },
                };
              },
            },
          },
        },
      },
      { resource: prismaResource(prisma, 'ErasureCertificate'), options: { navigation: PRIVACY, sort: { sortBy: 'id', direction: 'desc' } } },
    ],
    dashboard: [{ name: 'data-requests', title: 'Data requests due', load: () => s.dsr.dashboard() }],
  };
}
