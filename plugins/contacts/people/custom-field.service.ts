import { z } from 'zod';
import type { CustomFieldDefinition, CustomFieldType } from '@prisma/client';
import type { Database } from '../../../server/db.js';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../../../server/errors.js';

export const CUSTOM_FIELD_TYPES = ['TEXT', 'NUMBER', 'DATE', 'BOOLEAN', 'SELECT', 'MULTISELECT', 'URL'] as const;

export const customFieldInput = z
  .strictObject({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be lower_snake_case, starting with a letter'),
    label: z.string().trim().min(1).max(100),
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: z.array(z.string().trim().min(1).max(100)).max(200).optional(),
    required: z.boolean().optional(),
  })
  .refine((d) => !['SELECT', 'MULTISELECT'].includes(d.type) || (d.options?.length ?? 0) > 0, {
    message: 'SELECT and MULTISELECT fields need options',
    path: ['options'],
  });

type Definition = Pick<CustomFieldDefinition, 'key' | 'label' | 'type' | 'options' | 'required'>;

function optionsOf(def: Definition): string[] {
  return Array.isArray(def.options) ? (def.options as string[]) : [];
}

/** Coerces one value to its definition's type; CSV cells arrive as strings. */
function coerce(def: Definition, value: unknown): { value?: unknown; error?: string } {
  if (value === null || value === undefined || value === '') return { value: null };
  const type = def.type as CustomFieldType;
  switch (type) {
    case 'TEXT':
      return typeof value === 'string' && value.length <= 2000 ? { value } : { error: 'must be text up to 2000 characters' };
    case 'NUMBER': {
      const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.replace(/,/g, '')) : NaN;
      return Number.isFinite(n) ? { value: n } : { error: 'must be a number' };
    }
    case 'DATE': {
      const d = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : null;
      return d && !Number.isNaN(d.getTime()) ? { value: String(value).slice(0, 10) } : { error: 'must be a date (YYYY-MM-DD)' };
    }
    case 'BOOLEAN': {
      if (typeof value === 'boolean') return { value };
      const s = String(value).trim().toLowerCase();
      if (['true', 'yes', '1', 'y'].includes(s)) return { value: true };
      if (['false', 'no', '0', 'n'].includes(s)) return { value: false };
      return { error: 'must be true or false' };
    }
    case 'SELECT':
      return typeof value === 'string' && optionsOf(def).includes(value) ? { value } : { error: `must be one of ${optionsOf(def).join(', ')}` };
    case 'MULTISELECT': {
      const list = Array.isArray(value)
        ? value
        : typeof value === 'string'
          ? value
              .split(/[;,]/)
              .map((s) => s.trim())
              .filter(Boolean)
          : null;
      const bad = list?.filter((v) => typeof v !== 'string' || !optionsOf(def).includes(v));
      return list && bad!.length === 0 ? { value: list } : { error: `must be a list of ${optionsOf(def).join(', ')}` };
    }
    case 'URL': {
      try {
        const u = new URL(String(value));
        return ['http:', 'https:'].includes(u.protocol) ? { value: u.toString() } : { error: 'must be an http(s) URL' };
      } catch {
        return { error: 'must be an http(s) URL' };
      }
    }
  }
}

export class CustomFieldService {
  constructor(private readonly prisma: Database) {}

  list(): Promise<CustomFieldDefinition[]> {
    return this.prisma.customFieldDefinition.findMany({ orderBy: { key: 'asc' } });
  }

  async create(input: z.input<typeof customFieldInput>): Promise<CustomFieldDefinition> {
    const parsed = customFieldInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    if (await this.prisma.customFieldDefinition.findUnique({ where: { key: parsed.data.key } })) {
      throw new ConflictError(`Custom field ${parsed.data.key} already exists`);
    }
    return this.prisma.customFieldDefinition.create({ data: { ...parsed.data, options: parsed.data.options ?? undefined } });
  }

  async remove(key: string): Promise<void> {
    const { count } = await this.prisma.customFieldDefinition.deleteMany({ where: { key } });
    if (!count) throw new NotFoundError('Custom field', key);
  }

  /**
   * Checks values against the definitions: unknown keys, wrong types and (with `requireAll`)
   * missing required fields are errors that name `customFields.<key>`. Returns coerced values.
   */
  validate(
    definitions: Definition[],
    values: Record<string, unknown> | undefined,
    options: { requireAll: boolean; existing?: Record<string, unknown> | null },
  ): { values: Record<string, unknown>; issues: FieldIssue[] } {
    const byKey = new Map(definitions.map((d) => [d.key, d]));
    const merged: Record<string, unknown> = { ...(options.existing ?? {}) };
    const issues: FieldIssue[] = [];
    for (const [key, raw] of Object.entries(values ?? {})) {
      const def = byKey.get(key);
      if (!def) {
        issues.push({ path: `customFields.${key}`, message: 'is not a defined custom field' });
        continue;
      }
      const { value, error } = coerce(def, raw);
      if (error) issues.push({ path: `customFields.${key}`, message: error });
      else if (value === null) delete merged[key];
      else merged[key] = value;
    }
    if (options.requireAll || values) {
      for (const def of definitions) {
        if (def.required && (merged[def.key] === undefined || merged[def.key] === null)) {
          issues.push({ path: `customFields.${def.key}`, message: `${def.label} is required` });
        }
      }
    }
    return { values: merged, issues };
  }
}
