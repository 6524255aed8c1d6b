import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { consentPlugin } from '../../plugins/consent/index.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';
import { signInAdmin } from '../security/helpers.js';
import { databaseEnv, postgresAvailable } from '../helpers/postgres.js';

const available = await postgresAvailable();

for (const kind of ['sqlite', 'postgres'] as const) {
  describe.runIf(kind === 'sqlite' || available)(`consent in the admin on ${kind}`, () => {
    let t: TestHost;
    let drop: (() => Promise<void>) | undefined;
    const contacts = () => t.host.services.contacts as ContactsServices;

    beforeAll(async () => {
      const database = await databaseEnv(kind);
      drop = database.drop;
      t = await bootTestHost({ plugins: [contactsPlugin, consentPlugin], admin: true, env: database.env, pluginSettings: { contacts: { demoData: false } } });
    });
    afterAll(async () => {
      await t.close();
      await drop?.();
    });

    it('approves and executes an erasure request (admins only), shows requests due on the dashboard, and puts the consent panel on the contact page', async () => {
      const admin = (await signInAdmin(t, 'ADMIN')).agent;
      const manager = (await signInAdmin(t, 'MANAGER')).agent;
      const rep = (await signInAdmin(t, 'REP')).agent;
      const person = await createContact(admin, { email: 'admin.erase@consent.test', firstName: 'Ari' });
      const request = (
        await manager.post('/api/v1/dsr').send({ type: 'ERASURE', contactId: person.id, requester: 'Ari', verification: 'called back on file number' })
      ).body;

      const dashboard = (await admin.get('/admin/api/dashboard')).body;
      expect(dashboard.widgets).toContainEqual(expect.objectContaining({ name: 'data-requests', title: 'Data requests due', value: 1 }));
      expect(contacts().extensions.panels).toContainEqual({ plugin: 'consent', component: 'ConsentPanel', placement: 'hero' });

      const action = (who: typeof admin, name: string) => who.post(`/admin/api/resources/DataSubjectRequest/records/${request.id}/${name}`).send({});
      expect((await action(rep, 'approve')).status).toBe(403);
      const approved = await action(manager, 'approve');
      expect(approved.status).toBe(200);
      expect(approved.body.notice).toMatchObject({ message: 'Request approved', type: 'success' });
      expect((await action(manager, 'execute')).status).toBe(403);
      const executed = await action(admin, 'execute');
      expect(executed.body.notice.message).toMatch(/^Contact erased: certificate [0-9a-f-]{36}$/);
      expect(await contacts().contacts.findByEmail('admin.erase@consent.test')).toBeNull();
      expect(await t.host.prisma.dataSubjectRequest.findUnique({ where: { id: request.id } })).toMatchObject({ status: 'COMPLETED', requester: '[erased]' });

      // The ledger is read-only in the admin too; the suppression list is for admins.
      expect((await admin.post('/admin/api/resources/ConsentEvent/actions/new').send({})).status).toBe(403);
      expect((await rep.get('/admin/api/resources/Suppression/actions/list')).status).toBe(403);
      const suppressions = (await admin.get('/admin/api/resources/Suppression/actions/list')).body.records;
      expect(suppressions).toHaveLength(1);
      const lifted = await admin.post(`/admin/api/resources/Suppression/records/${suppressions[0].id}/delete`).send({});
      expect(lifted.body.notice).toMatchObject({ message: 'Suppression lifted' });
      expect((await createContact(admin, { email: 'admin.erase@consent.test' })).email).toBe('admin.erase@consent.test');
    });
  });
}
