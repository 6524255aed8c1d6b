// Runs after `npm install`: generates the Prisma clients (SQLite and PostgreSQL) and the admin's DMMF
// from the production schema, then the test clients (node_modules/.prisma/test-client,
// test-postgresql-client) and the fixtures' admin DMMF (test/fixtures/generated) from the test schema.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const prisma = 'node_modules/.bin/prisma';
if (!existsSync(prisma)) process.exit(0);
const schemas = ['prisma/schema.prisma', 'prisma/postgresql/schema.prisma', 'test/fixtures/schema.prisma', 'test/fixtures/schema.postgresql.prisma'];

/**
 * A client generated to its own `output` gets a private copy of Prisma's runtime, whose error classes
 * are not the ones `@prisma/client` exports: `err instanceof Prisma.PrismaClientKnownRequestError`
 * would miss its errors. Such a client is pointed at the shared runtime (the same Prisma version).
 */
function shareRuntime(schema) {
  const output = /generator client \{[^}]*\boutput\s*=\s*"([^"]+)"/.exec(readFileSync(schema, 'utf8'))?.[1];
  if (!output) return;
  const runtime = path.join(path.dirname(schema), output, 'runtime', 'client.js');
  if (!existsSync(runtime)) throw new Error(`no generated runtime at ${runtime}`);
  writeFileSync(
    runtime,
    "// Written by scripts/generate.mjs: this client uses @prisma/client's runtime.\nmodule.exports = require('@prisma/client/runtime/client.js');\n",
  );
}

for (const schema of schemas) {
  if (!existsSync(schema)) continue;
  // Prisma's own chatter (which config it loaded) is shown only when generating fails.
  try {
    execFileSync(prisma, ['generate', '--schema', schema], { stdio: 'pipe' });
  } catch (err) {
    process.stderr.write(`${err.stdout ?? ''}${err.stderr ?? ''}`);
    throw err;
  }
  shareRuntime(schema);
}
