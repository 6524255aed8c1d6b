import { z } from 'zod';
import { defineRoute, idParams, type ApiRoute } from '../../server/http/route.js';
import type { DedupService } from './dedup.service.js';
import { mergeInput, type MergeService } from './merge.service.js';
import { mergeRuleInput, type MergeRuleService } from './merge-rule.service.js';
import type { DedupModelService } from './model.service.js';

const fieldParams = z.object({ field: z.string().min(1).max(50) });

export function dedupRoutes(dedup: DedupService, merges: MergeService, rules: MergeRuleService, models: DedupModelService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/contacts/:id/merge-choices',
      summary: 'What merging duplicateId into this contact would do per field (KEEP, USE, COMBINE), by the merge rules',
      tags: ['dedup'],
      params: idParams,
      query: z.strictObject({ duplicateId: z.coerce.number().int().positive() }),
      handler: ({ params, query }) => merges.proposedChoices(params.id, query.duplicateId),
    }),
    defineRoute({
      method: 'get',
      path: '/dedup/merge-rules',
      summary: 'How each field is settled when a merge or an import does not say: the rule, or the default',
      tags: ['dedup'],
      handler: () => rules.list(),
    }),
    defineRoute({
      method: 'put',
      path: '/dedup/merge-rules/:field',
      summary: 'Set the rule of a field: PRIMARY_WINS, MOST_RECENT, UNION, LIFECYCLE_FORWARD or MOST_TRUSTED_SOURCE',
      tags: ['dedup'],
      role: 'MANAGER',
      params: fieldParams,
      body: mergeRuleInput,
      handler: ({ params, body }) => rules.set(params.field, body),
    }),
    defineRoute({
      method: 'delete',
      path: '/dedup/merge-rules/:field',
      summary: 'Put a field back on its default rule',
      tags: ['dedup'],
      role: 'MANAGER',
      params: fieldParams,
      handler: ({ params }) => rules.reset(params.field),
    }),
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
      method: 'get',
      path: '/dedup/model',
      summary: 'The duplicate-detection model in use: version, what it was trained on, and m, u and weight of every field and level',
      tags: ['dedup'],
      handler: () => models.view(),
    }),
    defineRoute({
      method: 'post',
      path: '/dedup/model/train',
      summary: "Learn the weights from the workspace's own contacts now (a new model version); the next scan rescores with it",
      tags: ['dedup'],
      role: 'MANAGER',
      handler: () => dedup.train(),
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
