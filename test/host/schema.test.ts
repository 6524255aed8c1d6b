import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeSchemas, ROOT, SCHEMA_FILES } from '../../scripts/schema-composer.js';
import { readMigrations } from '../../server/migrations.js';

describe('generated Prisma schema', () => {
  it('matches what the base and the plugin fragments compose to (run `npm run schema:compose` if not)', () => {
    const composed = composeSchemas();
    expect(readFileSync(SCHEMA_FILES.sqlite, 'utf8')).toBe(composed.sqlite);
    expect(readFileSync(SCHEMA_FILES.postgresql, 'utf8')).toBe(composed.postgresql);
    expect(composed.sqlite.startsWith('// GENERATED')).toBe(true);
  });

  it('goes stale when a plugin fragment changes, and gains the back-relation', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'crm-compose-'));
    for (const dir of ['prisma', 'test/fixtures', 'plugins']) cpSync(path.join(ROOT, dir), path.join(copy, dir), { recursive: true });
    const fragment = path.join(copy, 'test/fixtures/gadgets/schema.prisma');
    writeFileSync(
      fragment,
      `${readFileSync(fragment, 'utf8')}\nmodel GadgetPart {\n  id Int @id @default(autoincrement())\n  gadgetId Int\n  gadget Gadget @relation(fields: [gadgetId], references: [id])\n}\n`,
    );
    const composed = composeSchemas(copy).sqlite;
    expect(composed).not.toBe(readFileSync(SCHEMA_FILES.sqlite, 'utf8'));
    expect(composed).toMatch(/model Gadget \{[^}]*\bgadgetParts\s+GadgetPart\[\]/);
  });

  it('has a migration for every model change (run `npm run migration:new -- <name>` if not)', () => {
    const dir = path.join(ROOT, 'prisma', 'migrations');
    const latest = readdirSync(dir).sort().at(-1)!;
    expect(readFileSync(path.join(dir, latest, 'schema.prisma'), 'utf8')).toBe(readFileSync(SCHEMA_FILES.sqlite, 'utf8'));
  });

  it('has SQL for SQLite and PostgreSQL in each migration', () => {
    const sqlite = readMigrations('sqlite');
    const postgres = readMigrations('postgres');
    expect(sqlite.map((m) => m.name)).toEqual(postgres.map((m) => m.name));
    expect(sqlite.every((m) => /\b(CREATE|ALTER|DROP)\b/.test(m.sql))).toBe(true);
    expect(postgres[0]!.sql).toMatch(/CREATE TYPE "Role" AS ENUM/);
  });
});
