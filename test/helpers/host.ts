import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import type AdminJS from 'adminjs';
import supertest from 'supertest';
import { loadConfig } from '../../server/config.js';
import { createHost, type Host } from '../../server/host.js';
import { createHttpApp } from '../../server/http/app.js';
import type { PluginDefinition } from '../../server/plugin.js';
import { buildAdmin, ADMIN_ROOT } from '../../admin/admin.js';
import { gadgetsPlugin } from '../fixtures/gadgets/index.js';
import { fixtureDatabase, testPrismaClients, type FixtureDatabase } from '../fixtures/database.js';
import { applyFixtureSchema } from './fixture-schema.js';

export interface TestHost {
  /** The host, whose client is generated from the test schema (it knows the fixtures' models). */
  host: Host & { prisma: FixtureDatabase };
  admin?: AdminJS;
  app: Express;
  dir: string;
  request: () => supertest.Agent;
  /** Creates a user and returns an agent signed in as that user. */
  signIn: (role?: 'ADMIN' | 'MANAGER' | 'REP' | 'VIEWER') => Promise<{ agent: supertest.Agent; email: string; password: string }>;
  close: () => Promise<void>;
}

export interface TestHostOptions {
  plugins?: PluginDefinition[];
  env?: Record<string, string>;
  pluginSettings?: Record<string, Record<string, unknown>>;
  /** Mount the AdminJS admin at /admin (slower to boot). */
  admin?: boolean;
  /** Build the admin's component bundle now (browser tests). */
  bundle?: boolean;
  /** Reuse a directory (and its database) instead of a fresh one. */
  dir?: string;
}

export function newTestDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'crm-test-'));
  const template = process.env.CRM_TEST_TEMPLATE_DB;
  if (template && existsSync(template)) copyFileSync(template, path.join(dir, 'crm.db'));
  return dir;
}

/** Creates a contact through the API as `agent`; fails the test with the answer if it is not created. */
export async function createContact(agent: supertest.Agent, body: Record<string, unknown>): Promise<{ id: number; email: string } & Record<string, unknown>> {
  const res = await agent.post('/api/v1/contacts').send(body);
  if (res.status !== 201) throw new Error(`creating a contact failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

let userCounter = 0;

/** Boots the host with chosen plugins on its own database (a copy of the migrated template). */
export async function bootTestHost(options: TestHostOptions = {}): Promise<TestHost> {
  const dir = options.dir ?? newTestDir();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dir,
    DATABASE_URL: `file:${path.join(dir, 'crm.db')}`,
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 'test-secret-test-secret-test-secret!',
    PORT: '0',
    HOST: '127.0.0.1',
    ...options.env,
  });
  const host = await createHost({
    config,
    plugins: options.plugins ?? [gadgetsPlugin],
    pluginSettings: options.pluginSettings,
    env: {},
    prismaClients: testPrismaClients,
  });
  let testHost: TestHost['host'];
  try {
    // The host applied the production migrations; the fixtures' tables come after them.
    await applyFixtureSchema(config);
    testHost = Object.assign(host, { prisma: fixtureDatabase(host.prisma) });
  } catch (err) {
    await host.stop();
    throw err;
  }
  const built = options.admin ? await buildAdmin(host, { bundle: options.bundle }) : undefined;
  const app = createHttpApp(host, { mounts: built ? [{ path: ADMIN_ROOT, router: built.router }] : [] });
  const request = () => supertest.agent(app);

  return {
    host: testHost,
    admin: built?.admin,
    app,
    dir,
    request,
    async signIn(role = 'ADMIN') {
      const email = `${role.toLowerCase()}${++userCounter}@example.test`;
      const password = 'correct horse battery staple';
      await host.users.create({ email, name: `${role} user`, role, password });
      const agent = request();
      const res = await agent.post('/api/v1/auth/login').send({ email, password });
      if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { agent, email, password };
    },
    async close() {
      await host.stop();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
