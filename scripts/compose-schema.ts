import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeSchemas, composeTestSchemas, fixtureSql, SCHEMA_FILES, TEST_SCHEMA_FILES, TEST_SQL_FILES } from './schema-composer.js';

// Production: prisma/schema.prisma (+ PostgreSQL twin) from base + plugins/*.
// Tests: the same plus test/fixtures/*, and the SQL that adds the fixtures' tables after the migrations.
const production = composeSchemas();
const test = composeTestSchemas();
const sql = fixtureSql(production, test);
const outputs: [Record<string, string>, Record<string, string>][] = [
  [SCHEMA_FILES, production],
  [TEST_SCHEMA_FILES, test],
  [TEST_SQL_FILES, sql],
];
for (const [files, texts] of outputs) {
  for (const [kind, file] of Object.entries(files)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, texts[kind]!);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
}
console.log('Run `npm run migration:new -- <name>` if the production models changed, then `node scripts/generate.mjs`.');
