import path from 'node:path';
import type { Database } from '../../../server/db.js';
import type { AdminContribution } from '../../../server/plugin.js';
import { componentLoader } from '../../../admin/components.js';
import { prismaResource } from '../../../admin/dmmf.js';
import { serviceActions } from '../../../admin/service-writes.js';
import type { TemplateService } from '../templates/template.service.js';

const componentDir = path.join(import.meta.dirname, '..', 'components');
/** The contact page's messages: threads, and compose (email with template picker and live preview; SMS). */
export const MessagesPanel = componentLoader.add('MessagesPanel', path.join(componentDir, 'MessagesPanel'));
const CampaignProgress = componentLoader.add('CampaignProgress', path.join(componentDir, 'CampaignProgress'));

const MESSAGING = { name: 'Messaging', icon: 'Mail' };
const readOnly = { new: false, edit: false, delete: false, bulkDelete: false } as const;

/** Messages, templates, campaigns and the outbox in the admin; access follows the API routes. */
export function messagingAdmin(prisma: Database, templates: TemplateService): AdminContribution {
  return {
    pages: { campaigns: { component: CampaignProgress, icon: 'Send' } },
    access: {
      Message: { list: 'GET /messages', search: 'GET /messages', show: 'GET /messages/:id', ...readOnly },
      MessageTemplate: {
        list: 'GET /templates',
        search: 'GET /templates',
        show: 'GET /templates/:id',
        new: 'POST /templates',
        edit: 'PATCH /templates/:id',
        delete: 'DELETE /templates/:id',
        bulkDelete: 'DELETE /templates/:id',
      },
      Campaign: { list: 'GET /campaigns', search: 'GET /campaigns', show: 'GET /campaigns/:id', ...readOnly },
      CampaignSend: { list: 'GET /campaigns/:id', search: 'GET /campaigns/:id', show: 'GET /campaigns/:id', ...readOnly },
      // The outbox holds whole messages as they would have gone out: managers read it.
      OutboxEntry: { list: 'MANAGER', search: 'MANAGER', show: 'MANAGER', ...readOnly },
      EmailBounce: { list: 'GET /messages', search: 'GET /messages', show: 'GET /messages', ...readOnly },
    },
    resources: [
      {
        resource: prismaResource(prisma, 'Message'),
        options: {
          navigation: MESSAGING,
          sort: { sortBy: 'createdAt', direction: 'desc' },
          listProperties: ['createdAt', 'channel', 'direction', 'status', 'contact', 'toAddress', 'subject'],
          filterProperties: ['channel', 'direction', 'status', 'contact', 'campaign', 'createdAt'],
          properties: { html: { type: 'textarea' }, text: { type: 'textarea' } },
        },
      },
      {
        resource: prismaResource(prisma, 'MessageTemplate'),
        options: {
          navigation: MESSAGING,
          listProperties: ['name', 'channel', 'purpose', 'subject', 'system', 'updatedAt'],
          properties: { html: { type: 'textarea' }, text: { type: 'textarea' } },
          actions: serviceActions({
            noun: 'Template',
            fields: { name: 'text', channel: 'text', purpose: 'text', subject: 'text', html: 'text', text: 'text' },
            create: (input) => templates.create(input as never),
            update: (id, input) => templates.update(Number(id), input as never),
          }),
        },
      },
      {
        resource: prismaResource(prisma, 'Campaign'),
        options: {
          navigation: MESSAGING,
          sort: { sortBy: 'createdAt', direction: 'desc' },
          listProperties: ['name', 'status', 'template', 'total', 'createdAt', 'finishedAt'],
        },
      },
      {
        resource: prismaResource(prisma, 'CampaignSend'),
        options: {
          navigation: MESSAGING,
          listProperties: ['campaign', 'contact', 'status', 'reason', 'error', 'attempts'],
          filterProperties: ['campaign', 'status'],
        },
      },
      {
        resource: prismaResource(prisma, 'OutboxEntry'),
        options: { navigation: MESSAGING, sort: { sortBy: 'createdAt', direction: 'desc' }, properties: { content: { type: 'textarea' } } },
      },
      { resource: prismaResource(prisma, 'EmailBounce'), options: { navigation: MESSAGING } },
    ],
    dashboard: [
      {
        name: 'messages',
        title: 'Messages this week',
        load: async () => {
          const since = new Date(Date.now() - 7 * 86_400_000);
          const grouped = await prisma.message.groupBy({ by: ['status'], where: { createdAt: { gte: since } }, _count: { _all: true } });
          return {
            value: grouped.reduce((sum, g) => sum + g._count._all, 0),
            caption: 'sent and received in 7 days',
            items: grouped.map((g) => ({ label: g.status.toLowerCase(), value: g._count._all })),
          };
        },
      },
    ],
  };
}
