// What a person reads about an import: the fields by their labels, and why a cell was left empty.
import type { CustomFieldDefinition } from '@prisma/client';
import { ENUM_VALUES, TEXT_MAX, TWITTER_HANDLE_MAX } from '../people/contact.schemas.js';

/** Import targets that are custom fields: `custom.<key>`. */
export const CUSTOM_PREFIX = 'custom.';

const LABELS: Record<string, string> = {
  email: 'Email',
  firstName: 'First name',
  lastName: 'Last name',
  phone: 'Phone',
  mobile: 'Mobile',
  jobTitle: 'Job title',
  department: 'Department',
  company: 'Company',
  type: 'Contact type',
  status: 'Status',
  lifecycleStage: 'Lifecycle stage',
  buyingRole: 'Buying role',
  intentLevel: 'Intent',
  leadSource: 'Lead source',
  owner: 'Owner (user email)',
  notes: 'Note',
  linkedinUrl: 'LinkedIn URL',
  twitterHandle: 'Twitter handle',
  street: 'Street',
  city: 'City',
  region: 'Region / state',
  postalCode: 'Postal code',
  country: 'Country',
  timezone: 'Time zone',
  tags: 'Tags',
};

/** The label of an import target ("First name", a custom field's own label). */
export function fieldLabel(field: string, definitions: Pick<CustomFieldDefinition, 'key' | 'label'>[] = []): string {
  if (field.startsWith(CUSTOM_PREFIX)) {
    const key = field.slice(CUSTOM_PREFIX.length);
    return definitions.find((d) => d.key === key)?.label ?? key;
  }
  return LABELS[field] ?? field;
}

/** Labels of every target, by field: what the mapping screen shows. */
export function fieldLabels(fields: string[], definitions: Pick<CustomFieldDefinition, 'key' | 'label'>[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f, fieldLabel(f, definitions)]));
}

/** A cell's value as a message quotes it. */
export function quoted(value: string): string {
  const text = value.trim();
  return `'${text.length > 60 ? `${text.slice(0, 57)}...` : text}'`;
}

/** Words for an enum value: DECISION_MAKER reads "Decision maker". */
const word = (value: string) => value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, ' ');

/** Why a contact field's value cannot be stored, as the row's warning says it. */
export function rejectedValue(field: string, value: string): string {
  const choices = ENUM_VALUES[field];
  const maxLength = field === 'twitterHandle' ? TWITTER_HANDLE_MAX : TEXT_MAX[field as keyof typeof TEXT_MAX];
  const why =
    field === 'country'
      ? `${quoted(value)} is not a country we know`
      : field === 'timezone'
        ? `${quoted(value)} is not a time zone we know (such as Europe/Berlin)`
        : field === 'linkedinUrl'
          ? `${quoted(value)} is not a web address (http:// or https://)`
          : choices
            ? `${quoted(value)} is not one of ${choices.map(word).join(', ')}`
            : maxLength !== undefined && value.length > maxLength
              ? `it is longer than ${maxLength} characters`
              : `${quoted(value)} cannot be stored`;
  return leftEmpty(fieldLabel(field), why);
}

/** A warning about a value the import leaves out. */
export const leftEmpty = (label: string, why: string) => `${label} left empty: ${why}`;

export const EMAIL_MISSING = 'Email is missing';
export const invalidEmail = (value: string) => `${quoted(value)} is not a valid email address`;
export const BLANK_ROW = 'Blank row';
