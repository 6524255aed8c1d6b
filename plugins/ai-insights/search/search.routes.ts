import { z } from 'zod';
import { defineRoute, type ApiRoute } from '../../../server/http/route.js';
import type { SearchService } from './search.service.js';

export function searchRoutes(search: SearchService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/search',
      summary: 'Cmd+K search across contacts, companies and deals: exact and prefix matches first, then semantic ones, each with its type and why it matched',
      tags: ['ai-insights'],
      query: z.strictObject({ q: z.string().max(200), limit: z.coerce.number().int().min(1).max(50).default(20) }),
      handler: ({ query }) => search.search(query.q, query.limit),
    }),
  ];
}
