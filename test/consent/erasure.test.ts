import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { shippedPlugins } from '../../plugins/index.js';
import type { ContactsServices } from '../../plugins/contacts/index.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';
import { databaseEnv, postgresAvailable } from '../helpers/postgres.js';

const available = await postgresAvailable();

/** The person to erase: values found nowhere else, so any trace of them is theirs. */
const PERSON = {
  email: 'zephyrine.quackenbush@erasure.test',
  firstName: 'Zephyrine',
  lastName: 'Quackenbush',
  phone: '+49 30 98765432',
  mobile: '+49 151 2345 6789',
  country: 'DE',
  notes: 'Prefers calls about the Xanadu-Pumpkin order after five',
};
const NEEDLES = ['zephyrine', 'quackenbush', '98765432', '1512345', 'xanadu-pumpkin'];

for (const kind of ['sqlite', 'postgres'] as const) {
  describe.runIf(kind === 'sqlite' || available)(`erasure and suppression on ${kind}`, () => {
    let t: TestHost;
    let admin: supertest.Agent;
    let rep: supertest.Agent;
    let drop: (() => Promise<void>) | undefined;
    const contacts = () => t.host.services.contacts as ContactsServices;

    /** Every row of every table, as text, that contains one of the needles (lower case). */
    async function traces(): Promise<string[]> {
      const prisma = t.host.prisma;
      const tables =
        kind === 'sqlite'
          ? (await prisma.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM sqlite_master WHERE type = 'table'`)).map((r) => r.name)
          : (
              await prisma.$queryRawUnsafe<{ table_name: string }[]>(
                `SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
              )
            ).map((r) => r.table_name);
      expect(tables).toEqual(expect.arrayContaining(['Contact', 'AuditLog', 'ConsentEvent', 'ContactImportFile', 'Deal', 'MergeLog', 'ContactScore']));
      const found: string[] = [];
      for (const table of tables) {
        const rows = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "${table}"`);
        for (const row of rows) {
          const text = JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('utf8') : v)).toLowerCase();
          // Phones are compared by their digits, wherever spaces or dashes put them.
          const digits = text.replace(/[\s-]/g, '');
          for (const needle of NEEDLES) if (text.includes(needle) || digits.includes(needle)) found.push(`${table}: ${needle} in ${text.slice(0, 300)}`);
        }
      }
      return found;
    }

    beforeAll(async () => {
      const database = await databaseEnv(kind);
      drop = database.drop;
      t = await bootTestHost({ plugins: shippedPlugins, env: database.env, pluginSettings: { contacts: { demoData: false }, scoring: { debounceMs: 10 } } });
      admin = (await t.signIn('ADMIN')).agent;
      rep = (await t.signIn('REP')).agent;
    });
    afterAll(async () => {
      await t.close();
      await drop?.();
    });

    it('erases a person from every table in one go, keeps the deal anonymised, and refuses them back until an admin lifts the suppression', async () => {
      // The person arrives by an import, is edited, gets a timeline, a deal, consent, and a look-alike.
      const csv = `Email,First Name,Last Name,Phone,Notes\n${PERSON.email},${PERSON.firstName},${PERSON.lastName},${PERSON.phone},${PERSON.notes}\nother@erasure.test,Otto,Other,,\n`;
      const up = await rep.post('/api/v1/imports').attach('file', Buffer.from(csv), 'people.csv');
      await rep.post(`/api/v1/imports/${up.body.id}/run`).send({}).expect(202);
      expect(await contacts().imports.waitFor(up.body.id)).toMatchObject({ created: 2 });
      const person = await contacts().contacts.findByEmail(PERSON.email);
      const id = person!.id;
      await rep.patch(`/api/v1/contacts/${id}`).send({ mobile: PERSON.mobile, country: PERSON.country }).expect(200);
      await rep
        .post(`/api/v1/contacts/${id}/notes`)
        .send({ body: `Met ${PERSON.firstName} at the fair` })
        .expect(201);
      await rep
        .post(`/api/v1/contacts/${id}/activities`)
        .send({ type: 'CALL', subject: `Call with ${PERSON.lastName}` })
        .expect(201);
      await rep
        .post(`/api/v1/contacts/${id}/tasks`)
        .send({ title: `Send ${PERSON.firstName} the quote` })
        .expect(201);
      const deal = (
        await rep
          .post('/api/v1/deals')
          .send({ title: `${PERSON.lastName} renewal`, contactId: id, value: 1250 })
          .expect(201)
      ).body;
      await rep
        .post(`/api/v1/contacts/${id}/consent`)
        .send({ channel: 'EMAIL', purpose: 'MARKETING', status: 'OPTED_IN', source: 'web form', occurredAt: '2026-02-02', ip: '198.51.100.4' })
        .expect(201);
      await createContact(rep, { email: 'zq@elsewhere.test', firstName: 'Zephyrin', lastName: 'Quackenbusch' });
      await (t.host.services.scoring as { idle: () => Promise<void> }).idle();
      expect((await traces()).length).toBeGreaterThan(5);

      // A REP may not erase; an admin does, and gets a certificate without personal data.
      expect((await rep.post(`/api/v1/contacts/${id}/erase`).send({})).status).toBe(403);
      const erased = await admin.post(`/api/v1/contacts/${id}/erase`).send({});
      expect(erased.status).toBe(201);
      expect(erased.body).toMatchObject({ contactId: id, via: 'api', suppressed: 3, reference: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      // Consent: the import's PENDING event, the opt-in and the state.
      expect(erased.body.removed).toMatchObject({ consent: 3, contacts: expect.any(Number), scoring: expect.any(Number) });
      expect(JSON.stringify(erased.body).toLowerCase()).not.toMatch(/zephyrine|quackenbush|erasure\.test/);
      expect((await admin.get(`/api/v1/erasure-certificates/${erased.body.id}`)).body).toEqual(erased.body);

      expect(await traces()).toEqual([]);
      const kept = await t.host.prisma.deal.findUnique({ where: { id: deal.id } });
      expect(kept).toMatchObject({ contactId: null, valueCents: 125_000, title: `Deal ${deal.id} (erased contact)` });
      expect(await contacts().gate.canContact(id, 'EMAIL', 'TRANSACTIONAL')).toEqual({ allowed: false, reason: 'NOT_FOUND' });

      // Not back by the API (same email, or a new email with the same phone), nor by an import.
      const again = await rep.post('/api/v1/contacts').send({ email: PERSON.email.toUpperCase(), firstName: 'Z' });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('SUPPRESSED');
      const byPhone = await rep.post('/api/v1/contacts').send({ email: 'new.address@erasure.test', mobile: '+49 151 23456789' });
      expect(byPhone.body.error.code).toBe('SUPPRESSED');
      const reimport = await rep.post('/api/v1/imports').attach('file', Buffer.from(csv.replace('other@', 'another@')), 'old-spreadsheet.csv');
      const preview = (await rep.get(`/api/v1/imports/${reimport.body.id}/preview`)).body;
      expect(preview.rows[0]).toMatchObject({ outcome: 'FAIL', error: expect.stringContaining('SUPPRESSED') });
      await rep.post(`/api/v1/imports/${reimport.body.id}/run`).send({}).expect(202);
      expect(await contacts().imports.waitFor(reimport.body.id)).toMatchObject({ created: 1, failed: 1 });
      const report = (await rep.get(`/api/v1/imports/${reimport.body.id}/errors.csv`)).text;
      expect(report).toContain('SUPPRESSED');
      expect(await contacts().contacts.findByEmail(PERSON.email)).toBeNull();

      // The list shows hashes only; a REP may neither read nor lift it; an admin lifts it and the person may return.
      const list = await admin.get('/api/v1/suppressions');
      expect(list.body.total).toBe(3);
      expect(list.body.items.every((s: { hash: string }) => /^[0-9a-f]{64}$/.test(s.hash))).toBe(true);
      expect((await rep.get('/api/v1/suppressions')).status).toBe(403);
      expect((await rep.delete(`/api/v1/suppressions/${list.body.items[0].id}`)).status).toBe(403);
      expect((await admin.post('/api/v1/suppressions/check').send({ value: ` ${PERSON.email.toUpperCase()} ` })).body).toEqual({ suppressed: true });
      for (const s of list.body.items) await admin.delete(`/api/v1/suppressions/${s.id}`).expect(204);
      expect((await rep.post('/api/v1/contacts').send({ email: PERSON.email })).status).toBe(201);
    });

    it('answers 404 for an unknown contact and 400 for a field it does not know', async () => {
      expect((await admin.post('/api/v1/contacts/999999/erase').send({})).status).toBe(404);
      expect((await admin.post('/api/v1/contacts/1/erase').send({ reason: 'x' })).status).toBe(400);
    });
  });
}
