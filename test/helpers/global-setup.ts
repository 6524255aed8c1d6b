import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate } from '../../server/migrations.js';
import { ensureBuild } from '../../scripts/build.mjs';

/** Migrates one template database; each test host starts from a copy of it. */
export default async function setup(): Promise<() => void> {
  // Tests that start the CLI or the server as processes run the compiled build: bring it up to date once.
  await ensureBuild();
  const dir = mkdtempSync(path.join(tmpdir(), 'crm-template-'));
  const file = path.join(dir, 'template.db');
  await migrate({ DATABASE_URL: `file:${file}`, databaseKind: 'sqlite' });
  process.env.CRM_TEST_TEMPLATE_DB = file;
  return () => rmSync(dir, { recursive: true, force: true });
}
