import { z } from 'zod';
import { defineRoute, idParams, type ApiRoute } from '../../../server/http/route.js';
import type { ContactsApi } from '../../contacts/public.js';
import { templateInput, type TemplateService } from '../templates/template.service.js';
import { messageQuery, sendInput, type MessageService } from './message.service.js';

export function messageRoutes(messages: MessageService, templates: TemplateService, gate: ContactsApi['gate']): ApiRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/messages',
      summary: 'Send one email or SMS to a contact (422 CONSENT_REQUIRED when the consent gate refuses, MISSING_VARIABLES when a variable has no value)',
      tags: ['messaging'],
      body: sendInput,
      status: 201,
      handler: ({ body, actor }) => messages.send(body, actor.userId),
    }),
    defineRoute({
      method: 'get',
      path: '/messages',
      summary: 'Messages across contacts, newest first, filtered by contact, channel, direction, status and date',
      tags: ['messaging'],
      query: messageQuery,
      handler: ({ query }) => messages.list(query),
    }),
    defineRoute({
      method: 'get',
      path: '/messages/:id',
      summary: 'One message',
      tags: ['messaging'],
      params: idParams,
      handler: ({ params }) => messages.get(params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/contacts/:id/threads',
      summary: "A contact's conversations (email threads and SMS by number), newest first",
      tags: ['messaging'],
      params: idParams,
      handler: ({ params }) => messages.threads(params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/templates',
      summary: 'Message templates',
      tags: ['messaging'],
      handler: () => templates.list(),
    }),
    defineRoute({
      method: 'get',
      path: '/templates/:id',
      summary: 'One message template',
      tags: ['messaging'],
      params: idParams,
      handler: ({ params }) => templates.get(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/templates',
      summary: 'Add a message template (variables such as {{firstName|there}} in subject, HTML and text)',
      tags: ['messaging'],
      role: 'MANAGER',
      body: templateInput,
      status: 201,
      handler: ({ body }) => templates.create(body),
    }),
    defineRoute({
      method: 'patch',
      path: '/templates/:id',
      summary: 'Change a message template',
      tags: ['messaging'],
      role: 'MANAGER',
      params: idParams,
      body: z.strictObject({
        name: z.string().trim().min(1).max(200).optional(),
        purpose: z.enum(['MARKETING', 'TRANSACTIONAL']).optional(),
        subject: z.string().trim().max(500).optional(),
        html: z.string().max(500_000).optional(),
        text: z.string().max(100_000).optional(),
      }),
      handler: ({ params, body }) => templates.update(params.id, body),
    }),
    defineRoute({
      method: 'delete',
      path: '/templates/:id',
      summary: 'Remove a custom message template',
      tags: ['messaging'],
      role: 'MANAGER',
      params: idParams,
      handler: ({ params }) => templates.remove(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/templates/:id/preview',
      summary: 'Render a template against a real contact; variables without a value are listed in `missing`',
      tags: ['messaging'],
      role: 'VIEWER',
      params: idParams,
      body: z.strictObject({ contactId: z.number().int().positive() }),
      handler: async ({ params, body }) => {
        const template = await templates.get(params.id);
        const unsubscribeUrl = template.channel === 'EMAIL' ? await gate.unsubscribeUrl(body.contactId, 'EMAIL', template.purpose) : undefined;
        return templates.preview(params.id, body.contactId, unsubscribeUrl);
      },
    }),
  ];
}
