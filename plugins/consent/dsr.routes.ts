import { z } from 'zod';
import { defineRoute, idParams, type ApiRoute } from '../../server/http/route.js';
import type { AccessService } from './access.service.js';
import { DSR_STATUSES, DSR_TYPES, dsrCreateInput, dsrUpdateInput, type DsrService } from './dsr.service.js';

/** Access exports (audited), and data-subject requests with their deadlines. */
export function dsrRoutes(access: AccessService, dsr: DsrService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/contacts/:id/gdpr-export',
      summary: 'Everything the platform holds on a person, from contacts and every plugin, as one JSON document (the download is audited)',
      tags: ['consent'],
      role: 'MANAGER',
      params: idParams,
      handler: async ({ params, actor, res }) => {
        const document = await access.export(params.id, { userId: actor.userId, via: 'api' });
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
