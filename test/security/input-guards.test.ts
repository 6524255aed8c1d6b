import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { platformOptions, signInAdmin } from './helpers.js';

let t: TestHost;
let admin: supertest.Agent;

beforeAll(async () => {
  t = await bootTestHost(platformOptions);
  admin = (await signInAdmin(t, 'ADMIN')).agent;
});
afterAll(() => t.close());

const nested = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

describe('malformed input answers 4xx, not 500', () => {
  it('refuses JSON nested 1,000 levels deep, in the API and in the admin', async () => {
    for (const url of ['/api/v1/contacts', '/api/v1/leads', '/api/v1/saved-views']) {
      const res = await admin.post(url).set('Content-Type', 'application/json').send(nested(1000));
      expect(res.status, url).toBe(400);
    }
    const lead = await admin.post('/api/v1/leads').send({ email: 'deep@example.test', payload: JSON.parse(nested(1000)) });
    expect(lead.status).toBe(400);
    const form = await admin.post('/admin/api/resources/Company/actions/new').set('Content-Type', 'application/json').send(nested(1000));
    expect(form.status).toBe(400);
    const page = await admin.post('/admin/api/pages/jobs').set('Content-Type', 'application/json').send(nested(1000));
    expect(page.status).toBe(400);
  });

  it('refuses a JSON key __proto__ in the API, and takes constructor as plain data', async () => {
    const res = await admin.post('/api/v1/saved-views').set('Content-Type', 'application/json').send('{"name":"v","filters":{"__proto__":{"q":"x"}}}');
    expect(res.status).toBe(400);
    const plain = await admin.post('/api/v1/saved-views').send({ name: 'constructor view', filters: { q: 'constructor' } });
    expect(plain.status).toBe(201);
  });

  it('refuses an admin form key that reaches a prototype', async () => {
    for (const key of ['constructor.prototype.x', '__proto__.polluted', 'name.__proto__']) {
      const res = await admin
        .post('/admin/api/resources/Company/actions/new')
        .type('form')
        .send(`name=Proto&${encodeURIComponent(key)}=1`);
      expect(res.status, key).toBe(400);
      const multipart = await admin.post('/admin/api/resources/Company/actions/new').field('name', 'Proto').field(key, '1');
      expect(multipart.status, key).toBe(400);
    }
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await t.host.prisma.company.count({ where: { name: 'Proto' } })).toBe(0);
  });

  it('answers 404 for an unknown admin resource or action', async () => {
    for (const url of [
      '/admin/api/resources/NoSuchThing/actions/list',
      '/admin/api/resources/NoSuchThing/records/1/show',
      '/admin/api/resources/NoSuchThing/search/x',
      '/admin/resources/NoSuchThing',
      '/admin/api/resources/Contact/actions/noSuchAction',
      '/admin/api/resources/Contact/actions/show',
    ]) {
      expect((await admin.get(url)).status, url).toBe(404);
    }
  });

  it('refuses merge choices naming __proto__ or any field that is not a merge field', async () => {
    const a = await admin.post('/api/v1/contacts').send({ email: 'one@example.test', firstName: 'One' });
    const b = await admin.post('/api/v1/contacts').send({ email: 'two@example.test', firstName: 'Two' });
    for (const choices of ['{"__proto__":{"email":"USE"}}', '{"__proto__":"USE"}', '{"passwordHash":"USE"}']) {
      const res = await admin
        .post(`/api/v1/contacts/${a.body.id}/merge`)
        .set('Content-Type', 'application/json')
        .send(`{"duplicateId":${b.body.id},"choices":${choices}}`);
      expect(res.status, choices).toBe(400);
    }
    const { mergeInput } = await import('../../plugins/dedup/merge.service.js');
    const parsed = mergeInput.safeParse(JSON.parse(`{"duplicateId":2,"choices":{"__proto__":{"email":"USE"}}}`));
    expect(parsed.success).toBe(false);
    expect(await t.host.prisma.contact.count({ where: { id: { in: [a.body.id, b.body.id] } } })).toBe(2);
  });
});
