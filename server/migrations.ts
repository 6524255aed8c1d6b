import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { sqliteFilePath, type Config } from './config.js';
import { securePrivateFile } from './sqlite.js';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '..', 'prisma', 'migrations');
const SQL_FILE = { sqlite: 'migration.sql', postgres: 'postgresql.sql' } as const;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(kind: Config['databaseKind'], dir = MIGRATIONS_DIR): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, SQL_FILE[kind]), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export class MigrationError extends Error {}

function pendingAfter(applied: Map<string, string>, migrations: Migration[]): Migration[] {
  for (const [name, checksum] of applied) {
    const known = migrations.find((m) => m.name === name);
    if (!known) throw new MigrationError(`Database has migration ${name}, which this version does not know`);
    if (known.checksum !== checksum) throw new MigrationError(`Migration ${name} was changed after it was applied`);
  }
  return migrations.filter((m) => !applied.has(m.name));
}

/**
 * Applies pending migrations in one transaction, holding a lock so that instances starting
 * together apply each migration once. Our own runner serves SQLite and PostgreSQL alike
 * (Prisma's schema engine cannot reach PostgreSQL through the driver adapter here).
 */
export async function migrate(config: Pick<Config, 'DATABASE_URL' | 'databaseKind'>): Promise<string[]> {
  const migrations = readMigrations(config.databaseKind);
  return config.databaseKind === 'sqlite' ? migrateSqlite(sqliteFilePath(config.DATABASE_URL), migrations) : migratePostgres(config.DATABASE_URL, migrations);
}

function migrateSqlite(file: string, migrations: Migration[]): string[] {
  securePrivateFile(file);
  const db = new Sqlite(file, { timeout: 30_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE IF NOT EXISTS "_crm_migrations" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)');
    db.exec('BEGIN IMMEDIATE');
    try {
      const rows = db.prepare('SELECT name, checksum FROM "_crm_migrations"').all() as { name: string; checksum: string }[];
      const pending = pendingAfter(new Map(rows.map((r) => [r.name, r.checksum])), migrations);
      const record = db.prepare('INSERT INTO "_crm_migrations" (name, checksum, applied_at) VALUES (?, ?, ?)');
      for (const migration of pending) {
        db.exec(migration.sql);
        record.run(migration.name, migration.checksum, new Date().toISOString());
      }
      db.exec('COMMIT');
      return pending.map((m) => m.name);
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string, migrations: Migration[]): Promise<string[]> {
  const { default: pg } = await import('pg'); // loaded only for PostgreSQL
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext('crm_migrations'))");
    await client.query('CREATE TABLE IF NOT EXISTS "_crm_migrations" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)');
    const { rows } = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM "_crm_migrations"');
    const pending = pendingAfter(new Map(rows.map((r) => [r.name, r.checksum])), migrations);
    for (const migration of pending) {
      await client.query(migration.sql);
      await client.query('INSERT INTO "_crm_migrations" (name, checksum, applied_at) VALUES ($1, $2, now())', [migration.name, migration.checksum]);
    }
    await client.query('COMMIT');
    return pending.map((m) => m.name);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}
