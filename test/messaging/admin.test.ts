import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { messagingPlugin } from '../../plugins/messaging/index.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { signInAdmin } from '../security/helpers.js';

describe('messaging in the admin', () => {
  let t: TestHost;

  beforeAll(async () => {
    t = await bootTestHost({ plugins: [contactsPlugin, messagingPlugin], admin: true, pluginSettings: { contacts: { demoData: false } } });
  });
  afterAll(() => t.close());

  it('lists messages to a VIEWER, keeps template writes to managers and the outbox to managers, and creates templates through the service', async () => {
    const viewer = (await signInAdmin(t, 'VIEWER')).agent;
    const manager = (await signInAdmin(t, 'MANAGER')).agent;
    expect((await viewer.get('/admin/api/resources/Message/actions/list')).status).toBe(200);
    expect((await viewer.get('/admin/api/resources/OutboxEntry/actions/list')).status).toBe(403);
    expect((await manager.get('/admin/api/resources/OutboxEntry/actions/list')).status).toBe(200);
    expect((await viewer.post('/admin/api/resources/MessageTemplate/actions/new').type('form').send({ name: 'X', subject: 'S', text: 'T' })).status).toBe(403);

    const bad = await manager.post('/admin/api/resources/MessageTemplate/actions/new').type('form').send({ name: 'No subject', text: 'Hello' });
    expect(JSON.stringify(bad.body)).toContain('is required for an email template');
    const created = await manager
      .post('/admin/api/resources/MessageTemplate/actions/new')
      .type('form')
      .send({ name: 'From the admin', subject: 'Hi {{firstName|there}}', text: 'Hello', channel: 'EMAIL', purpose: 'TRANSACTIONAL' });
    expect(created.status).toBe(200);
    expect(await t.host.prisma.messageTemplate.findUnique({ where: { name: 'From the admin' } })).toMatchObject({ purpose: 'TRANSACTIONAL', system: false });
    expect((t.host.services.contacts as ContactsServices).extensions.panels).toContainEqual({
      plugin: 'messaging',
      component: 'MessagesPanel',
      placement: 'hero',
    });
  });
});
