import { z } from 'zod';
import { ForbiddenError } from '../../../server/errors.js';
import { hasRole } from '../../../server/auth/roles.js';
import { defineRoute, idParams, type ApiRoute } from '../../../server/http/route.js';
import { activityInput, TIMELINE_FILTERS, type ActivityService, type TimelineFilter } from '../timeline/activity.service.js';
import { contactCreateInput, contactUpdateInput, LIFECYCLE_STAGES } from './contact.schemas.js';
import { bulkInput, bulkMatchingInput, type ContactService } from './contact.service.js';
import type { ContactListService } from '../list/list.service.js';
import type { ExportService } from '../export/export.service.js';
import { conversionInput, type LifecycleService } from './lifecycle.service.js';
import { noteInput, type NoteService } from '../timeline/note.service.js';
import { taskInput, type TaskService } from '../timeline/task.service.js';

export interface ContactRouteServices {
  contacts: ContactService;
  list: ContactListService;
  activities: ActivityService;
  lifecycle: LifecycleService;
  notes: NoteService;
  tasks: TaskService;
  exporter: ExportService;
}

export function contactRoutes(s: ContactRouteServices): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/contacts',
      summary: 'List contacts: search, presets, filters (including cf.<key> and plugin filters), sort, pages of 50',
      tags: ['contacts'],
      handler: ({ req }) => s.list.list(s.list.parseListQuery(req.query as Record<string, unknown>)),
    }),
    defineRoute({
      method: 'get',
      path: '/contacts/list-fields',
      summary: 'The list filters, sort keys and columns that other plugins add, with their labels',
      tags: ['contacts'],
      handler: () => s.list.contributedListFields(),
    }),
    defineRoute({
      method: 'get',
      path: '/contacts/list-choices',
      summary: 'The values the base list filters take (lifecycle, status, type, quality, preset)',
      tags: ['contacts'],
      handler: () => s.list.filterChoices(),
    }),
    defineRoute({
      method: 'get',
      path: '/contacts/timeline-types',
      summary: 'The timeline activity types with their labels, those other plugins describe included',
      tags: ['contacts'],
      handler: () => s.activities.timelineTypes(),
    }),
    defineRoute({
      method: 'get',
      path: '/contacts/export',
      summary: 'Export the filtered contact list as CSV (same filters as the list)',
      tags: ['contacts'],
      raw: true,
      handler: async ({ req, res }) => {
        const where = await s.list.where(s.list.parseListQuery(req.query as Record<string, unknown>));
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        res.setHeader('Content-Disposition', `attachment; filename="contacts-${new Date().toISOString().slice(0, 10)}.csv"`);
        await s.exporter.write(where, res);
        res.end();
      },
    }),
    defineRoute({
      method: 'post',
      path: '/contacts',
      summary: 'Create a contact (409 with the existing id when the email is taken)',
      tags: ['contacts'],
      body: contactCreateInput,
      status: 201,
      handler: ({ body }) => s.contacts.create(body as never, { source: 'api' }),
    }),
    defineRoute({
      method: 'post',
      path: '/contacts/bulk',
      summary: 'Change status, add or remove tags, assign owner or delete (confirm: true) for many contacts at once',
      tags: ['contacts'],
      body: bulkInput,
      handler: ({ body, actor }) => {
        if (body.action === 'delete' && !hasRole(actor.role, 'MANAGER')) throw new ForbiddenError('Deleting contacts needs the MANAGER role or higher');
        return s.contacts.bulk(body);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/contacts/bulk-matching',
      summary: 'The same changes as /contacts/bulk for every contact the list query (search and filters) matches',
      tags: ['contacts'],
      body: bulkMatchingInput,
      handler: async ({ body, actor }) => {
        if (body.action === 'delete' && !hasRole(actor.role, 'MANAGER')) throw new ForbiddenError('Deleting contacts needs the MANAGER role or higher');
        const { query, ...change } = body;
        return s.contacts.change(await s.list.matchingIds(s.list.parseListQuery(query)), change);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/contacts/:id',
      summary: 'Get a contact',
      tags: ['contacts'],
      params: idParams,
      handler: async ({ params }) => {
        const contact = await s.contacts.get(params.id);
        await s.list.addColumns([contact]);
        return contact;
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/contacts/:id',
      summary: 'Change a contact',
      tags: ['contacts'],
      params: idParams,
      body: contactUpdateInput,
      handler: ({ params, body }) => s.contacts.update(params.id, body as never),
    }),
    defineRoute({
      method: 'delete',
      path: '/contacts/:id',
      summary: 'Delete a contact',
      tags: ['contacts'],
      role: 'MANAGER',
      params: idParams,
      handler: async ({ params }) => {
        await s.contacts.remove(params.id);
      },
    }),
    defineRoute({
      method: 'put',
      path: '/contacts/:id/company',
      summary: 'Link the contact to a company, or unlink it with null (the contact stays)',
      tags: ['contacts'],
      params: idParams,
      body: z.strictObject({ companyId: z.number().int().positive().nullable() }),
      handler: ({ params, body }) => s.contacts.linkCompany(params.id, body.companyId),
    }),
    defineRoute({
      method: 'post',
      path: '/contacts/:id/lifecycle',
      summary: 'Move the contact to a lifecycle stage (logged on the timeline)',
      tags: ['contacts'],
      params: idParams,
      body: z.strictObject({ stage: z.enum(LIFECYCLE_STAGES) }),
      handler: ({ params, body, actor }) => s.lifecycle.setStage(params.id, body.stage, actor.userId),
    }),
    defineRoute({
      method: 'post',
      path: '/contacts/:id/convert',
      summary: 'Convert a lead to a customer or prospect, optionally with a new deal',
      tags: ['contacts'],
      params: idParams,
      body: conversionInput,
      handler: ({ params, body, actor }) => s.lifecycle.convert(params.id, body, actor.userId),
    }),
    defineRoute({
      method: 'get',
      path: '/contacts/:id/activities',
      summary: 'The timeline, newest first; filter by tab and page with `before`',
      tags: ['timeline'],
      params: idParams,
      query: z.strictObject({
        filter: z
          .string()
          .toUpperCase()
          .pipe(z.enum(Object.keys(TIMELINE_FILTERS) as [TimelineFilter, ...TimelineFilter[]]))
          .optional(),
        before: z.coerce.date().optional(),
        limit: z.coerce.number().int().min(1).max(200).optional(),
      }),
      handler: ({ params, query }) => s.activities.timeline(params.id, query),
    }),
    defineRoute({
      method: 'post',
      path: '/contacts/:id/activities',
      summary: 'Log an activity (updates last activity and emits activity.logged)',
      tags: ['timeline'],
      params: idParams,
      body: activityInput,
      status: 201,
      handler: ({ params, body, actor }) => s.activities.log(params.id, body, actor.userId),
    }),
    defineRoute({
      method: 'get',
      path: '/contacts/:id/history',
      summary: 'Customer history: first contact, first meeting, first deal, became customer, last activity',
      tags: ['timeline'],
      params: idParams,
      handler: ({ params }) => s.activities.history(params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/contacts/:id/notes',
      summary: "A contact's notes",
      tags: ['notes'],
      params: idParams,
      handler: ({ params }) => s.notes.list(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/contacts/:id/notes',
      summary: 'Add a note (also on the timeline)',
      tags: ['notes'],
      params: idParams,
      body: noteInput,
      status: 201,
      handler: ({ params, body, actor }) => s.notes.create(params.id, body, actor.userId),
    }),
    defineRoute({
      method: 'delete',
      path: '/notes/:id',
      summary: 'Delete a note',
      tags: ['notes'],
      params: idParams,
      handler: async ({ params }) => {
        await s.notes.remove(params.id);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/contacts/:id/tasks',
      summary: "A contact's tasks",
      tags: ['tasks'],
      params: idParams,
      handler: ({ params }) => s.tasks.list({ contactId: params.id }),
    }),
    defineRoute({
      method: 'post',
      path: '/contacts/:id/tasks',
      summary: 'Add a task for a contact',
      tags: ['tasks'],
      params: idParams,
      body: taskInput,
      status: 201,
      handler: ({ params, body }) => s.tasks.create(params.id, body),
    }),
    defineRoute({
      method: 'get',
      path: '/tasks',
      summary: 'Tasks by assignee and state',
      tags: ['tasks'],
      query: z.strictObject({
        assigneeId: z.coerce.number().int().positive().optional(),
        done: z
          .enum(['true', 'false'])
          .transform((v) => v === 'true')
          .optional(),
      }),
      handler: ({ query }) => s.tasks.list(query),
    }),
    defineRoute({
      method: 'patch',
      path: '/tasks/:id',
      summary: 'Change a task (done: true completes it)',
      tags: ['tasks'],
      params: idParams,
      body: taskInput.partial(),
      handler: ({ params, body }) => s.tasks.update(params.id, body),
    }),
    defineRoute({
      method: 'delete',
      path: '/tasks/:id',
      summary: 'Delete a task',
      tags: ['tasks'],
      params: idParams,
      handler: async ({ params }) => {
        await s.tasks.remove(params.id);
      },
    }),
  ];
}
