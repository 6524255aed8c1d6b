import supertest from 'supertest';
import { expect } from 'vitest';
import type { TestHost } from '../helpers/host.js';
import { shippedPlugins } from '../../plugins/index.js';

export const PASSWORD = 'correct horse battery staple';
export type RoleName = 'ADMIN' | 'MANAGER' | 'REP' | 'VIEWER';
export const ROLE_NAMES: RoleName[] = ['VIEWER', 'REP', 'MANAGER', 'ADMIN'];

/** The shipped plugins with the admin, on the test's own database. */
export const platformOptions = { plugins: shippedPlugins, admin: true, pluginSettings: { contacts: { demoData: false } } };

let counter = 0;

/** A new user of `role`, signed in through the admin's login form (the cookie works for /api/v1 too). */
export async function signInAdmin(t: TestHost, role: RoleName, name = `${role} person`): Promise<{ agent: supertest.Agent; id: number; email: string }> {
  const email = `sec-${role.toLowerCase()}-${++counter}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  const user = await t.host.users.create({ email, name, role, password: PASSWORD });
  const agent = t.request();
  const res = await agent.post('/admin/login').type('form').send({ email, password: PASSWORD });
  expect(res.status).toBe(302);
  return { agent, id: user.id, email };
}
