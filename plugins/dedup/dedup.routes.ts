import { z } from 'zod';
import { defineRoute, idParams, type ApiRoute } from '../../server/http/route.js';
import type { DedupService } from './dedup.service.js';
import { mergeInput, type MergeService } from './merge.service.js';

export function dedupRoutes(dedup: DedupService, merges: MergeService): ApiRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/contacts/:id/merge',
      summary: 'Merge another contact into this one (field by field: KEEP, USE or COMBINE); undoable for 30 days',
      tags: ['dedup'],
      role: 'MANAGER',
      params: idParams,
      body: mergeInput,
      status: 201,
      handler: ({ params, body, actor }) => merges.merge(params.id, body, actor.userId),
    }),
    defineRoute({
      method: 'post',
      path: '/merges/:id/undo',
      summary: 'Undo a merge: the removed contact comes back with its records',
      tags: ['dedup'],
      role: 'MANAGER',
      params: idParams,
      handler: ({ params }) => merges.undo(params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/dedup/candidates',
      summary: 'Pairs of contacts that may be one person, best first, with score and reasons',
      tags: ['dedup'],
      query: z.strictObject({
        status: z.enum(['OPEN', 'DISMISSED', 'MERGED']).optional(),
        minScore: z.coerce.number().min(0).max(1).optional(),
        contactId: z.coerce.number().int().positive().optional(),
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(500).default(50),
      }),
      handler: ({ query }) => dedup.list(query),
    }),
    defineRoute({
      method: 'post',
      path: '/dedup/scan',
      summary: 'Scan all contacts for duplicates now',
      tags: ['dedup'],
      role: 'MANAGER',
      handler: () => dedup.scan(),
    }),
    defineRoute({
      method: 'post',
      path: '/dedup/candidates/:id/dismiss',
      summary: 'Not the same person: the pair stays hidden until one of the two contacts changes',
      tags: ['dedup'],
      params: z.object({ id: z.coerce.number().int().positive() }),
      handler: ({ params }) => dedup.dismiss(params.id),
    }),
  ];
}
