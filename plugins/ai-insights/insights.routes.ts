import { defineRoute, idParams, type ApiRoute } from '../../server/http/route.js';
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
