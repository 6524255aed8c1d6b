import { createRequire } from 'node:module';
import { PrismaClient } from '@prisma/client';
import { PrismaPg } from '@prisma/adapter-pg';
import { sqliteFilePath, type Config } from './config.js';
import { auditExtension } from './audit.js';
import { SQLITE_TRANSACTION_MAX_WAIT_MS, waitingSqliteAdapter } from './sqlite-busy.js';

/** The Prisma client every layer uses (audited). Both providers share the generated types. */
export type Database = PrismaClient;

export interface DatabaseHandle {
  prisma: Database;
  kind: Config['databaseKind'];
  url: string;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);

export async function openDatabase(config: Pick<Config, 'DATABASE_URL' | 'databaseKind'>): Promise<DatabaseHandle> {
  const url = config.DATABASE_URL;
  let base: PrismaClient;
  if (config.databaseKind === 'sqlite') {
    const file = sqliteFilePath(url);
    // Another process (a second instance, the CLI, an import worker) may be writing: wait, not fail.
    // One writer at a time: a transaction waits for its turn (maxWait) rather than fail a burst.
    base = new PrismaClient({
      adapter: waitingSqliteAdapter(file),
      transactionOptions: { maxWait: SQLITE_TRANSACTION_MAX_WAIT_MS, timeout: 30_000 },
    });
    await base.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await base.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
  } else {
    // Generated from prisma/postgresql/schema.prisma: same models, PostgreSQL query compiler.
    const { PrismaClient: PostgresClient } = require('../node_modules/.prisma/postgresql-client/index.js') as {
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
