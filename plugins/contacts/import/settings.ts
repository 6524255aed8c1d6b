// An import's settings, chosen between upload and run: the column mapping, defaults for fields no
// column fills, and what a row whose email is already a contact does.
import { z } from 'zod';
import type { CustomFieldDefinition } from '@prisma/client';
import { ValidationError, type FieldIssue } from '../../../server/errors.js';
import { contactShape } from '../people/contact.schemas.js';
import { ENUM_FIELDS, enumWord, targets } from './map.js';

export const importSettingsInput = z.strictObject({
  /** Header text (or `#<column index>`) → target field, or null to leave the column out. */
  mapping: z.record(z.string(), z.string().nullable()).optional(),
  /** Values for fields no column fills, e.g. { "leadSource": "Trade fair 2026" }. */
  defaults: z.record(z.string(), z.string().max(1000)).optional(),
  onDuplicate: z.enum(['FLAG', 'SKIP', 'UPDATE']).optional(),
});

/** The import's mapping with the settings applied; every problem is reported at once, by path. */
export function applySettings(
  settings: z.output<typeof importSettingsInput>,
  file: { headers: string[]; mapping: (string | null)[] },
  definitions: CustomFieldDefinition[],
): (string | null)[] {
  const allowed = new Set(targets(definitions));
  const mapping = [...file.mapping];
  const issues: FieldIssue[] = [];
  for (const [key, field] of Object.entries(settings.mapping ?? {})) {
    const index = /^#\d+$/.test(key) ? Number(key.slice(1)) : file.headers.indexOf(key);
    if (index < 0 || index >= file.headers.length) issues.push({ path: `mapping.${key}`, message: 'is not a column of the file' });
    else if (field !== null && !allowed.has(field)) issues.push({ path: `mapping.${key}`, message: `unknown field ${field}` });
    else mapping[index] = field;
  }
  const seen = new Set<string>();
  mapping.forEach((field, index) => {
    if (!field) return;
    if (seen.has(field)) issues.push({ path: `mapping.#${index}`, message: `${field} is mapped twice` });
    seen.add(field);
  });
  for (const [field, value] of Object.entries(settings.defaults ?? {})) {
    if (!allowed.has(field) || field === 'email') issues.push({ path: `defaults.${field}`, message: 'is not a field that can have a default' });
    else if (field in contactShape) {
      const check = (contactShape as Record<string, z.ZodType>)[field]!.safeParse(ENUM_FIELDS.has(field) ? enumWord(value) : value);
      if (!check.success) issues.push({ path: `defaults.${field}`, message: check.error.issues[0]!.message });
    }
  }
  if (issues.length) throw new ValidationError(`Invalid import settings: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  return mapping;
}
