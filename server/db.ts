import { createRequire } from 'node:module';
import { PrismaClient } from '@prisma/client';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { sqliteFilePath, type Config } from './config.js';
import { auditExtension } from './audit.js';

/** The Prisma client every layer uses (audited). Both providers share the generated types. */
export type Database = PrismaClient;

export interface DatabaseHandle {
  prisma: Database;
  kind: Config['databaseKind'];
  url: string;
  close(): Promise<void>;
}

const SQLITE_BUSY_TIMEOUT_MS = 5_000;
const require = createRequire(import.meta.url);

export async function openDatabase(config: Pick<Config, 'DATABASE_URL' | 'databaseKind'>): Promise<DatabaseHandle> {
  const url = config.DATABASE_URL;
  let base: PrismaClient;
  if (config.databaseKind === 'sqlite') {
    const file = sqliteFilePath(url);
    base = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}`, timeout: SQLITE_BUSY_TIMEOUT_MS }) });
    await base.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await base.$queryRawUnsafe(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    await base.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
  } else {
    // Generated from prisma/postgresql/schema.prisma: same models, PostgreSQL query compiler.
    const { PrismaPg } = await import('@prisma/adapter-pg');
    const { PrismaClient: PostgresClient } = require('.prisma/postgresql-client/index.js') as {
      PrismaClient: typeof PrismaClient;
    };
    base = new PostgresClient({ adapter: new PrismaPg({ connectionString: url }) });
    await base.$connect();
  }
  const prisma = base.$extends(auditExtension) as unknown as Database;
  return {
    prisma,
    kind: config.databaseKind,
    url,
    close: () => base.$disconnect(),
  };
}
