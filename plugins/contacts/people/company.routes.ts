import { z } from 'zod';
import { defineRoute, idParams, type ApiRoute } from '../../../server/http/route.js';
import { contactCreateInput } from './contact.schemas.js';
import type { ContactService } from './contact.service.js';
import type { ContactListService } from '../list/list.service.js';
import { companyInput, type CompanyService } from './company.service.js';

export function companyRoutes(companies: CompanyService, contacts: ContactService, list: ContactListService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/companies',
      summary: 'List companies',
      tags: ['companies'],
      query: z.strictObject({
        q: z.string().trim().max(200).optional(),
        page: z.coerce.number().int().min(1).default(1),
        pageSize: z.coerce.number().int().min(1).max(500).default(50),
      }),
      handler: ({ query }) => companies.list(query),
    }),
    defineRoute({
      method: 'post',
      path: '/companies',
      summary: 'Create a company',
      tags: ['companies'],
      body: companyInput,
      status: 201,
      handler: ({ body }) => companies.create(body),
    }),
    defineRoute({
      method: 'get',
      path: '/companies/:id',
      summary: 'Get a company',
      tags: ['companies'],
      params: idParams,
      handler: ({ params }) => companies.get(params.id),
    }),
    defineRoute({
      method: 'patch',
      path: '/companies/:id',
      summary: 'Change a company',
      tags: ['companies'],
      params: idParams,
      body: companyInput.partial(),
      handler: ({ params, body }) => companies.update(params.id, body),
    }),
    defineRoute({
      method: 'delete',
      path: '/companies/:id',
      summary: 'Delete a company (its contacts are unlinked, not deleted)',
      tags: ['companies'],
      role: 'MANAGER',
      params: idParams,
      handler: async ({ params }) => {
        await companies.remove(params.id);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/companies/:id/contacts',
      summary: "The company's contacts",
      tags: ['companies'],
      params: idParams,
      handler: async ({ params, req }) => {
        await companies.get(params.id);
        return list.list(list.parseListQuery({ ...(req.query as Record<string, unknown>), companyId: String(params.id) }));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/companies/:id/contacts',
      summary: 'Add a contact to the company (company prefilled)',
      tags: ['companies'],
      params: idParams,
      body: contactCreateInput.omit({ companyId: true }),
      status: 201,
      handler: async ({ params, body }) => {
        await companies.get(params.id);
        return contacts.create({ ...(body as object), companyId: params.id } as never);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/companies/:id/contacts/:contactId',
      summary: 'Link an existing contact to the company',
      tags: ['companies'],
      params: z.object({ id: z.coerce.number().int().positive(), contactId: z.coerce.number().int().positive() }),
      handler: async ({ params }) => {
        await companies.get(params.id);
        return contacts.linkCompany(params.contactId, params.id);
      },
    }),
  ];
}
