import { z } from 'zod';
import type { Database } from '../../../server/db.js';
import { defineRoute, idParams, type ApiRoute } from '../../../server/http/route.js';
import type { ContactListService } from '../list/list.service.js';
import { customFieldInput, type CustomFieldService } from './custom-field.service.js';
import { savedViewInput, type SavedViewService } from '../list/saved-view.service.js';

/** Tags, saved views and custom field definitions: what the whole workspace shares. */
export function workspaceRoutes(prisma: Database, contactList: ContactListService, views: SavedViewService, customFields: CustomFieldService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/tags',
      summary: 'Tags with how many contacts carry each',
      tags: ['tags'],
      handler: async () =>
        (await prisma.tag.findMany({ orderBy: { name: 'asc' }, include: { _count: { select: { contacts: true } } } })).map((t) => ({
          id: t.id,
          name: t.name,
          color: t.color,
          contacts: t._count.contacts,
        })),
    }),
    defineRoute({ method: 'get', path: '/saved-views', summary: 'Saved views', tags: ['saved views'], handler: () => views.list() }),
    defineRoute({
      method: 'post',
      path: '/saved-views',
      summary: 'Save a named filter and sort for the workspace',
      tags: ['saved views'],
      body: savedViewInput,
      status: 201,
      handler: ({ body, actor }) => views.create(body, actor.userId),
    }),
    defineRoute({
      method: 'get',
      path: '/saved-views/:id/contacts',
      summary: 'Open a saved view: the contact list it stands for',
      tags: ['saved views'],
      params: idParams,
      handler: async ({ params }) => contactList.list(contactList.parseListQuery(await views.query(params.id))),
    }),
    defineRoute({
      method: 'delete',
      path: '/saved-views/:id',
      summary: 'Delete a saved view',
      tags: ['saved views'],
      params: idParams,
      handler: async ({ params }) => {
        await views.remove(params.id);
      },
    }),
    defineRoute({ method: 'get', path: '/custom-fields', summary: 'Custom field definitions', tags: ['custom fields'], handler: () => customFields.list() }),
    defineRoute({
      method: 'post',
      path: '/custom-fields',
      summary: 'Define a custom contact field',
      tags: ['custom fields'],
      role: 'MANAGER',
      body: customFieldInput,
      status: 201,
      handler: ({ body }) => customFields.create(body),
    }),
    defineRoute({
      method: 'delete',
      path: '/custom-fields/:key',
      summary: 'Remove a custom field definition',
      tags: ['custom fields'],
      role: 'MANAGER',
      params: z.object({ key: z.string().max(40) }),
      handler: async ({ params }) => {
        await customFields.remove(params.key);
      },
    }),
  ];
}
