import { z } from 'zod';
import { defineRoute, idParams, type ApiRoute } from '../../server/http/route.js';
import type { CallLog } from './call-log.js';
import type { InsightsService } from './insights.service.js';

export function insightsRoutes(insights: InsightsService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/contacts/:id/insights',
      summary: "A contact's insights: a grounded summary with citations, its age and provider, suggested actions and similar contacts",
      tags: ['ai-insights'],
      params: idParams,
      handler: ({ params }) => insights.insights(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/contacts/:id/insights/refresh',
      summary: "Regenerates a contact's summary now, whatever its age",
      tags: ['ai-insights'],
      params: idParams,
      handler: ({ params }) => insights.insights(params.id, { force: true }),
    }),
  ];
}

/** The AI page's figures: calls, tokens, latency and estimated cost per provider and model. */
export function usageRoutes(calls: CallLog): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/ai/usage',
      summary: 'Model calls of the last days: count, failures, tokens, average latency and estimated cost per provider, model and purpose',
      tags: ['ai-insights'],
      role: 'MANAGER',
      query: z.strictObject({ days: z.coerce.number().int().min(1).max(365).default(30) }),
      handler: ({ query }) => calls.usage(new Date(Date.now() - query.days * 86_400_000)),
    }),
  ];
}
