import { readFileSync } from 'node:fs';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { sqliteFilePath, type Config } from '../../server/config.js';
import { TEST_SQL_FILES } from '../../scripts/schema-composer.js';

/** The tables the fixture SQL creates, in order. */
export function fixtureTables(sql: string): string[] {
  return [...sql.matchAll(/CREATE TABLE "([^"]+)"/g)].map((m) => m[1]!);
}

/**
 * Takes a database migrated with prisma/migrations to the test schema: runs the committed fixture SQL
 * (test/fixtures/fixtures.<dialect>.sql, the test schema minus production) unless its tables exist.
 * Returns the tables it created.
 */
export async function applyFixtureSchema(config: Pick<Config, 'DATABASE_URL' | 'databaseKind'>): Promise<string[]> {
  const sql = readFileSync(config.databaseKind === 'sqlite' ? TEST_SQL_FILES.sqlite : TEST_SQL_FILES.postgresql, 'utf8');
  const tables = fixtureTables(sql);
  if (!tables.length) return [];
  return config.databaseKind === 'sqlite' ? applySqlite(sqliteFilePath(config.DATABASE_URL), sql, tables) : applyPostgres(config.DATABASE_URL, sql, tables);
}

function applySqlite(file: string, sql: string, tables: string[]): string[] {
  const db = new Sqlite(file, { timeout: 30_000 });
  try {
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    db.exec('BEGIN IMMEDIATE');
    try {
      const created = exists.get(tables[0]) ? [] : (db.exec(sql), tables);
      db.exec('COMMIT');
      return created;
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  } finally {
    db.close();
  }
}

async function applyPostgres(url: string, sql: string, tables: string[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('crm_test_fixtures'))");
    const { rows } = await client.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [`"${tables[0]}"`]);
    const created = rows[0]?.found ? [] : (await client.query(sql), tables);
    await client.query('COMMIT');
    return created;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}
