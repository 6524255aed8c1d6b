import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin } from '../../plugins/contacts/index.js';
import { dedupPlugin } from '../../plugins/dedup/index.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';
import { createTestDatabase, postgresAvailable } from '../helpers/postgres.js';

const available = await postgresAvailable();

describe.runIf(available)('deduplication on PostgreSQL', () => {
  let drop: () => Promise<void>;
  let t: TestHost;
  let manager: supertest.Agent;

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    t = await bootTestHost({ env: { DATABASE_URL: db.url }, plugins: [contactsPlugin, dedupPlugin], pluginSettings: { contacts: { demoData: false } } });
    manager = (await t.signIn('MANAGER')).agent;
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it('scans, merges by the rules and undoes the merge', async () => {
    const acme = (await manager.post('/api/v1/companies').send({ name: 'Acme' })).body;
    const jon = await createContact(manager, { email: 'jon.meyer@acme.com', firstName: 'Jon', lastName: 'Meyer', companyId: acme.id, phone: '+49 30 1234567' });
    const john = await createContact(manager, { email: 'john.maier@gmail.com', firstName: 'John', lastName: 'Maier', phone: '+49 30 1234567', city: 'Berlin' });
    const scan = await manager.post('/api/v1/dedup/scan');
    expect(scan.body).toMatchObject({ contacts: 2, candidates: 1 });
    const [pair] = (await manager.get('/api/v1/dedup/candidates')).body.data;
    expect([pair.contactA.email, pair.contactB.email]).toEqual(['jon.meyer@acme.com', 'john.maier@gmail.com']);
    await manager.put('/api/v1/dedup/merge-rules/phone').send({ strategy: 'MOST_RECENT' });
    expect((await manager.get(`/api/v1/contacts/${jon.id}/merge-choices?duplicateId=${john.id}`)).body).toMatchObject({ address: 'USE', phone: 'USE' });
    const log = await manager.post(`/api/v1/contacts/${jon.id}/merge`).send({ duplicateId: john.id });
    expect(log.status).toBe(201);
    expect((await manager.get(`/api/v1/contacts/${jon.id}`)).body.city).toBe('Berlin');
    expect((await manager.post(`/api/v1/merges/${log.body.id}/undo`)).status).toBe(200);
    expect(await t.host.prisma.contact.count()).toBe(2);
  });
});
