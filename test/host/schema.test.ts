import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Prisma } from '@prisma/client';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { composeSchemas, composeTestSchemas, fixtureSql, ROOT, SCHEMA_FILES, TEST_SCHEMA_FILES, TEST_SQL_FILES } from '../../scripts/schema-composer.js';
import { migrate, readMigrations } from '../../server/migrations.js';
import { applyFixtureSchema } from '../helpers/fixture-schema.js';

const read = (file: string) => readFileSync(file, 'utf8');
const production = composeSchemas();
const test = composeTestSchemas();
const scratch = mkdtempSync(path.join(tmpdir(), 'crm-schema-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function tablesOf(file: string): string[] {
  const db = new Sqlite(file, { readonly: true });
  try {
    return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

describe('generated Prisma schema', () => {
  it('matches what the base and the plugin fragments compose to (run `npm run schema:compose` if not)', () => {
    expect(read(SCHEMA_FILES.sqlite)).toBe(production.sqlite);
    expect(read(SCHEMA_FILES.postgresql)).toBe(production.postgresql);
    expect(production.sqlite.startsWith('// GENERATED')).toBe(true);
  });

  it('keeps the test fixtures out of production: schema, migrations and the migrated database', async () => {
    for (const schema of Object.values(production)) {
      expect(schema).not.toMatch(/test\/fixtures|model Gadget\b|enum GadgetStatus\b/);
    }
    const file = path.join(scratch, 'production.db');
    await migrate({ DATABASE_URL: `file:${file}`, databaseKind: 'sqlite' });
    const tables = tablesOf(file);
    expect(tables).toContain('Contact');
    expect(tables).not.toContain('Gadget');
  });

  it('goes stale when a plugin fragment changes, and gains the back-relation', () => {
    const copy = path.join(scratch, 'compose');
    for (const dir of ['prisma', 'test/fixtures', 'plugins']) cpSync(path.join(ROOT, dir), path.join(copy, dir), { recursive: true });
    const fragment = path.join(copy, 'plugins/scoring/schema.prisma');
    writeFileSync(
      fragment,
      `${read(fragment)}\nmodel ScoreNote {\n  id Int @id @default(autoincrement())\n  contactId Int\n  contact Contact @relation(fields: [contactId], references: [id])\n}\n`,
    );
    const composed = composeSchemas(copy).sqlite;
    expect(composed).not.toBe(read(SCHEMA_FILES.sqlite));
    expect(composed).toMatch(/model Contact \{[^}]*\bscoreNotes\s+ScoreNote\[\]/);
    expect(composeTestSchemas(copy).sqlite).toMatch(/model ScoreNote \{/);
  });

  it('has a migration for every model change (run `npm run migration:new -- <name>` if not)', () => {
    const dir = path.join(ROOT, 'prisma', 'migrations');
    const latest = readdirSync(dir).sort().at(-1)!;
    expect(read(path.join(dir, latest, 'schema.prisma'))).toBe(read(SCHEMA_FILES.sqlite));
  });

  it('has SQL for SQLite and PostgreSQL in each migration (a schema change or a backfill)', () => {
    const sqlite = readMigrations('sqlite');
    const postgres = readMigrations('postgres');
    expect(sqlite.map((m) => m.name)).toEqual(postgres.map((m) => m.name));
    expect(sqlite.every((m) => /\b(CREATE|ALTER|DROP|UPDATE)\b/.test(m.sql))).toBe(true);
    expect(postgres[0]!.sql).toMatch(/CREATE TYPE "Role" AS ENUM/);
  });
});

describe('test schema (production plus test/fixtures)', () => {
  it('matches what production and the fixture fragments compose to, in clients of its own', () => {
    expect(read(TEST_SCHEMA_FILES.sqlite)).toBe(test.sqlite);
    expect(read(TEST_SCHEMA_FILES.postgresql)).toBe(test.postgresql);
    expect(test.sqlite).toMatch(/model Gadget \{/);
    expect(test.sqlite).toMatch(/output\s*= "..\/..\/node_modules\/.prisma\/test-client"/);
    expect(test.postgresql).toMatch(/output\s*= "..\/..\/node_modules\/.prisma\/test-postgresql-client"/);
  });

  it('adds the fixtures with committed SQL that is the difference of the two schemas', () => {
    const sql = fixtureSql(production, test);
    expect(read(TEST_SQL_FILES.sqlite)).toBe(sql.sqlite);
    expect(read(TEST_SQL_FILES.postgresql)).toBe(sql.postgresql);
    expect(sql.postgresql).toMatch(/CREATE TYPE "GadgetStatus"/);
  });

  it('gives every generated client the runtime whose errors the code recognises (run `node scripts/generate.mjs` if not)', () => {
    const require = createRequire(import.meta.url);
    for (const client of ['postgresql-client', 'test-client', 'test-postgresql-client']) {
      const runtime = require(path.join(ROOT, 'node_modules', '.prisma', client, 'runtime', 'client.js')) as typeof Prisma;
      expect(runtime.PrismaClientKnownRequestError, client).toBe(Prisma.PrismaClientKnownRequestError);
    }
  });

  it('takes a migrated database to the test schema, once', async () => {
    const config = { DATABASE_URL: `file:${path.join(scratch, 'test.db')}`, databaseKind: 'sqlite' } as const;
    await migrate(config);
    expect(await applyFixtureSchema(config)).toEqual(['Gadget', 'LoyaltyCard']);
    expect(await applyFixtureSchema(config)).toEqual([]);
    expect(tablesOf(path.join(scratch, 'test.db'))).toContain('Gadget');
  });
});
