import { z } from 'zod';
import { recordAudit } from '../../server/audit.js';
import type { Database } from '../../server/db.js';
import { defineRoute, idParams, type ApiRoute } from '../../server/http/route.js';
import type { ContactsApi } from '../contacts/public.js';
import { DSR_STATUSES, DSR_TYPES, dsrCreateInput, dsrUpdateInput, type DsrService } from './dsr.service.js';

/** Access exports (audited), and data-subject requests with their deadlines. */
export function dsrRoutes(prisma: Database, contacts: Pick<ContactsApi, 'privacy'>, dsr: DsrService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/contacts/:id/gdpr-export',
      summary: 'Everything the platform holds on a person, from contacts and every plugin, as one JSON document (the download is audited)',
      tags: ['consent'],
      role: 'MANAGER',
      params: idParams,
      handler: async ({ params, actor, res }) => {
        const document = { exportedAt: new Date().toISOString(), contactId: params.id, ...(await contacts.privacy.collect(params.id)) };
        await recordAudit(prisma, {
          action: 'CREATE',
          entity: 'GdprExport',
          entityId: String(params.id),
          actorId: actor.userId,
          via: 'api',
          changes: { contactId: params.id, plugins: Object.keys(document.plugins) },
        });
        res.setHeader('Content-Disposition', `attachment; filename="gdpr-export-contact-${params.id}.json"`);
        return document;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/dsr',
      summary: 'Data-subject requests, soonest deadline first',
      tags: ['consent'],
      role: 'MANAGER',
      query: z.strictObject({
        status: z.enum(DSR_STATUSES).optional(),
        type: z.enum(DSR_TYPES).optional(),
        flagged: z.enum(['true', 'false']).optional(),
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(200).default(50),
      }),
      handler: ({ query }) => dsr.list({ ...query, flagged: query.flagged === 'true' }),
    }),
    defineRoute({
      method: 'post',
      path: '/dsr',
      summary: 'Record a data-subject request (due in one month unless extended)',
      tags: ['consent'],
      role: 'MANAGER',
      body: dsrCreateInput,
      status: 201,
      handler: ({ body, actor }) => dsr.create(body, actor.userId),
    }),
    defineRoute({
      method: 'get',
      path: '/dsr/:id',
      summary: 'One data-subject request',
      tags: ['consent'],
      role: 'MANAGER',
      params: idParams,
      handler: ({ params }) => dsr.get(params.id),
    }),
    defineRoute({
      method: 'patch',
      path: '/dsr/:id',
      summary: 'Approve, reject or complete a request, or extend its deadline once with a reason',
      tags: ['consent'],
      role: 'MANAGER',
      params: idParams,
      body: dsrUpdateInput,
      handler: ({ params, body, actor }) => dsr.update(params.id, body, actor.userId),
    }),
  ];
}
