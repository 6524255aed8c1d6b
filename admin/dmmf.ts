import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../server/db.js';
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

/** The `resource` part of an AdminJS resource for a Prisma model. */
export function prismaResource(prisma: Database, modelName: string) {
  const dm = loadDatamodel();
  const model = dm.models.find((m) => m.name === modelName);
  if (!model) throw new Error(`Model ${modelName} is not in the generated datamodel: run npm run schema:compose and npm install`);
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
