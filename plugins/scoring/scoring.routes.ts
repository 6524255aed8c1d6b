import { z } from 'zod';
import { defineRoute, idParams, type ApiRoute } from '../../server/http/route.js';
import { ruleCreateInput, ruleUpdateInput, settingsInput, type ScoringService } from './scoring.service.js';

const thresholdsQuery = z
  .strictObject({
    gradeA: z.coerce.number().int().min(1).max(100),
    gradeB: z.coerce.number().int().min(1).max(100),
    gradeC: z.coerce.number().int().min(1).max(100),
    gradeD: z.coerce.number().int().min(1).max(100),
  })
  .partial();

/** `rescoreEveryone` runs a full rescore in the background: rule changes answer at once. */
export function scoringRoutes(scoring: ScoringService, rescoreEveryone: () => void): ApiRoute[] {
  const changed = <T>(result: T) => {
    rescoreEveryone();
    return result;
  };
  return [
    defineRoute({
      method: 'get',
      path: '/contacts/:id/score',
      summary: "A contact's lead score: 0-100, grade, fit and engagement parts, the factors behind it and its trend",
      tags: ['scoring'],
      params: idParams,
      query: z.strictObject({ history: z.coerce.number().int().min(1).max(365).default(30) }),
      handler: ({ params, query }) => scoring.score(params.id, query.history),
    }),
    defineRoute({
      method: 'get',
      path: '/scoring/rules',
      summary: 'The scoring rules',
      tags: ['scoring'],
      handler: () => scoring.listRules(),
    }),
    defineRoute({
      method: 'post',
      path: '/scoring/rules',
      summary: 'Add a scoring rule; everyone is rescored in the background',
      tags: ['scoring'],
      role: 'MANAGER',
      body: ruleCreateInput,
      status: 201,
      handler: async ({ body }) => changed(await scoring.createRule(body)),
    }),
    defineRoute({
      method: 'patch',
      path: '/scoring/rules/:id',
      summary: 'Change a scoring rule; everyone is rescored in the background',
      tags: ['scoring'],
      role: 'MANAGER',
      params: idParams,
      body: ruleUpdateInput,
      handler: async ({ params, body }) => changed(await scoring.updateRule(params.id, body)),
    }),
    defineRoute({
      method: 'delete',
      path: '/scoring/rules/:id',
      summary: 'Remove a scoring rule; everyone is rescored in the background',
      tags: ['scoring'],
      role: 'MANAGER',
      params: idParams,
      handler: async ({ params }) => changed(await scoring.deleteRule(params.id)),
    }),
    defineRoute({
      method: 'get',
      path: '/scoring/settings',
      summary: 'How fit and engagement share the 100 points, and where each grade starts',
      tags: ['scoring'],
      handler: () => scoring.settings(),
    }),
    defineRoute({
      method: 'patch',
      path: '/scoring/settings',
      summary: 'Change the fit share or the grade thresholds; everyone is rescored in the background',
      tags: ['scoring'],
      role: 'MANAGER',
      body: settingsInput,
      handler: async ({ body }) => changed(await scoring.updateSettings(body)),
    }),
    defineRoute({
      method: 'get',
      path: '/scoring/distribution',
      summary: 'Contacts per grade; with thresholds given, how many each grade would hold with them',
      tags: ['scoring'],
      query: thresholdsQuery,
      handler: async ({ query }) => {
        const current = await scoring.settings();
        return scoring.distribution(Object.keys(query).length ? { ...current, ...query } : undefined);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/scoring/rescore',
      summary: 'Rescore every contact now, with decay up to now',
      tags: ['scoring'],
      role: 'MANAGER',
      handler: () => scoring.rescoreAll(),
    }),
  ];
}
