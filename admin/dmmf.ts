import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../server/db.js';
import { SECRET_FIELDS } from '../server/auth/secret-fields.js';
import { words } from './labels.js';

interface DmmfModel {
  name: string;
  fields: { name: string; kind: string; type: string; isId: boolean }[];
}
interface Datamodel {
  models: DmmfModel[];
  enums: { name: string; values: { name: string }[] }[];
}

let datamodel: Datamodel | undefined;

/**
 * The full datamodel written at `prisma generate` by scripts/dmmf-generator.mjs. The client engine's
 * runtime DMMF lacks ids, required flags and relations, which AdminJS needs.
 */
export function loadDatamodel(): Datamodel {
  datamodel ??= JSON.parse(readFileSync(path.join(import.meta.dirname, 'generated', 'dmmf.json'), 'utf8')) as Datamodel;
  return datamodel;
}

/**
 * The `resource` part of an AdminJS resource for a Prisma model. AdminJS reads, returns and writes
 * only the fields of the model it is given: secret fields are never among them, and `fields`
 * narrows a model to an explicit allow-list (the user model).
 */
export function prismaResource(prisma: Database, modelName: string, options: { fields?: readonly string[] } = {}) {
  const dm = loadDatamodel();
  const full = dm.models.find((m) => m.name === modelName);
  if (!full) throw new Error(`Model ${modelName} is not in the generated datamodel: run npm run schema:compose and npm install`);
  const unknown = options.fields?.filter((name) => !full.fields.some((f) => f.name === name)) ?? [];
  if (unknown.length) throw new Error(`Model ${modelName} has no field ${unknown.join(', ')}`);
  const fields = full.fields.filter((f) => !SECRET_FIELDS.has(f.name) && (!options.fields || options.fields.includes(f.name)));
  const model = { ...full, fields };
  return { model, client: prisma, clientModule: { Prisma: { dmmf: { datamodel: dm } } } };
}

/** Word labels for every enum property a resource's options do not label themselves. */
export function withEnumLabels<T extends { resource: unknown; options?: { properties?: Record<string, Record<string, unknown>> } }>(entry: T): T {
  const model = (entry.resource as { model?: DmmfModel }).model;
  if (!model) return entry;
  const enums = new Map(loadDatamodel().enums.map((e) => [e.name, e.values.map((v) => v.name)]));
  const properties = { ...(entry.options?.properties ?? {}) };
  for (const field of model.fields) {
    if (field.kind !== 'enum' || properties[field.name]?.availableValues) continue;
    const values = enums.get(field.type) ?? [];
    properties[field.name] = { ...properties[field.name], availableValues: values.map((value) => ({ value, label: words(value) })) };
  }
  return { ...entry, options: { ...entry.options, properties } };
}

/** Fields the database or the services keep: ids, `@default(now())` / `@updatedAt` timestamps. */
export function systemFieldsOf(model: { fields: (DmmfModel['fields'][number] & { isUpdatedAt?: boolean; default?: { name?: string } })[] }): string[] {
  return model.fields
    .filter((f) => f.kind === 'scalar' && (f.isId || f.isUpdatedAt || ['now', 'autoincrement', 'uuid', 'cuid'].includes(f.default?.name ?? '')))
    .map((f) => f.name);
}

type ActionHook = (request: { payload?: Record<string, unknown> }, context: unknown) => unknown;

/**
 * System fields are shown but never edited in the admin, and a form that sends them anyway
 * (AdminJS posts every param it shows) has them removed before any `new` or `edit` handler runs.
 */
export function withReadOnlySystemFields<
  T extends { resource: unknown; options?: { properties?: Record<string, Record<string, unknown>>; actions?: Record<string, Record<string, unknown>> } },
>(entry: T): T {
  const model = (entry.resource as { model?: DmmfModel }).model;
  if (!model) return entry;
  const system = systemFieldsOf(model as never);
  const properties = { ...(entry.options?.properties ?? {}) };
  for (const name of system) {
    const visible = properties[name]?.isVisible;
    if (visible === false) continue;
    const base = typeof visible === 'object' && visible ? visible : { list: true, filter: true, show: true };
    properties[name] = { ...properties[name], isVisible: { ...base, edit: false } };
  }
  const strip =
    (before: unknown): ActionHook =>
    async (request, context) => {
      const payload = { ...(request.payload ?? {}) };
      for (const key of Object.keys(payload)) if (system.includes(key.split('.')[0]!)) delete payload[key];
      const next = { ...request, payload };
      return typeof before === 'function' ? (before as ActionHook)(next, context) : next;
    };
  const actions = { ...(entry.options?.actions ?? {}) };
  for (const name of ['new', 'edit']) actions[name] = { ...actions[name], before: strip(actions[name]?.before) };
  return { ...entry, options: { ...entry.options, properties, actions } };
}
