// Runs after `npm install`: generates the Prisma clients (SQLite and PostgreSQL) and the admin's DMMF
// from the production schema, then the test clients (node_modules/.prisma/test-client,
// test-postgresql-client) and the fixtures' admin DMMF (test/fixtures/generated) from the test schema.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const prisma = 'node_modules/.bin/prisma';
if (!existsSync(prisma)) process.exit(0);
const schemas = [
  'prisma/schema.prisma',
  'prisma/postgresql/schema.prisma',
  'test/fixtures/schema.prisma',
  'test/fixtures/schema.postgresql.prisma',
];
for (const schema of schemas) {
  if (existsSync(schema)) execFileSync(prisma, ['generate', '--schema', schema], { stdio: 'inherit' });
}
