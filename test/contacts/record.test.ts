import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin } from '../../plugins/contacts/index.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';

/** What the record pages read from the API: values as a person reads them, and how calls and meetings went. */
describe('record pages over the API', () => {
  let t: TestHost;
  let rep: supertest.Agent;

  beforeAll(async () => {
    t = await bootTestHost({ plugins: [contactsPlugin], pluginSettings: { contacts: { demoData: false } } });
    rep = (await t.signIn('REP')).agent;
  });
  afterAll(() => t.close());

  it('gives phones in the form of the contact’s country and the country’s name', async () => {
    const company = (await rep.post('/api/v1/companies').send({ name: 'Globex', country: 'GB', phone: '+44 20 7946 0018' })).body;
    const c = await createContact(rep, { email: 'ada@record.test', phone: '+49 30 1234567', mobile: '+44 7911 123456', country: 'DE', companyId: company.id });
    expect((await rep.get(`/api/v1/contacts/${c.id}`)).body.display).toEqual({ phone: '030 1234567', mobile: '+44 7911 123456', country: 'Germany' });
    expect((await rep.get(`/api/v1/companies/${company.id}`)).body.display).toEqual({ phone: '020 7946 0018', country: 'United Kingdom' });
  });

  it('logs a call’s duration and outcome, refuses an outcome that does not fit, and names lifecycle stages in words', async () => {
    const c = await createContact(rep, { email: 'bo@record.test' });
    const call = await rep.post(`/api/v1/contacts/${c.id}/activities`).send({ type: 'CALL', subject: 'Intro', durationMinutes: 12, outcome: 'NO_ANSWER' });
    expect(call.status).toBe(201);
    expect(call.body.metadata).toEqual({ durationMinutes: 12, outcome: 'NO_ANSWER' });
    const wrong = await rep.post(`/api/v1/contacts/${c.id}/activities`).send({ type: 'MEETING', outcome: 'NO_ANSWER' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toContain('outcome');
    const note = await rep.post(`/api/v1/contacts/${c.id}/activities`).send({ type: 'NOTE', body: 'x', durationMinutes: 5 });
    expect(note.status).toBe(400);
    expect(note.body.error.message).toContain('durationMinutes');
    expect(await t.host.prisma.activity.count({ where: { contactId: c.id } })).toBe(1);

    await rep.post(`/api/v1/contacts/${c.id}/lifecycle`).send({ stage: 'QUALIFIED' });
    const [moved] = (await rep.get(`/api/v1/contacts/${c.id}/activities?filter=EVERYTHING`)).body.data;
    expect(moved.subject).toBe('Lifecycle: New → Qualified');
  });
});
