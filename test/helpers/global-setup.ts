import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate } from '../../server/migrations.js';
import { applyFixtureSchema } from './fixture-schema.js';
import { ensureBuild } from '../../scripts/build.mjs';

/**
 * Builds one template database at the test schema: the production migrations, then the fixture
 * plugins' tables (test/fixtures/fixtures.sqlite.sql). Each test host starts from a copy of it.
 */
export default async function setup(): Promise<() => void> {
  // Tests that start the CLI or the server as processes run the compiled build: bring it up to date once.
  await ensureBuild();
  const dir = mkdtempSync(path.join(tmpdir(), 'crm-template-'));
  const file = path.join(dir, 'template.db');
  const config = { DATABASE_URL: `file:${file}`, databaseKind: 'sqlite' } as const;
  await migrate(config);
  await applyFixtureSchema(config);
  process.env.CRM_TEST_TEMPLATE_DB = file;
  return () => rmSync(dir, { recursive: true, force: true });
}
