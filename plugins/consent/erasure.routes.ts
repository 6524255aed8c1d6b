import { z } from 'zod';
import { defineRoute, idParams, type ApiRoute } from '../../server/http/route.js';
import type { ErasureService } from './erasure.service.js';
import type { SuppressionService } from './suppression.service.js';
import type { RetentionService } from './retention.service.js';

const pageQuery = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** Erasure (admins), its certificates, and the suppression list (admins). */
export function erasureRoutes(erasure: ErasureService, suppressions: SuppressionService, retention: RetentionService): ApiRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/contacts/:id/erase',
      summary: 'Erase a contact everywhere in one transaction, suppress their email and phones (keyed hashes), and answer the certificate',
      tags: ['consent'],
      role: 'ADMIN',
      params: idParams,
      body: z.strictObject({ requestId: z.number().int().positive().optional() }),
      status: 201,
      handler: ({ params, body, actor }) => erasure.erase(params.id, { userId: actor.userId, via: 'api' }, body.requestId),
    }),
    defineRoute({
      method: 'get',
      path: '/erasure-certificates',
      summary: 'Erasure certificates, newest first',
      tags: ['consent'],
      role: 'ADMIN',
      query: pageQuery,
      handler: ({ query }) => erasure.certificates(query),
    }),
    defineRoute({
      method: 'get',
      path: '/erasure-certificates/:id',
      summary: 'One erasure certificate (what was erased, where, when, by whom)',
      tags: ['consent'],
      role: 'ADMIN',
      params: idParams,
      handler: ({ params }) => erasure.certificate(params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/consent/retention',
      summary: 'Retention dry run: how many contacts without activity for N months (default: the setting) would be erased now',
      tags: ['consent'],
      role: 'ADMIN',
      query: z.strictObject({ months: z.coerce.number().int().min(1).max(600).optional() }),
      handler: ({ query }) => retention.dryRun(query.months),
    }),
    defineRoute({
      method: 'get',
      path: '/suppressions',
      summary: 'The suppression list: keyed hashes of erased people’s emails and phones',
      tags: ['consent'],
      role: 'ADMIN',
      query: pageQuery,
      handler: ({ query }) => suppressions.list(query),
    }),
    defineRoute({
      method: 'post',
      path: '/suppressions/check',
      summary: 'Whether an email or phone is suppressed',
      tags: ['consent'],
      role: 'ADMIN',
      body: z.strictObject({ value: z.string().trim().min(3).max(320) }),
      handler: async ({ body }) => ({ suppressed: await suppressions.check(body.value) }),
    }),
    defineRoute({
      method: 'delete',
      path: '/suppressions/:id',
      summary: 'Lift a suppression: the person may be created, imported and messaged again',
      tags: ['consent'],
      role: 'ADMIN',
      params: idParams,
      handler: async ({ params }) => {
        await suppressions.lift(params.id);
      },
    }),
  ];
}
