import { z } from 'zod';
import { defineRoute, idParams, type ApiRoute } from '../../../server/http/route.js';
import { dealInput, type DealService } from './deal.service.js';
import { leadInput, type LeadService } from '../people/lead.service.js';

export function dealAndLeadRoutes(deals: DealService, leads: LeadService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/deals',
      summary: 'List deals',
      tags: ['deals'],
      query: z.strictObject({
        contactId: z.coerce.number().int().positive().optional(),
        companyId: z.coerce.number().int().positive().optional(),
        status: z.enum(['OPEN', 'WON', 'LOST']).optional(),
      }),
      handler: ({ query }) => deals.list(query),
    }),
    defineRoute({
      method: 'post',
      path: '/deals',
      summary: "Create a deal (logged on its contact's timeline)",
      tags: ['deals'],
      body: dealInput,
      status: 201,
      handler: async ({ body, actor }) => (await deals.create(body, actor.userId)).deal,
    }),
    defineRoute({ method: 'get', path: '/deals/:id', summary: 'Get a deal', tags: ['deals'], params: idParams, handler: ({ params }) => deals.get(params.id) }),
    defineRoute({
      method: 'patch',
      path: '/deals/:id',
      summary: 'Change a deal (stage changes, wins and losses are logged)',
      tags: ['deals'],
      params: idParams,
      body: dealInput.partial(),
      handler: ({ params, body, actor }) => deals.update(params.id, body, actor.userId),
    }),
    defineRoute({
      method: 'delete',
      path: '/deals/:id',
      summary: 'Delete a deal',
      tags: ['deals'],
      role: 'MANAGER',
      params: idParams,
      handler: async ({ params }) => {
        await deals.remove(params.id);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/leads',
      summary: 'List inbound leads',
      tags: ['leads'],
      query: z.strictObject({ status: z.enum(['NEW', 'QUALIFIED', 'DISQUALIFIED', 'CONVERTED']).optional() }),
      handler: ({ query }) => leads.list(query),
    }),
    defineRoute({
      method: 'post',
      path: '/leads',
      summary: 'Record an inbound lead',
      tags: ['leads'],
      body: leadInput,
      status: 201,
      handler: ({ body }) => leads.create(body),
    }),
    defineRoute({
      method: 'post',
      path: '/leads/:id/qualify',
      summary: 'Qualify a lead: link it to the contact with its email, or create one',
      tags: ['leads'],
      params: idParams,
      handler: ({ params, actor }) => leads.qualify(params.id, actor.userId),
    }),
    defineRoute({
      method: 'post',
      path: '/leads/:id/disqualify',
      summary: 'Disqualify a lead',
      tags: ['leads'],
      params: idParams,
      handler: ({ params }) => leads.disqualify(params.id),
    }),
  ];
}
