import { createRequire } from 'node:module';
import { PrismaClient } from '@prisma/client';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { sqliteFilePath, type Config } from './config.js';
import { auditExtension } from './audit.js';
import { securePrivateFile } from './sqlite.js';

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

const SQLITE_BUSY_TIMEOUT_MS = 5_000;
const require = createRequire(import.meta.url);

const productionClients: PrismaClients = {
  sqlite: () => PrismaClient,
  // Generated from prisma/postgresql/schema.prisma: same models, PostgreSQL query compiler.
  postgres: () => (require('.prisma/postgresql-client/index.js') as { PrismaClient: typeof PrismaClient }).PrismaClient,
};

export async function openDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'databaseKind'>,
  clients: PrismaClients = productionClients,
): Promise<DatabaseHandle> {
  const url = config.DATABASE_URL;
  let base: PrismaClient;
  if (config.databaseKind === 'sqlite') {
    const file = sqliteFilePath(url);
    securePrivateFile(file);
    const SqliteClient = clients.sqlite();
    base = new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}`, timeout: SQLITE_BUSY_TIMEOUT_MS }) });
    await base.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await base.$queryRawUnsafe(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
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
