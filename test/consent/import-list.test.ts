import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { consentPlugin } from '../../plugins/consent/index.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';
import { databaseEnv, postgresAvailable } from '../helpers/postgres.js';

const available = await postgresAvailable();

for (const kind of ['sqlite', 'postgres'] as const) {
  describe.runIf(kind === 'sqlite' || available)(`consent in imports and the contact list on ${kind}`, () => {
    let t: TestHost;
    let rep: supertest.Agent;
    let drop: (() => Promise<void>) | undefined;
    const contacts = () => t.host.services.contacts as ContactsServices;
    const stateOf = async (email: string) => {
      const c = await contacts().contacts.findByEmail(email);
      return t.host.prisma.consentState.findUnique({ where: { contactId_channel_purpose: { contactId: c!.id, channel: 'EMAIL', purpose: 'MARKETING' } } });
    };
    const importFile = async (csv: string, name: string) => {
      const up = await rep.post('/api/v1/imports').attach('file', Buffer.from(csv), name);
      expect(up.status).toBe(201);
      return up.body.id as number;
    };
    const run = async (id: number) => {
      await rep.post(`/api/v1/imports/${id}/run`).send({}).expect(202);
      await contacts().imports.waitFor(id);
      await t.host.followUps.idle();
    };

    beforeAll(async () => {
      const database = await databaseEnv(kind);
      drop = database.drop;
      t = await bootTestHost({ plugins: [contactsPlugin, consentPlugin], env: database.env, pluginSettings: { contacts: { demoData: false } } });
      rep = (await t.signIn('REP')).agent;
    });
    afterAll(async () => {
      await t.close();
      await drop?.();
    });

    it('records imported people as IMPORTED and PENDING, with the file and row as evidence', async () => {
      const id = await importFile('Email,First Name\nplain.a@import.test,Ann\nplain.b@import.test,Bob\n', 'fair-2026.csv');
      await run(id);
      const a = await stateOf('plain.a@import.test');
      expect(a).toMatchObject({ status: 'PENDING', type: 'IMPORTED', source: 'import' });
      const event = await t.host.prisma.consentEvent.findUnique({ where: { id: a!.lastEventId } });
      expect(event).toMatchObject({ importId: id, importRow: 1, reference: 'fair-2026.csv', via: 'import' });
      expect((await stateOf('plain.b@import.test'))!.status).toBe('PENDING');
      // The follow-up is idempotent: run again, nothing new.
      expect(await t.host.prisma.consentEvent.count({ where: { importId: id } })).toBe(2);
    });

    it('takes explicit consent columns, and an opt-in without date or source stays PENDING, which the preview says per row', async () => {
      const csv = [
        'Email,Consent,Consent Date,Consent Source,Consent Wording',
        'proven@import.test,yes,2025-09-14,trade show booth,Yes please send me offers',
        'nodate@import.test,yes,,trade show booth,',
        'nosource@import.test,Opted in,2025-09-14,,',
        'out@import.test,unsubscribed,,,',
        'weird@import.test,perhaps,,,',
      ].join('\n');
      const id = await importFile(csv, 'booth.csv');
      const preview = (await rep.get(`/api/v1/imports/${id}/preview`)).body.rows;
      expect(preview.map((r: { notes: string[] }) => r.notes)).toEqual([
        [],
        ['consent: OPTED_IN needs a consent date; imported as PENDING'],
        ['consent: OPTED_IN needs a consent source; imported as PENDING'],
        [],
        ['consent: "perhaps" is not a consent status; imported as PENDING'],
      ]);
      expect(preview.every((r: { outcome: string }) => r.outcome === 'CREATE')).toBe(true);
      await run(id);
      expect(await stateOf('proven@import.test')).toMatchObject({ status: 'OPTED_IN', type: 'EXPLICIT', source: 'trade show booth', basis: 'CONSENT' });
      expect((await stateOf('proven@import.test'))!.occurredAt.toISOString()).toBe('2025-09-14T00:00:00.000Z');
      const proven = await contacts().contacts.findByEmail('proven@import.test');
      const ledger = (await rep.get(`/api/v1/contacts/${proven!.id}/consent`)).body.ledger;
      expect(ledger[0]).toMatchObject({ wording: 'Yes please send me offers', importRow: 1, reference: 'booth.csv' });
      expect(await stateOf('nodate@import.test')).toMatchObject({ status: 'PENDING', type: 'IMPORTED' });
      expect(await stateOf('nosource@import.test')).toMatchObject({ status: 'PENDING' });
      expect(await stateOf('out@import.test')).toMatchObject({ status: 'OPTED_OUT', type: 'EXPLICIT' });
      expect(await stateOf('weird@import.test')).toMatchObject({ status: 'PENDING' });
    });

    it('filters the list by consent and shows a consent column per channel, in the API and the export', async () => {
      const yes = await createContact(rep, { email: 'list.yes@list.test' });
      const no = await createContact(rep, { email: 'list.no@list.test' });
      await createContact(rep, { email: 'list.none@list.test' });
      await rep
        .post(`/api/v1/contacts/${yes.id}/consent`)
        .send({ channel: 'EMAIL', purpose: 'MARKETING', status: 'OPTED_IN', source: 'form', occurredAt: '2026-01-01' });
      await rep.post(`/api/v1/contacts/${yes.id}/consent`).send({ channel: 'SMS', purpose: 'MARKETING', status: 'OPTED_OUT', source: 'form' });
      await rep.post(`/api/v1/contacts/${no.id}/consent`).send({ channel: 'EMAIL', purpose: 'MARKETING', status: 'OPTED_OUT', source: 'form' });
      const emails = async (filter: string) =>
        (await rep.get(`/api/v1/contacts?q=list.test&consent=${filter}`)).body.data.map((c: { email: string }) => c.email).sort();
      expect(await emails('EMAIL:MARKETING:OPTED_IN')).toEqual(['list.yes@list.test']);
      expect(await emails('email:marketing:opted_out')).toEqual(['list.no@list.test']);
      expect(await emails('EMAIL:MARKETING:UNKNOWN')).toEqual(['list.none@list.test']);
      expect(await emails('EMAIL:MARKETING:OPTED_IN,SMS:MARKETING:OPTED_OUT')).toEqual(['list.yes@list.test']);
      for (const bad of ['FAX:MARKETING:OPTED_IN', 'EMAIL:MARKETING:MAYBE', 'EMAIL'])
        expect((await rep.get(`/api/v1/contacts?consent=${bad}`)).status, bad).toBe(400);
      const row = (await rep.get(`/api/v1/contacts?q=list.yes`)).body.data[0];
      expect(row).toMatchObject({ emailConsent: 'OPTED_IN', smsConsent: 'OPTED_OUT', phoneConsent: 'UNKNOWN' });
      expect((await rep.get(`/api/v1/contacts?q=list.none`)).body.data[0]).toMatchObject({ emailConsent: 'UNKNOWN' });
      const fields = (await rep.get('/api/v1/contacts/list-fields')).body;
      expect(fields.filters).toContainEqual({ key: 'consent', label: 'Consent (channel:purpose:status)' });
      const csv = (await rep.get('/api/v1/contacts/export?consent=EMAIL:MARKETING:OPTED_IN&q=list.test')).text;
      expect(csv.split('\n')[0]).toMatch(/,emailConsent,smsConsent,phoneConsent\s*$/);
      expect(csv.split('\n').find((line) => line.includes('list.yes@list.test'))).toMatch(/,OPTED_IN,OPTED_OUT,UNKNOWN\s*$/);
      expect(csv).not.toContain('list.no@list.test');
    });
  });
}
