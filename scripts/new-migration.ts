import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeSchemas, diffSchemas, ROOT, SCHEMA_FILES, toPostgresql } from './schema-composer.js';

/**
 * Writes prisma/migrations/<timestamp>_<name>/ with the SQL that takes the schema of the last
 * migration to the current one, for SQLite and PostgreSQL, plus a snapshot of the schema.
 * (`prisma migrate dev` cannot run with the WebAssembly engine, so the diff is schema to schema.)
 * Migrations follow the production schema only: the test fixtures' tables come from test/fixtures/*.sql.
 */
const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]+/gi, '_').toLowerCase();
if (!name) {
  console.error('usage: npm run migration:new -- <name>');
  process.exit(2);
}
const current = readFileSync(SCHEMA_FILES.sqlite, 'utf8');
if (composeSchemas().sqlite !== current) {
  console.error('prisma/schema.prisma is stale: run `npm run schema:compose` first');
  process.exit(1);
}
const dir = path.join(ROOT, 'prisma', 'migrations');
mkdirSync(dir, { recursive: true });
const previous = readdirSync(dir)
  .filter((d) => existsSync(path.join(dir, d, 'schema.prisma')))
  .sort()
  .at(-1);

const before = previous ? readFileSync(path.join(dir, previous, 'schema.prisma'), 'utf8') : null;
const sqlite = diffSchemas(before, current);
if (!/CREATE|ALTER|DROP/i.test(sqlite)) {
  console.log('No schema change since the last migration.');
  process.exit(0);
}
const postgresql = diffSchemas(before === null ? null : toPostgresql(before), toPostgresql(current));
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const target = path.join(dir, `${stamp}_${name}`);
mkdirSync(target);
writeFileSync(path.join(target, 'migration.sql'), sqlite);
writeFileSync(path.join(target, 'postgresql.sql'), postgresql);
copyFileSync(SCHEMA_FILES.sqlite, path.join(target, 'schema.prisma'));
console.log(`wrote ${path.relative(ROOT, target)}`);
