import { randomBytes } from 'node:crypto';
import pg from 'pg';

const explicitUrl = process.env.TEST_POSTGRES_URL;
const adminUrl = explicitUrl ?? 'postgres://crm:crm@127.0.0.1:5432/postgres';

/** Whether PostgreSQL is reachable; when CI names it (TEST_POSTGRES_URL) it must be. */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return true;
  } catch (err) {
    if (explicitUrl) throw err;
    console.warn('PostgreSQL not reachable: skipping PostgreSQL tests (see scripts/start-test-postgres.sh)');
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database for one test file, and the function that drops it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `crm_test_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  return { url: adminUrl.replace(/\/[^/]*$/, `/${name}`), drop: () => dropDatabase(name) };
}

/**
 * Drops a test database. FORCE may not end a superuser's backend (an autovacuum worker), so it is
 * retried; a database left behind is only clutter, so cleanup never fails the tests.
 */
async function dropDatabase(name: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
  console.warn(`could not drop test database ${name}`);
}

/** The environment that points a test host at a database of the kind asked for: a fresh PostgreSQL database, or the default SQLite copy. */
export async function databaseEnv(kind: 'sqlite' | 'postgres'): Promise<{ env: Record<string, string>; drop?: () => Promise<void> }> {
  if (kind === 'sqlite') return { env: {} };
  const db = await createTestDatabase();
  return { env: { DATABASE_URL: db.url }, drop: db.drop };
}
