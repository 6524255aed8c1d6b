import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin } from '../../plugins/contacts/index.js';
import { dedupPlugin } from '../../plugins/dedup/index.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';

let t: TestHost;
let manager: supertest.Agent;
const idle = () => (t.host.services.dedup as { idle: () => Promise<void> }).idle();

beforeAll(async () => {
  t = await bootTestHost({ plugins: [contactsPlugin, dedupPlugin], pluginSettings: { contacts: { demoData: false } } });
  manager = (await t.signIn('MANAGER')).agent;
});
afterAll(() => t.close());

const make = (body: Record<string, unknown>) => createContact(manager, body);

describe('duplicate candidates', () => {
  it('finds a new contact that looks like an existing one, with score and reasons', async () => {
    const acme = (await manager.post('/api/v1/companies').send({ name: 'Acme' })).body;
    const jon = await make({ email: 'jon.meyer@acme.com', firstName: 'Jon', lastName: 'Meyer', companyId: acme.id, phone: '+49 30 1234567' });
    const johnRes = await manager
      .post('/api/v1/contacts')
      .send({ email: 'john.maier@gmail.com', firstName: 'John', lastName: 'Maier', phone: '+49 30 1234567' });
    expect(johnRes.status).toBe(201);
    // The answer to the create already names the look-alike; the write was not held up by it.
    expect(johnRes.body.possibleDuplicates).toEqual([
      expect.objectContaining({ id: jon.id, email: 'jon.meyer@acme.com', reasons: expect.arrayContaining([expect.stringMatching(/^phone: same/)]) }),
    ]);
    const john = johnRes.body as { id: number };
    await make({ email: 'someone.else@acme.com', firstName: 'Petra', lastName: 'Meyer', companyId: acme.id });
    await idle();
    const list = (await manager.get('/api/v1/dedup/candidates')).body;
    expect(list.total).toBe(1);
    const [pair] = list.data;
    expect([pair.contactAId, pair.contactBId]).toEqual([jon.id, john.id]);
    expect(pair.score).toBeGreaterThanOrEqual(0.8);
    expect(pair.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^phone: same/)]));
    expect(pair.contactA.email).toBe('jon.meyer@acme.com');
    expect((await manager.get('/api/v1/dedup/candidates?minScore=0.99')).body.total).toBe(0);
  });

  it('keeps a dismissed pair away until one of its contacts changes', async () => {
    const [pair] = (await manager.get('/api/v1/dedup/candidates')).body.data;
    expect((await manager.post(`/api/v1/dedup/candidates/${pair.id}/dismiss`)).body.status).toBe('DISMISSED');
    const scan = (await manager.post('/api/v1/dedup/scan')).body;
    expect(scan).toMatchObject({ contacts: 3, candidates: 0, created: 0, reopened: 0 });
    await new Promise((r) => setTimeout(r, 5));
    await manager.patch(`/api/v1/contacts/${pair.contactBId}`).send({ jobTitle: 'CTO' });
    await idle();
    const reopened = (await manager.get('/api/v1/dedup/candidates')).body.data;
    expect(reopened.map((c: { id: number }) => c.id)).toEqual([pair.id]);
  });

  it('drops pairs of a deleted contact, and leaves scanning to managers', async () => {
    const [pair] = (await manager.get('/api/v1/dedup/candidates')).body.data;
    await manager.delete(`/api/v1/contacts/${pair.contactBId}`);
    expect((await manager.get('/api/v1/dedup/candidates?status=DISMISSED')).body.total).toBe(0);
    expect((await manager.get('/api/v1/dedup/candidates')).body.total).toBe(0);
    const rep = (await t.signIn('REP')).agent;
    expect((await rep.post('/api/v1/dedup/scan')).status).toBe(403);
  });
});

describe('personal evidence against the family rule', () => {
  it('takes a date of birth from a custom field: relatives stay apart, the same birthday makes them a pair', async () => {
    expect((await manager.post('/api/v1/custom-fields').send({ key: 'date_of_birth', label: 'Date of birth', type: 'DATE' })).status).toBe(201);
    const home = { lastName: 'Okafor', street: '9 Baker Street', postalCode: '2000', city: 'Sydney', phone: '+61 2 9999 0000' };
    const a = await make({ ...home, email: 'ada.okafor@example.org', firstName: 'Ada', customFields: { date_of_birth: '1961-03-04' } });
    const b = await make({ ...home, email: 'chi.okafor@example.org', firstName: 'Chinedu', customFields: { date_of_birth: '1990-11-20' } });
    await idle();
    const between = async () =>
      (await manager.get('/api/v1/dedup/candidates')).body.data.filter(
        (c: { contactAId: number; contactBId: number }) => [c.contactAId, c.contactBId].sort().join() === [a.id, b.id].sort().join(),
      );
    expect(await between()).toEqual([]);
    await manager.patch(`/api/v1/contacts/${b.id}`).send({ customFields: { date_of_birth: '1961-03-04' } });
    await idle();
    const [pair] = await between();
    expect(pair.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^date of birth: same \+/)]));
  });
});

describe('the nightly scan and imports', () => {
  it('checks only the contacts changed since its last run, and checks imported contacts at once', async () => {
    const own = await bootTestHost({ plugins: [contactsPlugin, dedupPlugin], pluginSettings: { contacts: { demoData: false } } });
    try {
      const agent = (await own.signIn('MANAGER')).agent;
      const ownIdle = () => (own.host.services.dedup as { idle: () => Promise<void> }).idle();
      const ids: number[] = [];
      for (const [first, last, phone] of [
        ['Ada', 'Berg', '+49 30 4444444'],
        ['Ben', 'Cole', null],
        ['Cleo', 'Dunn', null],
      ]) {
        ids.push(
          (await agent.post('/api/v1/contacts').send({ email: `${first!.toLowerCase()}@example.com`, firstName: first, lastName: last, phone })).body.id,
        );
      }
      await ownIdle();
      expect((await own.host.jobs.runNow('dedup.scan')).counts).toMatchObject({ checked: 3, created: 0 });
      expect((await own.host.jobs.runNow('dedup.scan')).counts).toMatchObject({ checked: 0, pairsCompared: 0 });
      await agent.patch(`/api/v1/contacts/${ids[1]}`).send({ jobTitle: 'Buyer' });
      await ownIdle();
      expect((await own.host.jobs.runNow('dedup.scan')).counts).toMatchObject({ checked: 1 });

      const csv = 'Email,First Name,Last Name,Phone\nada.berg@gmail.com,Ada,Berg,+49 30 4444444\nzed@example.com,Zed,Zulu,\n';
      const up = await agent.post('/api/v1/imports').attach('file', Buffer.from(csv), 'people.csv');
      await agent.post(`/api/v1/imports/${up.body.id}/run`).send({});
      await (own.host.services.contacts as { imports: { waitFor: (id: number) => Promise<unknown> } }).imports.waitFor(up.body.id);
      await ownIdle();
      const pairs = (await agent.get('/api/v1/dedup/candidates')).body.data;
      expect(pairs.map((p: { contactA: { email: string }; contactB: { email: string } }) => [p.contactA.email, p.contactB.email])).toEqual([
        ['ada@example.com', 'ada.berg@gmail.com'],
      ]);
    } finally {
      await own.close();
    }
  });
});
