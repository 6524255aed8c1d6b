import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { platformOptions, signInAdmin, type RoleName } from './helpers.js';

/** What must never be in an answer: the names of secret fields, and any password hash. */
const SECRET = /passwordHash|keyHash|failedLoginCount|lockedUntil|scrypt\$|"prefix":"[0-9a-f]{12}_/;

let t: TestHost;
const ids: Record<string, number | string> = {};

beforeAll(async () => {
  t = await bootTestHost(platformOptions);
  const { agent: rep, id: repId } = await signInAdmin(t, 'REP');
  // A user with failed sign-ins, so the security fields have values to leak.
  await t
    .request()
    .post('/api/v1/auth/login')
    .send({ email: (await t.host.prisma.user.findUniqueOrThrow({ where: { id: repId } })).email, password: 'wrong password!' });
  await t.host.apiKeys.create(repId, 'integration');
  const company = await rep.post('/api/v1/companies').send({ name: 'Acme', ownerId: repId });
  ids.company = company.body.id;
  const contact = await rep.post('/api/v1/contacts').send({ email: 'owned@example.test', firstName: 'Owned', ownerId: repId, companyId: company.body.id });
  expect(contact.status).toBe(201);
  ids.contact = contact.body.id;
  expect((await rep.post(`/api/v1/contacts/${ids.contact}/notes`).send({ body: 'a note' })).status).toBe(201);
  expect((await rep.post(`/api/v1/contacts/${ids.contact}/tasks`).send({ title: 'call', assigneeId: repId })).status).toBe(201);
  const deal = await rep.post('/api/v1/deals').send({ title: 'Deal', contactId: ids.contact, ownerId: repId, value: 10 });
  ids.deal = deal.body.deal?.id ?? deal.body.id;
  const view = await rep.post('/api/v1/saved-views').send({ name: 'Mine', filters: { q: 'owned' } });
  ids.view = view.body.id;
  const lead = await rep.post('/api/v1/leads').send({ email: 'lead@example.test', name: 'Lead Person' });
  ids.lead = lead.body.id;
  const { agent: manager } = await signInAdmin(t, 'MANAGER');
  expect((await manager.post('/api/v1/custom-fields').send({ key: 'tier', label: 'Tier', type: 'TEXT' })).status).toBe(201);
  ids.key = 'tier';
});
afterAll(() => t.close());

/** Every admin resource: its list, and the show of each listed record (populated relations included). */
async function walkAdmin(agent: supertest.Agent): Promise<{ seen: number; text: string }> {
  let text = '';
  let seen = 0;
  for (const resource of t.admin!.resources) {
    const id = resource._decorated!.id();
    const list = await agent.get(`/admin/api/resources/${id}/actions/list?perPage=50`);
    text += list.text;
    if (list.status !== 200) continue;
    for (const record of (list.body.records ?? []) as { id: string }[]) {
      const show = await agent.get(`/admin/api/resources/${id}/records/${record.id}/show`);
      text += show.text;
      seen++;
    }
  }
  for (const page of ['/admin', '/admin/resources/Contact', '/admin/api/dashboard']) text += (await agent.get(page)).text;
  return { seen, text };
}

describe('secret and security fields of users', () => {
  it.each(['VIEWER', 'ADMIN'] as RoleName[])('are in no admin list or show, populated relations included (%s)', async (role) => {
    const { agent } = await signInAdmin(t, role);
    const { seen, text } = await walkAdmin(agent);
    expect(seen).toBeGreaterThanOrEqual(8);
    // The relations were there to be populated: the owner's name reached the answers.
    expect(text).toContain('REP person');
    expect(text).not.toMatch(SECRET);
  });

  it('are in no API answer of any GET route', async () => {
    const { agent } = await signInAdmin(t, 'ADMIN');
    const byPath = (path: string) =>
      path
        .replace(/^\/companies\/:id/, `/companies/${ids.company}`)
        .replace(/^\/deals\/:id/, `/deals/${ids.deal}`)
        .replace(/^\/saved-views\/:id/, `/saved-views/${ids.view}`)
        .replace(/^\/leads\/:id/, `/leads/${ids.lead}`)
        .replace(/:key/, String(ids.key))
        .replace(/:id/g, String(ids.contact));
    const gets = t.host.routes.filter((r) => r.method === 'get');
    expect(gets.length).toBeGreaterThan(20);
    let ok = 0;
    for (const route of gets) {
      const res = await agent.get(`/api/v1${byPath(route.path)}`);
      if (res.status === 200) ok++;
      expect(res.text, `GET ${route.path}`).not.toMatch(SECRET);
    }
    expect(ok).toBeGreaterThan(gets.length / 2);
    for (const path of ['/api/v1/users', '/api/v1/auth/me', '/api/v1/openapi.json']) {
      const res = await agent.get(path);
      expect(res.status).toBe(200);
      expect(res.text.replace(/"(passwordHash|keyHash|failedLoginCount|lockedUntil)":\{"type"[^}]*\}/g, '')).not.toMatch(SECRET);
    }
  });

  it('are left out of the audit log of user changes', async () => {
    await t.host.users.update((await t.host.prisma.user.findFirstOrThrow({ where: { role: 'REP' } })).id, { password: 'another long password' });
    const { agent } = await signInAdmin(t, 'ADMIN');
    const created = await agent
      .post('/admin/api/resources/User/actions/new')
      .type('form')
      .send({ email: 'audited@example.test', name: 'Audited', role: 'REP', password: 'a long enough password' });
    expect(created.body.notice.type).toBe('success');
    const rows = await t.host.prisma.auditLog.findMany({ where: { entity: 'User' } });
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toMatch(SECRET);
  });

  it('cannot be written through the admin user form', async () => {
    const { agent } = await signInAdmin(t, 'ADMIN');
    const target = await t.host.prisma.user.findUniqueOrThrow({ where: { email: 'audited@example.test' } });
    const res = await agent
      .post(`/admin/api/resources/User/records/${target.id}/edit`)
      .type('form')
      .send({ name: 'Renamed', password: '', passwordHash: 'scrypt$forged', failedLoginCount: '99', lockedUntil: '2999-01-01' });
    expect(res.body.notice.type).toBe('success');
    const after = await t.host.prisma.user.findUniqueOrThrow({ where: { id: target.id } });
    expect(after).toMatchObject({ name: 'Renamed', passwordHash: target.passwordHash, failedLoginCount: 0, lockedUntil: null });
  });

  it('lets an admin lift a lock without seeing it', async () => {
    const { agent } = await signInAdmin(t, 'ADMIN');
    const locked = await t.host.prisma.user.update({
      where: { email: 'audited@example.test' },
      data: { lockedUntil: new Date(Date.now() + 3_600_000), failedLoginCount: 3 },
    });
    const res = await agent.post(`/admin/api/resources/User/records/${locked.id}/unlock`);
    expect(res.body.notice.type).toBe('success');
    expect(res.text).not.toMatch(SECRET);
    expect(await t.host.prisma.user.findUniqueOrThrow({ where: { id: locked.id } })).toMatchObject({ lockedUntil: null, failedLoginCount: 0 });
  });
});
