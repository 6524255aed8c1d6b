import type { AccessRule, AccessTable } from '../../../admin/access.js';
import { serviceActions } from '../../../admin/service-writes.js';
import type { ContactsServices } from '../index.js';

const rows = (list: AccessRule, show: AccessRule, writes: Record<string, AccessRule>) => ({ list, search: list, show, ...writes });
const readOnly = { new: false, edit: false, delete: false, bulkDelete: false } as const;

/**
 * The contacts plugin's rows of the admin's access table: each admin action follows the API
 * route that does the same (its role), or is not offered when the API has no such route.
 */
export const CONTACTS_ACCESS: AccessTable = {
  Contact: rows('GET /contacts', 'GET /contacts/:id', {
    new: 'POST /contacts',
    edit: 'PATCH /contacts/:id',
    delete: 'DELETE /contacts/:id',
    bulkDelete: 'DELETE /contacts/:id',
  }),
  Company: rows('GET /companies', 'GET /companies/:id', {
    new: 'POST /companies',
    edit: 'PATCH /companies/:id',
    delete: 'DELETE /companies/:id',
    bulkDelete: 'DELETE /companies/:id',
  }),
  Deal: rows('GET /deals', 'GET /deals/:id', { new: 'POST /deals', edit: 'PATCH /deals/:id', delete: 'DELETE /deals/:id', bulkDelete: 'DELETE /deals/:id' }),
  Activity: rows('GET /contacts/:id/activities', 'GET /contacts/:id/activities', readOnly),
  Note: rows('GET /contacts/:id/notes', 'GET /contacts/:id/notes', {
    new: 'POST /contacts/:id/notes',
    edit: false,
    delete: 'DELETE /notes/:id',
    bulkDelete: 'DELETE /notes/:id',
  }),
  Task: rows('GET /tasks', 'GET /tasks', {
    new: 'POST /contacts/:id/tasks',
    edit: 'PATCH /tasks/:id',
    delete: 'DELETE /tasks/:id',
    bulkDelete: 'DELETE /tasks/:id',
  }),
  Lead: rows('GET /leads', 'GET /leads', { new: 'POST /leads', edit: false, delete: false, bulkDelete: false }),
  Tag: rows('GET /tags', 'GET /tags', readOnly),
  SavedView: rows('GET /saved-views', 'GET /saved-views', {
    new: 'POST /saved-views',
    edit: false,
    delete: 'DELETE /saved-views/:id',
    bulkDelete: 'DELETE /saved-views/:id',
    open: 'GET /saved-views/:id/contacts',
  }),
  CustomFieldDefinition: rows('GET /custom-fields', 'GET /custom-fields', {
    new: 'POST /custom-fields',
    edit: false,
    delete: 'DELETE /custom-fields/:key',
    bulkDelete: 'DELETE /custom-fields/:key',
  }),
  ContactImport: rows('GET /imports/:id', 'GET /imports/:id', readOnly),
};

const owner = { kind: 'int', to: 'ownerId' } as const;
const contact = { kind: 'int', to: 'contactId' } as const;

/** The admin's `new` / `edit` of CRM records, through the same services and schemas as the API. */
export function contactsAdminWrites(s: ContactsServices) {
  return {
    Company: serviceActions({
      noun: 'Company',
      fields: {
        name: 'text',
        domain: 'text',
        industry: 'text',
        size: 'text',
        website: 'text',
        phone: 'text',
        street: 'text',
        city: 'text',
        region: 'text',
        postalCode: 'text',
        country: 'text',
        owner,
      },
      create: (input) => s.companies.create(input as never),
      update: (id, input) => s.companies.update(Number(id), input),
    }),
    Deal: serviceActions({
      noun: 'Deal',
      fields: {
        title: 'text',
        contact,
        company: { kind: 'int', to: 'companyId' },
        stage: 'text',
        valueCents: { kind: 'cents', to: 'value' },
        currency: 'text',
        expectedCloseDate: 'date',
        status: 'text',
        owner,
      },
      create: async (input, actor) => (await s.deals.create(input as never, actor.userId)).deal,
      update: (id, input, actor) => s.deals.update(Number(id), input, actor.userId),
    }),
    Note: serviceActions({
      noun: 'Note',
      fields: { contact, body: 'text' },
      requiredOnCreate: ['contactId'],
      create: ({ contactId, ...input }, actor) => s.notes.create(Number(contactId), input as never, actor.userId),
    }),
    Task: serviceActions({
      noun: 'Task',
      fields: { contact, title: 'text', dueAt: 'date', assignee: { kind: 'int', to: 'assigneeId' }, done: 'bool' },
      requiredOnCreate: ['contactId'],
      create: ({ contactId, ...input }) => s.tasks.create(Number(contactId), input as never),
      update: async (id, { contactId: _fixed, ...input }) => s.tasks.update(Number(id), input),
    }),
    Lead: serviceActions({
      noun: 'Lead',
      fields: { name: 'text', email: 'text', company: 'text', phone: 'text', source: 'text' },
      create: async (input) => s.leads.create(input as never) as Promise<{ id: number }>,
    }),
    SavedView: serviceActions({
      noun: 'Saved view',
      fields: { name: 'text', filters: 'text', sort: 'text' },
      create: (input, actor) => s.views.create(input as never, actor.userId),
    }),
    CustomFieldDefinition: serviceActions({
      noun: 'Custom field',
      fields: { key: 'text', label: 'text', type: 'text', options: 'text', required: 'bool' },
      create: (input) => s.customFields.create(input as never),
    }),
  };
}
