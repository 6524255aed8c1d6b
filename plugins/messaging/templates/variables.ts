import type { Variables } from './render.js';

/** What rendering needs of a contact (read in one query per batch). */
export interface ContactForMessage {
  id: number;
  email: string;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  mobile: string | null;
  jobTitle: string | null;
  customFields: unknown;
  company: { name: string } | null;
  owner: { name: string; email: string } | null;
}

export const contactForMessageSelect = {
  id: true,
  email: true,
  firstName: true,
  lastName: true,
  phone: true,
  mobile: true,
  jobTitle: true,
  customFields: true,
  company: { select: { name: true } },
  owner: { select: { name: true, email: true } },
} as const;

/** The variables a template may use, documented in docs/messaging.md. */
export const BUILT_IN_VARIABLES = [
  'name',
  'firstName',
  'lastName',
  'email',
  'phone',
  'jobTitle',
  'company',
  'owner.name',
  'owner.email',
  'unsubscribeUrl',
] as const;

/** A contact's variables: the built-in ones, and each custom field as `{{custom.<key>}}` and (unless it clashes) `{{<key>}}`. */
export function variablesFor(contact: ContactForMessage, extra: { unsubscribeUrl?: string } = {}): Variables {
  const name = [contact.firstName, contact.lastName].filter((p) => p && p.trim()).join(' ');
  const variables: Variables = {
    name,
    firstName: contact.firstName,
    lastName: contact.lastName,
    email: contact.email,
    phone: contact.mobile ?? contact.phone,
    jobTitle: contact.jobTitle,
    company: contact.company?.name,
    'owner.name': contact.owner?.name,
    'owner.email': contact.owner?.email,
    unsubscribeUrl: extra.unsubscribeUrl,
  };
  const custom = contact.customFields && typeof contact.customFields === 'object' ? (contact.customFields as Record<string, unknown>) : {};
  for (const [key, value] of Object.entries(custom)) {
    if (value === null || value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    variables[`custom.${key}`] = text;
    if (!(key in variables)) variables[key] = text;
  }
  return variables;
}
