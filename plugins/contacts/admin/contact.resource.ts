import path from 'node:path';
import { flat, ValidationError as AdminValidationError, type ActionContext, type ActionRequest, type ActionResponse } from 'adminjs';
import type { Database } from '../../../server/db.js';
import { AppError, ConflictError, ValidationError } from '../../../server/errors.js';
import type { AdminContribution } from '../../../server/plugin.js';
import { prismaResource } from '../../../admin/dmmf.js';
import { componentLoader } from '../../../admin/components.js';
import { contactShape } from '../people/contact.schemas.js';
import type { ContactsServices } from '../index.js';
import { CONTACTS_ACCESS, contactsAdminWrites } from './admin-access.js';

const CRM = { name: 'CRM', icon: 'Users' };

const componentDir = path.join(import.meta.dirname, 'components');
const Components = {
  ContactsPage: componentLoader.add('ContactsPage', path.join(componentDir, 'ContactsPage')),
  ContactShow: componentLoader.add('ContactShow', path.join(componentDir, 'ContactShow')),
  CompanyShow: componentLoader.add('CompanyShow', path.join(componentDir, 'CompanyShow')),
  ImportWizard: componentLoader.add('ImportWizard', path.join(componentDir, 'ImportWizard')),
  ImportsPage: componentLoader.add('ImportsPage', path.join(componentDir, 'ImportsPage')),
};
const hidden = { isVisible: false };
const readOnlyList = { isVisible: { list: true, filter: true, show: true, edit: false } };
const shownOnly = { isVisible: { list: false, filter: false, show: true, edit: false } };

/** AdminJS form values (flattened strings, '' for blank, relations by name) → service input. */
function toInput(payload: Record<string, unknown> | undefined, blank: null | undefined): Record<string, unknown> {
  const values = flat.unflatten(payload ?? {}) as Record<string, unknown>;
  const input: Record<string, unknown> = {};
  for (const field of Object.keys(contactShape)) {
    const source = field === 'companyId' ? 'company' : field === 'ownerId' ? 'owner' : field;
    if (!(source in values) || field === 'tags') continue;
    const value = values[source];
    if (value === '' || value === null) input[field] = blank;
    else if (field === 'companyId' || field === 'ownerId') input[field] = Number(value);
    else input[field] = value;
  }
  if (values.customFields && typeof values.customFields === 'object') input.customFields = values.customFields;
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

/** Service errors shown on the form: field messages, and the duplicate prompt with a link. */
function toAdminError(err: unknown): never {
  if (err instanceof ValidationError) {
    const errors = Object.fromEntries(
      (err.issues ?? [{ path: 'email', message: err.message }]).map((i) => [
        i.path.replace(/^companyId$/, 'company').replace(/^ownerId$/, 'owner'),
        { message: i.message },
      ]),
    );
    throw new AdminValidationError(errors, { message: err.message });
  }
  if (err instanceof ConflictError && err.details?.existingId) {
    throw new AdminValidationError(
      { email: { message: `Already in the CRM: open contact #${err.details.existingId} to update it instead` } },
      { message: `${err.message}. Open ${err.details.adminUrl} to update it instead.` },
    );
  }
  if (err instanceof AppError) throw new AdminValidationError({}, { message: err.message });
  throw err;
}

function contactActions(s: ContactsServices) {
  const save =
    (mode: 'new' | 'edit') =>
    async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
      const { resource, currentAdmin, h } = context;
      if (request.method !== 'post') {
        return { record: (context.record ?? resource.build({})).toJSON(currentAdmin) };
      }
      let id: number;
      let lookalikes: { id: number; email: string; score: number }[] = [];
      try {
        const saved =
          mode === 'new'
            ? await s.contacts.create(toInput(request.payload, undefined) as never, { source: 'admin' })
            : await s.contacts.update(Number(context.record!.id()), toInput(request.payload, null) as never);
        id = saved.id;
        lookalikes = (saved.possibleDuplicates as typeof lookalikes | undefined) ?? [];
      } catch (err) {
        toAdminError(err);
      }
      const record = await resource.findOne(String(id));
      return {
        record: record!.toJSON(currentAdmin),
        redirectUrl: h.recordActionUrl({ resourceId: resource.id(), recordId: String(id), actionName: 'show' }),
        notice: lookalikes.length
          ? {
              message: `Contact created. It may be the same person as ${lookalikes.map((l) => `#${l.id} ${l.email} (${Math.round(l.score * 100)}%)`).join(', ')}: see Deduplication.`,
              type: 'info',
            }
          : { message: mode === 'new' ? 'Contact created' : 'Contact saved', type: 'success' },
      };
    };
  return {
    // One contacts list, whatever the way in: the resource's own list is the contacts page.
    list: { component: Components.ContactsPage, hideActionHeader: true },
    new: { handler: save('new') },
    edit: { handler: save('edit') },
    // The page draws its own header: the contact's name as its title, with Edit and Delete.
    show: { component: Components.ContactShow, hideActionHeader: true, custom: { panels: s.extensions.panels } },
  };
}

export function contactAdmin(prisma: Database, s: ContactsServices): AdminContribution {
  const writes = contactsAdminWrites(s);
  return {
    access: CONTACTS_ACCESS,
    resources: [
      {
        resource: prismaResource(prisma, 'Contact'),
        options: {
          // Its records' pages and forms stay; the list in the navigation is the contacts page.
          navigation: false,
          listProperties: ['email', 'firstName', 'lastName', 'company', 'jobTitle', 'type', 'lifecycleStage', 'status', 'owner', 'lastActivityAt'],
          filterProperties: [
            'email',
            'firstName',
            'lastName',
            'company',
            'type',
            'status',
            'lifecycleStage',
            'owner',
            'leadSource',
            'city',
            'country',
            'createdAt',
            'lastActivityAt',
          ],
          sort: { sortBy: 'lastName', direction: 'asc' },
          properties: {
            searchText: hidden,
            sortName: hidden,
            notes: { type: 'textarea' },
            lastActivityAt: readOnlyList,
            lastContactedAt: readOnlyList,
            createdAt: readOnlyList,
            updatedAt: shownOnly,
            importId: shownOnly,
            importRowNumber: shownOnly,
          },
          actions: contactActions(s),
        },
      },
      {
        resource: prismaResource(prisma, 'Company'),
        options: {
          navigation: CRM,
          listProperties: ['name', 'domain', 'industry', 'size', 'city', 'country', 'owner'],
          properties: { createdAt: readOnlyList, updatedAt: hidden },
          actions: { ...writes.Company, show: { component: Components.CompanyShow, hideActionHeader: true } },
        },
      },
      {
        resource: prismaResource(prisma, 'Deal'),
        options: {
          navigation: CRM,
          listProperties: ['title', 'contact', 'company', 'stage', 'status', 'valueCents', 'currency', 'expectedCloseDate'],
          actions: writes.Deal,
        },
      },
      {
        resource: prismaResource(prisma, 'Activity'),
        options: {
          navigation: CRM,
          sort: { sortBy: 'occurredAt', direction: 'desc' },
          listProperties: ['occurredAt', 'type', 'contact', 'subject', 'user'],
          properties: { body: { type: 'textarea' } },
        },
      },
      { resource: prismaResource(prisma, 'Note'), options: { navigation: CRM, properties: { body: { type: 'textarea' } }, actions: writes.Note } },
      {
        resource: prismaResource(prisma, 'Task'),
        options: { navigation: CRM, listProperties: ['title', 'contact', 'assignee', 'dueAt', 'done'], actions: writes.Task },
      },
      {
        resource: prismaResource(prisma, 'Lead'),
        options: { navigation: CRM, listProperties: ['email', 'name', 'company', 'source', 'status', 'contact', 'createdAt'], actions: writes.Lead },
      },
      { resource: prismaResource(prisma, 'Tag'), options: { navigation: { name: 'CRM settings', icon: 'Settings' } } },
      {
        resource: prismaResource(prisma, 'SavedView'),
        options: {
          navigation: { name: 'CRM settings', icon: 'Settings' },
          actions: {
            ...writes.SavedView,
            open: {
              actionType: 'record',
              icon: 'Filter',
              component: false,
              handler: async (_request: ActionRequest, _response: unknown, context: ActionContext) => {
                const query = await s.views.query(Number(context.record!.id()));
                const params = new URLSearchParams({ ...query, view: String(context.record!.id()) });
                return {
                  record: context.record!.toJSON(context.currentAdmin),
                  redirectUrl: `${context.h.pageUrl('contacts')}?${params}`,
                };
              },
            },
          },
        },
      },
      {
        resource: prismaResource(prisma, 'CustomFieldDefinition'),
        options: { navigation: { name: 'CRM settings', icon: 'Settings' }, actions: writes.CustomFieldDefinition },
      },
      {
        resource: prismaResource(prisma, 'ContactImport'),
        options: {
          // The Imports page lists them (with the error report and revert); the raw table stays reachable by URL.
          navigation: false,
          listProperties: ['id', 'fileName', 'status', 'totalRows', 'processed', 'created', 'updated', 'flagged', 'failed', 'createdAt'],
          properties: { headers: hidden, mapping: hidden, runnerId: hidden, heartbeatAt: hidden },
        },
      },
    ],
    pages: {
      contacts: { component: Components.ContactsPage, icon: 'Users' },
      contactImport: { component: Components.ImportWizard, icon: 'Upload' },
      imports: { component: Components.ImportsPage, icon: 'List' },
    },
    dashboard: [
      {
        name: 'contacts',
        title: 'Contacts',
        load: async () => {
          const since = new Date(Date.now() - 7 * 86_400_000);
          const [total, recent, customers] = await Promise.all([
            prisma.contact.count(),
            prisma.contact.count({ where: { createdAt: { gte: since } } }),
            prisma.contact.count({ where: { type: 'CUSTOMER' } }),
          ]);
          return { value: total, caption: `${recent} new this week`, items: [{ label: 'customers', value: customers }] };
        },
      },
      {
        name: 'deals',
        title: 'Open deals',
        load: async () => {
          const open = await prisma.deal.aggregate({ where: { status: 'OPEN' }, _count: true, _sum: { valueCents: true } });
          return { value: open._count, caption: `worth ${((open._sum.valueCents ?? 0) / 100).toLocaleString('en')} in total` };
        },
      },
    ],
  };
}
