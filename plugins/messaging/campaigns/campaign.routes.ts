import { defineRoute, idParams, type ApiRoute } from '../../../server/http/route.js';
import { campaignInput, type CampaignService } from './campaign.service.js';

export function campaignRoutes(campaigns: CampaignService): ApiRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/campaigns',
      summary: 'Send a template to contacts (by id or a list filter) in the background; answers with the first progress report',
      tags: ['messaging'],
      role: 'MANAGER',
      body: campaignInput,
      status: 201,
      handler: ({ body, actor }) => campaigns.create(body, actor.userId),
    }),
    defineRoute({
      method: 'get',
      path: '/campaigns',
      summary: 'Campaigns, newest first',
      tags: ['messaging'],
      handler: () => campaigns.list(),
    }),
    defineRoute({
      method: 'get',
      path: '/campaigns/:id',
      summary: "A campaign's progress and report: sent, skipped with the reason per contact, failed with the error",
      tags: ['messaging'],
      params: idParams,
      handler: ({ params }) => campaigns.report(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/campaigns/:id/cancel',
      summary: 'Cancel a campaign: contacts not yet sent to are not sent to',
      tags: ['messaging'],
      role: 'MANAGER',
      params: idParams,
      handler: ({ params }) => campaigns.cancel(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/campaigns/:id/pause',
      summary: 'Pause a running campaign',
      tags: ['messaging'],
      role: 'MANAGER',
      params: idParams,
      handler: ({ params }) => campaigns.pause(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/campaigns/:id/resume',
      summary: 'Resume a paused campaign where it stopped',
      tags: ['messaging'],
      role: 'MANAGER',
      params: idParams,
      handler: ({ params }) => campaigns.resume(params.id),
    }),
  ];
}
