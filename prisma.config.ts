import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { defineConfig } from 'prisma/config';

// The schema engine runs as WebAssembly over a driver adapter: no engine binary is downloaded.
// Migrations are applied by the platform itself (`npm run crm -- migrate`); this adapter only serves
// Prisma commands that need a database, against DATABASE_URL when it names a SQLite file.
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  async adapter() {
    const url = process.env.DATABASE_URL;
    return new PrismaBetterSQLite3({ url: url?.startsWith('file:') ? url : 'file::memory:' });
  },
});
