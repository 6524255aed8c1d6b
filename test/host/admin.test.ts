import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { bootTestHost, type TestHost } from '../helpers/host.js';

const PASSWORD = 'correct horse battery staple';
let t: TestHost;
let admin: supertest.Agent;

async function adminAgent(role: 'ADMIN' | 'MANAGER' | 'REP' | 'VIEWER'): Promise<supertest.Agent> {
  const email = `admin-ui-${role.toLowerCase()}-${Math.random().toString(36).slice(2)}@example.test`;
  await t.host.users.create({ email, name: `${role} person`, role, password: PASSWORD });
  const agent = t.request();
  const res = await agent.post('/admin/login').type('form').send({ email, password: PASSWORD });
  expect(res.status).toBe(302);
  expect(res.headers.location).toBe('/admin');
  return agent;
}

beforeAll(async () => {
  t = await bootTestHost({ admin: true });
  admin = await adminAgent('ADMIN');
});
afterAll(() => t.close());

describe('admin sign-in', () => {
  it('sends visitors to the branded login page', async () => {
    const res = await t.request().get('/admin/resources/Gadget');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/admin/login');
    const page = await t.request().get('/admin/login');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Contacts CRM');
    expect(page.text).toContain('/admin/login');
  });

  it('answers the admin JSON API with 401 when signed out', async () => {
    const res = await t.request().get('/admin/api/resources/Gadget/actions/list');
    expect(res.status).toBe(401);
  });

  it('shows a wrong password on the login page and locks after 5 failures', async () => {
    await t.host.users.create({ email: 'ui-lock@example.test', name: 'L', role: 'REP', password: PASSWORD });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await t.request().post('/admin/login').type('form').send({ email: 'ui-lock@example.test', password: 'wrong' })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 423]);
    const locked = await t.request().post('/admin/login').type('form').send({ email: 'ui-lock@example.test', password: PASSWORD });
    expect(locked.status).toBe(423);
    expect(locked.text).toContain('locked until');
  });

  it('logs out only by POST', async () => {
    const agent = await adminAgent('VIEWER');
    const confirm = await agent.get('/admin/logout');
    expect(confirm.text).toContain('method="post"');
    expect((await agent.get('/admin/api/resources/Gadget/actions/list')).status).toBe(200);
    const out = await agent.post('/admin/logout');
    expect(out.status).toBe(302);
    expect((await agent.get('/admin/api/resources/Gadget/actions/list')).status).toBe(401);
  });

  it('rejects a login form posted from another site', async () => {
    const res = await t.request().post('/admin/login').set('Origin', 'https://evil.example').type('form').send({ email: 'x', password: 'y' });
    expect(res.status).toBe(403);
  });
});

describe('fixture model in the admin', () => {
  it('creates, lists, shows and edits records with ids, enums and relations', async () => {
    const created = await admin.post('/admin/api/resources/Gadget/actions/new').type('form').send({ name: 'Sprocket', status: 'ACTIVE', quantity: '12' });
    expect(created.status).toBe(200);
    expect(created.body.notice.type).toBe('success');
    const id = created.body.record.id;
    expect(id).toBeTruthy();

    const list = await admin.get('/admin/api/resources/Gadget/actions/list');
    expect(list.body.records.map((r: { id: string | number }) => String(r.id))).toContain(String(id));

    const shown = await admin.get(`/admin/api/resources/Gadget/records/${id}/show`);
    expect(shown.body.record.params).toMatchObject({ name: 'Sprocket', status: 'ACTIVE', quantity: 12 });

    const edited = await admin.post(`/admin/api/resources/Gadget/records/${id}/edit`).type('form').send({ quantity: '4', status: 'RETIRED' });
    expect(edited.body.notice.type).toBe('success');
    const row = await t.host.prisma.gadget.findUniqueOrThrow({ where: { id: Number(id) } });
    expect(row).toMatchObject({ quantity: 4, status: 'RETIRED' });

    const audit = await t.host.prisma.auditLog.findMany({ where: { entity: 'Gadget', entityId: String(id) }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.via])).toEqual([
      ['CREATE', 'admin'],
      ['UPDATE', 'admin'],
    ]);
  });

  it('knows ids, required fields, enum values and relations from the full datamodel', async () => {
    const resource = t.admin!.findResource('Gadget').decorate();
    const props = Object.fromEntries(
      [...resource.getProperties({ where: 'list' }), ...resource.getProperties({ where: 'show' })].map((p) => {
        const json = p.toJSON();
        return [json.propertyPath, json];
      }),
    );
    expect(props.id?.isId).toBe(true);
    expect(props.name?.isRequired).toBe(true);
    expect(props.owner?.isRequired).toBe(false);
    expect(props.status?.availableValues?.map((v) => v.value)).toEqual(['DRAFT', 'ACTIVE', 'RETIRED']);
    expect(props.owner?.reference).toBe('User');
  });

  it('denies a viewer the new action and a rep the delete action', async () => {
    const before = await t.host.prisma.gadget.count();
    const viewer = await adminAgent('VIEWER');
    const res = await viewer.post('/admin/api/resources/Gadget/actions/new').type('form').send({ name: 'Forbidden' });
    expect(res.status).toBe(403);
    expect(await t.host.prisma.gadget.count()).toBe(before);

    const gadget = await t.host.prisma.gadget.create({ data: { name: 'keep me' } });
    const rep = await adminAgent('REP');
    expect((await rep.post(`/admin/api/resources/Gadget/records/${gadget.id}/delete`)).status).toBe(403);
    expect(await t.host.prisma.gadget.findUnique({ where: { id: gadget.id } })).not.toBeNull();
    expect((await rep.get('/admin/api/resources/User/actions/list')).status).toBe(403);
  });
});

describe('host records in the admin', () => {
  it('never sends password hashes to the browser', async () => {
    const res = await admin.get('/admin/api/resources/User/actions/list');
    expect(res.status).toBe(200);
    expect(res.body.records.length).toBeGreaterThan(0);
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|scrypt\$/);
  });

  it('creates a user with a hashed password, and refuses a short one', async () => {
    const short = await admin
      .post('/admin/api/resources/User/actions/new')
      .type('form')
      .send({ email: 'short@example.test', name: 'S', role: 'REP', password: 'short' });
    expect(short.body.record.errors.password.message).toMatch(/at least 12/);
    const ok = await admin
      .post('/admin/api/resources/User/actions/new')
      .type('form')
      .send({ email: 'made-in-admin@example.test', name: 'Made', role: 'REP', password: PASSWORD });
    expect(ok.body.notice.type).toBe('success');
    const user = await t.host.prisma.user.findUniqueOrThrow({ where: { email: 'made-in-admin@example.test' } });
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect((await t.request().post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD })).status).toBe(200);
  });

  it('shows a new API key once and stores its digest', async () => {
    const owner = await t.host.prisma.user.findFirstOrThrow({ where: { role: 'ADMIN' } });
    const res = await admin
      .post('/admin/api/resources/ApiKey/actions/new')
      .type('form')
      .send({ name: 'zapier', user: String(owner.id) });
    const key = /crm_[0-9a-f]{12}_[A-Za-z0-9_-]{43}/.exec(res.body.notice.message)?.[0];
    expect(key).toBeDefined();
    expect(JSON.stringify(res.body.record)).not.toContain('keyHash');
    expect((await t.request().get('/api/v1/gadgets').set('X-API-Key', key!)).status).toBe(200);
    const shown = await admin.get(`/admin/api/resources/ApiKey/records/${res.body.record.id}/show`);
    expect(JSON.stringify(shown.body)).not.toContain(key!.slice(18));
  });

  it('lets a manager run a job now from the Jobs page, and not a viewer', async () => {
    const manager = await adminAgent('MANAGER');
    const list = await manager.get('/admin/api/pages/jobs');
    expect(list.body.jobs.map((j: { name: string }) => j.name)).toContain('gadgets.report-stock');
    const run = await manager.post('/admin/api/pages/jobs').send({ job: 'gadgets.report-stock' });
    expect(run.body.run.status).toBe('SUCCEEDED');
    expect(run.body.run.actorId).not.toBeNull();
    const viewer = await adminAgent('VIEWER');
    const denied = await viewer.post('/admin/api/pages/jobs').send({ job: 'gadgets.report-stock' });
    expect(denied.body.error).toMatch(/MANAGER/);
    expect(await t.host.prisma.jobRun.count({ where: { trigger: 'MANUAL' } })).toBe(1);
  });

  it('fills the dashboard with host and plugin widgets', async () => {
    const res = await admin.get('/admin/api/dashboard');
    const names = res.body.widgets.map((w: { name: string }) => w.name);
    expect(names).toEqual(['users', 'jobs', 'gadgets']);
    const gadgets = res.body.widgets.find((w: { name: string }) => w.name === 'gadgets');
    expect(gadgets.value).toBe(await t.host.prisma.gadget.count());
  });
});
