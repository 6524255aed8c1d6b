import { z } from 'zod';
import { defineRoute, type ApiRoute } from '../../../server/http/route.js';
import type { AssistantService } from './assistant.service.js';

const body = z
  .strictObject({
    message: z.string().trim().min(1).max(2_000).optional(),
    confirm: z.string().min(16).max(100).optional(),
  })
  .refine((b) => (b.message === undefined) !== (b.confirm === undefined), { message: 'send either message or confirm', path: ['message'] });

export function assistantRoutes(assistant: AssistantService): ApiRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/assistant',
      summary:
        'The assistant: `{ message }` answers with a reply, the records used and proposed changes with a confirmation token; `{ confirm: token }` applies them (REP and above)',
      tags: ['ai-insights'],
      role: 'VIEWER',
      body,
      handler: ({ body, actor }) => {
        const user = { userId: actor.userId, role: actor.role };
        return body.confirm ? assistant.confirm(body.confirm, user) : assistant.ask(body.message!, user);
      },
    }),
  ];
}
