// Runs after `npm install`: generates the Prisma clients (SQLite and PostgreSQL) and the admin's DMMF.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const prisma = 'node_modules/.bin/prisma';
if (!existsSync(prisma)) process.exit(0);
for (const schema of ['prisma/schema.prisma', 'prisma/postgresql/schema.prisma']) {
  if (existsSync(schema)) execFileSync(prisma, ['generate', '--schema', schema], { stdio: 'inherit' });
}
