import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { dedupPlugin } from '../../plugins/dedup/index.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';
import { createTestDatabase, postgresAvailable } from '../helpers/postgres.js';

/**
 * A merge keeps the duplicate's email on the survivor as a secondary email: search, the duplicate
 * check and a re-import of the duplicate's row find the survivor. An undo gives the address back and
 * reopens the pair. The same story on SQLite and PostgreSQL.
 */
function secondaryEmailStory(name: string, boot: () => Promise<{ t: TestHost; drop?: () => Promise<void> }>, enabled = true) {
  describe.runIf(enabled)(name, () => {
    let t: TestHost;
    let drop: (() => Promise<void>) | undefined;
    let manager: supertest.Agent;

    beforeAll(async () => {
      ({ t, drop } = await boot());
      manager = (await t.signIn('MANAGER')).agent;
    });
    afterAll(async () => {
      await t?.close();
      await drop?.();
    });

    const importRows = async (csv: string, onDuplicate: 'FLAG' | 'SKIP' | 'UPDATE') => {
      const upload = await manager.post('/api/v1/imports').attach('file', Buffer.from(csv), 'again.csv');
      expect(upload.status).toBe(201);
      await manager.patch(`/api/v1/imports/${upload.body.id}`).send({ onDuplicate });
      expect((await manager.post(`/api/v1/imports/${upload.body.id}/run`).send({})).status).toBe(202);
      return { id: upload.body.id as number, result: await (t.host.services.contacts as ContactsServices).imports.waitFor(upload.body.id) };
    };

    it('keeps the merged email on the survivor; search, the duplicate check and re-imports find it; undo reopens the pair', async () => {
      const jon = await createContact(manager, { email: 'jon.meyer@acme.com', firstName: 'Jon', lastName: 'Meyer', phone: '+49 30 1234567' });
      const john = await createContact(manager, { email: 'john.maier@gmail.com', firstName: 'John', lastName: 'Maier', phone: '+49 30 1234567' });
      await manager.post('/api/v1/dedup/scan');
      const [pair] = (await manager.get('/api/v1/dedup/candidates')).body.data;
      expect(pair.status).toBe('OPEN');

      const merged = await manager.post(`/api/v1/contacts/${jon.id}/merge`).send({ duplicateId: john.id });
      expect(merged.status).toBe(201);
      const survivor = (await manager.get(`/api/v1/contacts/${jon.id}`)).body;
      expect(survivor.email).toBe('jon.meyer@acme.com');
      expect(survivor.secondaryEmails).toEqual(['john.maier@gmail.com']);
      // Search finds the survivor by the merged address.
      const found = (await manager.get('/api/v1/contacts?q=john.maier%40gmail')).body.data;
      expect(found.map((c: { id: number }) => c.id)).toEqual([jon.id]);
      // Creating the merged address again is refused, naming the survivor.
      const again = await manager.post('/api/v1/contacts').send({ email: 'John.Maier@gmail.com', firstName: 'John' });
      expect(again.status).toBe(409);
      expect(again.body.error.details.existingId).toBe(jon.id);
      // Nor can another contact take it.
      const other = await createContact(manager, { email: 'someone@else.test' });
      expect((await manager.patch(`/api/v1/contacts/${other.id}`).send({ email: 'john.maier@gmail.com' })).status).toBe(409);

      // The next import of the duplicate's row meets the survivor: flagged, or updating it; never a new contact.
      const flagged = await importRows('Email,First Name,Job Title\njohn.maier@gmail.com,John,Buyer\n', 'FLAG');
      expect(flagged.result).toMatchObject({ created: 0, flagged: 1 });
      const rows = (await manager.get(`/api/v1/imports/${flagged.id}/rows?outcome=FLAGGED`)).body.data;
      expect(rows[0].contactId).toBe(jon.id);
      const updated = await importRows('Email,First Name,Job Title\njohn.maier@gmail.com,John,Buyer\n', 'UPDATE');
      expect(updated.result).toMatchObject({ created: 0, updated: 1 });
      expect(await t.host.prisma.contact.count({ where: { email: 'john.maier@gmail.com' } })).toBe(0);
      expect((await manager.get(`/api/v1/contacts/${jon.id}`)).body).toMatchObject({ jobTitle: 'Buyer', secondaryEmails: ['john.maier@gmail.com'] });
      // The update kept the merged address searchable, and so does its revert.
      expect((await manager.get('/api/v1/contacts?q=john.maier%40gmail')).body.data.map((c: { id: number }) => c.id)).toEqual([jon.id]);
      expect((await manager.post(`/api/v1/imports/${updated.id}/revert`)).status).toBe(200);
      expect((await manager.get(`/api/v1/contacts/${jon.id}`)).body.jobTitle).not.toBe('Buyer');
      expect((await manager.get('/api/v1/contacts?q=john.maier%40gmail')).body.data.map((c: { id: number }) => c.id)).toEqual([jon.id]);

      // Undo: the duplicate has its address back, the survivor no longer holds it, the pair is open again.
      expect((await manager.post(`/api/v1/merges/${merged.body.id}/undo`)).status).toBe(200);
      await (t.host.services.dedup as { idle: () => Promise<void> }).idle();
      expect((await manager.get(`/api/v1/contacts/${jon.id}`)).body.secondaryEmails).toEqual([]);
      expect((await manager.get(`/api/v1/contacts/${john.id}`)).body.email).toBe('john.maier@gmail.com');
      expect((await manager.get('/api/v1/contacts?q=john.maier%40gmail')).body.data.map((c: { id: number }) => c.id)).toEqual([john.id]);
      const open = (await manager.get('/api/v1/dedup/candidates')).body.data;
      expect(open.map((p: { id: number; status: string }) => [p.id, p.status])).toEqual([[pair.id, 'OPEN']]);
    });

    it('keeps the survivor’s own old address when it takes the duplicate’s email, and undo restores both', async () => {
      const a = await createContact(manager, { email: 'mia.wong@acme.com', firstName: 'Mia', lastName: 'Wong' });
      const b = await createContact(manager, { email: 'mia.w@gmail.com', firstName: 'Mia', lastName: 'Wong' });
      const merged = await manager.post(`/api/v1/contacts/${a.id}/merge`).send({ duplicateId: b.id, choices: { email: 'USE' } });
      expect(merged.status).toBe(201);
      expect((await manager.get(`/api/v1/contacts/${a.id}`)).body).toMatchObject({ email: 'mia.w@gmail.com', secondaryEmails: ['mia.wong@acme.com'] });
      // Taking the secondary address back as its email swaps the two.
      const swapped = await manager.patch(`/api/v1/contacts/${a.id}`).send({ email: 'mia.wong@acme.com' });
      expect(swapped.status).toBe(200);
      expect((await manager.get(`/api/v1/contacts/${a.id}`)).body).toMatchObject({ email: 'mia.wong@acme.com', secondaryEmails: ['mia.w@gmail.com'] });
      await manager.patch(`/api/v1/contacts/${a.id}`).send({ email: 'mia.w@gmail.com' });
      expect((await manager.post(`/api/v1/merges/${merged.body.id}/undo`)).status).toBe(200);
      expect((await manager.get(`/api/v1/contacts/${a.id}`)).body).toMatchObject({ email: 'mia.wong@acme.com', secondaryEmails: [] });
      expect((await manager.get(`/api/v1/contacts/${b.id}`)).body).toMatchObject({ email: 'mia.w@gmail.com', secondaryEmails: [] });
    });
  });
}

const plugins = [contactsPlugin, dedupPlugin];
const pluginSettings = { contacts: { demoData: false } };

secondaryEmailStory('secondary emails after a merge (SQLite)', async () => ({ t: await bootTestHost({ plugins, pluginSettings }) }));

secondaryEmailStory(
  'secondary emails after a merge (PostgreSQL)',
  async () => {
    const db = await createTestDatabase();
    return { t: await bootTestHost({ env: { DATABASE_URL: db.url }, plugins, pluginSettings }), drop: db.drop };
  },
  await postgresAvailable(),
);
