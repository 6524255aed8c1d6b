import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeSchemas, SCHEMA_FILES } from './schema-composer.js';

const schemas = composeSchemas();
for (const [kind, file] of Object.entries(SCHEMA_FILES)) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, schemas[kind as keyof typeof schemas]);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
console.log('Run `npm run migration:new -- <name>` if the models changed.');
