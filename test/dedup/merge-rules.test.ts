import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin } from '../../plugins/contacts/index.js';
import { dedupPlugin } from '../../plugins/dedup/index.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';

let t: TestHost;
let manager: supertest.Agent;

beforeAll(async () => {
  t = await bootTestHost({ plugins: [contactsPlugin, dedupPlugin], pluginSettings: { contacts: { demoData: false } } });
  manager = (await t.signIn('MANAGER')).agent;
});
afterAll(() => t.close());

const make = async (body: Record<string, unknown>) => (await createContact(manager, body)).id;

const setRule = (field: string, body: Record<string, unknown>) => manager.put(`/api/v1/dedup/merge-rules/${field}`).send(body);
const proposed = async (primary: number, duplicate: number) => (await manager.get(`/api/v1/contacts/${primary}/merge-choices?duplicateId=${duplicate}`)).body;

describe('merge rules', () => {
  it('starts from the defaults: the primary wins, empty fields are filled, lists united, lifecycle forward', async () => {
    const rules = (await manager.get('/api/v1/dedup/merge-rules')).body;
    const byField = Object.fromEntries(rules.map((r: { field: string; strategy: string }) => [r.field, r.strategy]));
    expect(byField).toMatchObject({ email: 'PRIMARY_WINS', jobTitle: 'PRIMARY_WINS', tags: 'UNION', notes: 'UNION', lifecycleStage: 'LIFECYCLE_FORWARD' });
    expect(rules.every((r: { isDefault: boolean }) => r.isDefault)).toBe(true);
    const primary = await make({ email: 'p1@acme.com', firstName: 'Pia', jobTitle: 'Buyer', lifecycleStage: 'QUALIFIED' });
    const duplicate = await make({
      email: 'p1@gmail.com',
      firstName: 'Pia',
      lastName: 'Park',
      jobTitle: 'Head of Buying',
      lifecycleStage: 'ENGAGED',
      city: 'Oslo',
    });
    expect(await proposed(primary, duplicate)).toMatchObject({
      email: 'KEEP',
      lastName: 'USE',
      jobTitle: 'KEEP',
      lifecycleStage: 'KEEP',
      address: 'USE',
      tags: 'COMBINE',
      notes: 'COMBINE',
    });
  });

  it('takes the most recent value where the rule says so, in proposals and in the merge itself', async () => {
    expect((await setRule('jobTitle', { strategy: 'MOST_RECENT' })).body).toMatchObject({ field: 'jobTitle', strategy: 'MOST_RECENT', isDefault: false });
    const primary = await make({ email: 'r1@acme.com', firstName: 'Rui', jobTitle: 'Buyer' });
    const duplicate = await make({ email: 'r1@gmail.com', firstName: 'Rui', jobTitle: 'Head of Buying' });
    expect((await proposed(primary, duplicate)).jobTitle).toBe('USE');
    // Editing the primary makes its title the newer one.
    await new Promise((r) => setTimeout(r, 5));
    await manager.patch(`/api/v1/contacts/${primary}`).send({ jobTitle: 'Chief Buyer' });
    expect((await proposed(primary, duplicate)).jobTitle).toBe('KEEP');
    await manager.patch(`/api/v1/contacts/${duplicate}`).send({ jobTitle: 'VP Buying' });
    expect((await manager.post(`/api/v1/contacts/${primary}/merge`).send({ duplicateId: duplicate })).status).toBe(201);
    expect((await manager.get(`/api/v1/contacts/${primary}`)).body.jobTitle).toBe('VP Buying');
  });

  it('trusts the lead source ranked higher, and a user choice still overrides the rule', async () => {
    expect((await setRule('phone', { strategy: 'MOST_TRUSTED_SOURCE', trustedSources: 'Sales call, Webinar, Website' })).status).toBe(200);
    const primary = await make({ email: 't1@acme.com', phone: '+49 30 111111', leadSource: 'website' });
    const duplicate = await make({ email: 't1@gmail.com', phone: '+49 30 222222', leadSource: 'Sales call' });
    expect((await proposed(primary, duplicate)).phone).toBe('USE');
    expect((await proposed(duplicate, primary)).phone).toBe('KEEP');
    const merged = await manager.post(`/api/v1/contacts/${primary}/merge`).send({ duplicateId: duplicate, choices: { phone: 'KEEP' } });
    expect(merged.status).toBe(201);
    expect((await manager.get(`/api/v1/contacts/${primary}`)).body.phone).toBe('+4930111111');
  });

  it('keeps the primary tags only when tags are set to primary wins, and resets to the default', async () => {
    expect((await setRule('tags', { strategy: 'PRIMARY_WINS' })).status).toBe(200);
    const primary = await make({ email: 'g1@acme.com', tags: ['vip'] });
    const duplicate = await make({ email: 'g1@gmail.com', tags: ['newsletter'] });
    await manager.post(`/api/v1/contacts/${primary}/merge`).send({ duplicateId: duplicate });
    expect((await manager.get(`/api/v1/contacts/${primary}`)).body.tags).toEqual(['vip']);
    expect((await manager.delete('/api/v1/dedup/merge-rules/tags')).body).toMatchObject({ strategy: 'UNION', isDefault: true });
  });

  it('settles the contacts an import updates by the rules set for their fields; other fields take the file', async () => {
    await setRule('jobTitle', { strategy: 'PRIMARY_WINS' });
    await setRule('lifecycleStage', { strategy: 'LIFECYCLE_FORWARD' });
    await setRule('notes', { strategy: 'UNION' });
    await setRule('tags', { strategy: 'PRIMARY_WINS' });
    const id = await make({ email: 'imp@acme.com', jobTitle: 'Buyer', lifecycleStage: 'CUSTOMER', city: 'Oslo', notes: 'Met in May', tags: ['vip'] });
    const csv = 'Email,Job Title,Lifecycle Stage,City,Notes,Tags,Phone\nimp@acme.com,Intern,New,Bergen,Asked for a quote,newsletter,+47 22 33 44 55\n';
    const up = await manager.post('/api/v1/imports').attach('file', Buffer.from(csv), 'update.csv');
    expect((await manager.patch(`/api/v1/imports/${up.body.id}`).send({ onDuplicate: 'UPDATE' })).status).toBe(200);
    await manager.post(`/api/v1/imports/${up.body.id}/run`).send({});
    const imports = (t.host.services.contacts as { imports: { waitFor: (id: number) => Promise<unknown> } }).imports;
    expect(await imports.waitFor(up.body.id)).toMatchObject({ updated: 1 });
    const contact = (await manager.get(`/api/v1/contacts/${id}`)).body;
    expect(contact).toMatchObject({
      jobTitle: 'Buyer',
      lifecycleStage: 'CUSTOMER',
      city: 'Bergen',
      phone: '+4722334455',
      notes: 'Met in May',
      tags: ['vip'],
    });
    // The file's note is added to the contact's notes (a rule of KEEP would leave it out).
    expect((await manager.get(`/api/v1/contacts/${id}/notes`)).body.map((n: { body: string }) => n.body)).toEqual(['Asked for a quote']);
    for (const field of ['jobTitle', 'lifecycleStage', 'notes', 'tags']) await manager.delete(`/api/v1/dedup/merge-rules/${field}`);
  });

  it('refuses a rule a field cannot use, a trust rule without sources, unknown fields, and reps', async () => {
    const union = await setRule('email', { strategy: 'UNION' });
    expect(union.status).toBe(400);
    expect(union.body.error.issues).toEqual([expect.objectContaining({ path: 'strategy' })]);
    expect((await setRule('phone', { strategy: 'MOST_TRUSTED_SOURCE' })).body.error.issues).toEqual([expect.objectContaining({ path: 'trustedSources' })]);
    expect((await setRule('shoeSize', { strategy: 'MOST_RECENT' })).status).toBe(404);
    expect((await setRule('email', { strategy: 'NEWEST' })).status).toBe(400);
    const rep = (await t.signIn('REP')).agent;
    expect((await rep.put('/api/v1/dedup/merge-rules/email').send({ strategy: 'MOST_RECENT' })).status).toBe(403);
  });
});
