import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../server/db.js';

interface DmmfModel {
  name: string;
  fields: { name: string; kind: string; isId: boolean }[];
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
