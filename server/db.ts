import { createRequire } from 'node:module';
import { PrismaClient } from '@prisma/client';
import { sqliteFilePath, type Config } from './config.js';
import { auditExtension } from './audit.js';
import { securePrivateFile } from './sqlite.js';
import { SQLITE_TRANSACTION_MAX_WAIT_MS, waitingSqliteAdapter } from './sqlite-busy.js';

/** The Prisma client every layer uses (audited). Both providers share the generated types. */
export type Database = PrismaClient;

/**
 * The database dialect, chosen once at boot: stores pick their implementation from it. `sqliteFile`
 * is the file a store may open its own better-sqlite3 connection on (SQLite only).
 */
export type SqlDialect = { kind: 'sqlite'; sqliteFile: string } | { kind: 'postgres' };

export function sqlDialect(config: Pick<Config, 'DATABASE_URL' | 'databaseKind'>): SqlDialect {
  return config.databaseKind === 'sqlite' ? { kind: 'sqlite', sqliteFile: sqliteFilePath(config.DATABASE_URL) } : { kind: 'postgres' };
}

export interface DatabaseHandle {
  prisma: Database;
  kind: Config['databaseKind'];
  dialect: SqlDialect;
  url: string;
  close(): Promise<void>;
}

/**
 * The generated client classes to open the database with. By default the ones generated from
 * prisma/schema.prisma; the tests pass the ones generated from the test schema (production plus fixtures).
 */
export interface PrismaClients {
  sqlite(): typeof PrismaClient;
  postgres(): typeof PrismaClient;
}

const require = createRequire(import.meta.url);

const productionClients: PrismaClients = {
  sqlite: () => PrismaClient,
  // Generated from prisma/postgresql/schema.prisma: same models, PostgreSQL query compiler.
  postgres: () => (require('.prisma/postgresql-client/index.js') as { PrismaClient: typeof PrismaClient }).PrismaClient,
};

export async function openDatabase(config: Pick<Config, 'DATABASE_URL' | 'databaseKind'>, clients: PrismaClients = productionClients): Promise<DatabaseHandle> {
  const url = config.DATABASE_URL;
  let base: PrismaClient;
  if (config.databaseKind === 'sqlite') {
    const file = sqliteFilePath(url);
    securePrivateFile(file);
    const SqliteClient = clients.sqlite();
    // Another process (a second instance, the CLI, an import worker) may be writing: wait, not fail.
    // One writer at a time: a transaction waits for its turn (maxWait) rather than fail a burst.
    base = new SqliteClient({
      adapter: waitingSqliteAdapter(file),
      transactionOptions: { maxWait: SQLITE_TRANSACTION_MAX_WAIT_MS, timeout: 30_000 },
    });
    await base.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await base.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
  } else {
    const { PrismaPg } = await import('@prisma/adapter-pg');
    const PostgresClient = clients.postgres();
    base = new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) });
    await base.$connect();
  }
  const prisma = base.$extends(auditExtension) as unknown as Database;
  return {
    prisma,
    kind: config.databaseKind,
    dialect: sqlDialect(config),
    url,
    close: () => base.$disconnect(),
  };
}
