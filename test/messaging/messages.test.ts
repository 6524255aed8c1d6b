import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { messagingPlugin } from '../../plugins/messaging/index.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';
import { databaseEnv, postgresAvailable } from '../helpers/postgres.js';
import { optOutFixture } from './gate-fixture.js';
import { SmtpSink } from './smtp-sink.js';

const available = await postgresAvailable();
const waitUntil = async (check: () => Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
};

for (const kind of ['sqlite', 'postgres'] as const) {
  describe.runIf(kind === 'sqlite' || available)(`one-off messages and templates over real SMTP, on ${kind}`, () => {
    let t: TestHost;
    let manager: supertest.Agent;
    let rep: supertest.Agent;
    let drop: (() => Promise<void>) | undefined;
    const sink = new SmtpSink();
    const gate = optOutFixture();

    beforeAll(async () => {
      await sink.start();
      const database = await databaseEnv(kind);
      drop = database.drop;
      t = await bootTestHost({
        plugins: [contactsPlugin, gate.plugin, messagingPlugin],
        env: database.env,
        pluginSettings: {
          contacts: { demoData: false },
          messaging: { smtpUrl: sink.url, from: 'Sales <sales@crm.example.test>', publicUrl: 'https://crm.example.test', retryBaseMs: 50, maxAttempts: 3 },
        },
      });
      manager = (await t.signIn('MANAGER')).agent;
      rep = (await t.signIn('REP')).agent;
    });
    afterAll(async () => {
      await t.close();
      await sink.close();
      await drop?.();
    });

    const template = async (body: Record<string, unknown>) => {
      const res = await manager.post('/api/v1/templates').send(body);
      expect(res.status).toBe(201);
      return res.body as { id: number };
    };

    it('sends a templated email with a stable Message-ID, one-click opt-out headers and text and HTML parts', async () => {
      const ann = await createContact(manager, { email: 'ann@example.test', firstName: 'Ann', lastName: 'Lee', customFields: {} });
      const tpl = await template({
        name: 'Intro',
        subject: 'Hello {{firstName}}',
        html: '<p>Hello {{firstName}} at {{company|your company}}</p><p><a href="https://example.test/offer?a=1&amp;b=2">Offer</a></p>',
        text: 'Hello {{firstName}} at {{company|your company}}',
      });
      const res = await rep.post('/api/v1/messages').send({ contactId: ann.id, templateId: tpl.id });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'SENT', channel: 'EMAIL', direction: 'OUTBOUND', purpose: 'MARKETING', toAddress: 'ann@example.test' });
      expect(sink.to('ann@example.test')).toHaveLength(1);

      const mail = await sink.parsed();
      expect(mail.messageId).toBe(res.body.messageId);
      expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@crm\.example\.test>$/);
      expect(mail.subject).toBe('Hello Ann');
      expect(mail.header('list-unsubscribe')).toBe(`<https://crm.example.test/u/${ann.id}?c=EMAIL&p=MARKETING&sig=abc>`);
      expect(mail.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
      expect(mail.text?.trim()).toBe('Hello Ann at your company');
      expect(mail.html).toContain('<p>Hello Ann at your company</p>');
      expect(mail.html).toMatch(/href="https:\/\/crm\.example\.test\/t\/c\//);
      expect(sink.received.at(-1)!.raw).toMatch(/Content-Type: multipart\/alternative/i);

      const timeline = (await manager.get(`/api/v1/contacts/${ann.id}/activities`)).body;
      expect(JSON.stringify(timeline)).toContain('EMAIL_SENT');
    });

    it('escapes contact values in HTML and reports a variable without value instead of sending "Hello ,"', async () => {
      const bob = await createContact(manager, { email: 'bob@example.test', firstName: '<b>Bob</b> & co' });
      const noName = await createContact(manager, { email: 'noname@example.test' });
      const tpl = await template({ name: 'Plain hello', purpose: 'TRANSACTIONAL', subject: 'Hi', html: '<p>Hello {{firstName}},</p>' });
      const before = sink.received.length;

      const sent = await rep.post('/api/v1/messages').send({ contactId: bob.id, templateId: tpl.id });
      expect(sent.status).toBe(201);
      expect((await sink.parsed()).html).toContain('<p>Hello &lt;b&gt;Bob&lt;/b&gt; &amp; co,</p>');

      const refused = await rep.post('/api/v1/messages').send({ contactId: noName.id, templateId: tpl.id });
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('MISSING_VARIABLES');
      expect(refused.body.error.issues).toEqual([{ path: 'variables.firstName', message: 'has no value for this contact' }]);
      expect(sink.received.length).toBe(before + 1);

      const preview = await rep.post(`/api/v1/templates/${tpl.id}/preview`).send({ contactId: noName.id });
      expect(preview.status).toBe(200);
      expect(preview.body).toMatchObject({ missing: ['firstName'], variables: ['firstName'] });
      const good = await rep.post(`/api/v1/templates/${tpl.id}/preview`).send({ contactId: bob.id });
      expect(good.body).toMatchObject({ missing: [], html: '<p>Hello &lt;b&gt;Bob&lt;/b&gt; &amp; co,</p>' });
    });

    it('answers 422 CONSENT_REQUIRED with the gate’s reason and sends nothing; transactional mail still goes', async () => {
      const cara = await createContact(manager, { email: 'cara@example.test', firstName: 'Cara' });
      gate.refused.set(cara.id, 'OPTED_OUT');
      const before = sink.received.length;
      const res = await rep.post('/api/v1/messages').send({ contactId: cara.id, subject: 'Offer', body: 'Buy now, {{firstName}}' });
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'CONSENT_REQUIRED', details: { reason: 'OPTED_OUT', channel: 'EMAIL', purpose: 'MARKETING' } });
      expect(sink.received.length).toBe(before);
      expect((await manager.get(`/api/v1/messages?contactId=${cara.id}`)).body.total).toBe(0);

      const receipt = await rep
        .post('/api/v1/messages')
        .send({ contactId: cara.id, purpose: 'TRANSACTIONAL', subject: 'Your invoice', body: 'Attached, {{firstName}}' });
      expect(receipt.status).toBe(201);
      expect(sink.to('cara@example.test')).toHaveLength(1);
    });

    it('lets a VIEWER read but not send, and checks the template roles', async () => {
      const viewer = (await t.signIn('VIEWER')).agent;
      const dan = await createContact(manager, { email: 'dan@example.test', firstName: 'Dan' });
      const before = sink.received.length;
      const res = await viewer.post('/api/v1/messages').send({ contactId: dan.id, purpose: 'TRANSACTIONAL', subject: 'Hi', body: 'Hello' });
      expect(res.status).toBe(403);
      expect(sink.received.length).toBe(before);
      expect((await viewer.get('/api/v1/messages')).status).toBe(200);
      expect((await viewer.get('/api/v1/templates')).status).toBe(200);
      expect((await rep.post('/api/v1/templates').send({ name: 'Rep template', subject: 'x', text: 'y' })).status).toBe(403);
      expect((await t.request().get('/api/v1/messages')).status).toBe(401);
    });

    it('names the field of bad input and writes nothing', async () => {
      const bad = await rep.post('/api/v1/messages').send({ contactId: 999_999, subject: 'x', body: 'y' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.issues[0].path).toBe('body.contactId');
      const both = await rep.post('/api/v1/messages').send({ contactId: 1, templateId: 1, body: 'y' });
      expect(both.status).toBe(400);
      expect(both.body.error.issues[0].path).toBe('body.templateId');
      const tpl = await manager.post('/api/v1/templates').send({ name: 'No subject', text: 'x' });
      expect(tpl.status).toBe(400);
      expect(tpl.body.error.issues[0].path).toBe('body.subject');
    });

    it('retries a temporary SMTP failure with backoff and fails a 5xx answer at once', async () => {
      const eve = await createContact(manager, { email: 'eve@example.test', firstName: 'Eve' });
      let refusals = 2;
      sink.answer = (to) => (to === 'eve@example.test' && refusals-- > 0 ? { code: 451, message: 'Try again later' } : undefined);
      const res = await rep.post('/api/v1/messages').send({ contactId: eve.id, purpose: 'TRANSACTIONAL', subject: 'Retry me', body: 'Hello' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'QUEUED', attempts: 1 });
      expect(res.body.error).toContain('Try again later');
      await waitUntil(async () => (await manager.get(`/api/v1/messages/${res.body.id}`)).body.status === 'SENT');
      expect((await manager.get(`/api/v1/messages/${res.body.id}`)).body.attempts).toBe(3);
      expect(sink.to('eve@example.test')).toHaveLength(1);

      sink.answer = (to) => (to === 'eve@example.test' ? { code: 554, message: 'Message rejected as spam' } : undefined);
      const failed = await rep.post('/api/v1/messages').send({ contactId: eve.id, purpose: 'TRANSACTIONAL', subject: 'Spammy', body: 'Hello' });
      expect(failed.body).toMatchObject({ status: 'FAILED', attempts: 1 });
      expect(failed.body.error).toContain('spam');
      sink.answer = () => undefined;
    });

    it('marks a message refused at RCPT TO as a hard bounce, and the address is refused afterwards', async () => {
      const gone = await createContact(manager, { email: 'gone@example.test', firstName: 'Gus' });
      sink.rcpt = (to) => (to === 'gone@example.test' ? { code: 550, message: 'No such user' } : undefined);
      const res = await rep.post('/api/v1/messages').send({ contactId: gone.id, purpose: 'TRANSACTIONAL', subject: 'Hi', body: 'Hello' });
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('BOUNCED');
      sink.rcpt = () => undefined;
      const again = await rep.post('/api/v1/messages').send({ contactId: gone.id, purpose: 'TRANSACTIONAL', subject: 'Hi', body: 'Hello' });
      expect(again.status).toBe(422);
      expect(again.body.error).toMatchObject({ code: 'CONSENT_REQUIRED', details: { reason: 'BOUNCING' } });
      const timeline = (await manager.get(`/api/v1/contacts/${gone.id}/activities`)).body;
      expect(JSON.stringify(timeline)).toContain('EMAIL_BOUNCED');
    });

    it('gives a contact’s messages to a data-subject access request and erases them with the contact', async () => {
      const gil = await createContact(manager, { email: 'gil@example.test', firstName: 'Gil' });
      const sent = await rep.post('/api/v1/messages').send({ contactId: gil.id, purpose: 'TRANSACTIONAL', subject: 'Private', body: 'Hello Gil' });
      const privacy = (t.host.services.contacts as ContactsServices).privacy;
      const data = (await privacy.collect(gil.id)) as unknown as { plugins: Record<string, { messages: { id: number }[] }> };
      expect(JSON.stringify(data)).toContain('Hello Gil');
      await privacy.erase(gil.id);
      expect(await t.host.prisma.message.findUnique({ where: { id: sent.body.id } })).toBeNull();
    });

    it('lists messages filtered by contact, channel, direction and status', async () => {
      const all = (await manager.get('/api/v1/messages?channel=EMAIL&direction=OUTBOUND')).body;
      expect(all.total).toBeGreaterThanOrEqual(6);
      const failed = (await manager.get('/api/v1/messages?status=FAILED')).body;
      expect(failed.data.map((m: { subject: string }) => m.subject)).toEqual(['Spammy']);
      expect((await manager.get('/api/v1/messages?status=LOST')).status).toBe(400);
    });
  });
}

describe('the outbox transport', () => {
  it('keeps what would have gone out when no SMTP server is configured', async () => {
    const t = await bootTestHost({ plugins: [contactsPlugin, messagingPlugin], pluginSettings: { contacts: { demoData: false } } });
    try {
      const { agent } = await t.signIn('REP');
      const fay = await createContact(agent, { email: 'fay@example.test', firstName: 'Fay' });
      const res = await agent
        .post('/api/v1/messages')
        .send({ contactId: fay.id, purpose: 'TRANSACTIONAL', subject: 'Hello {{firstName}}', body: 'Hi {{firstName}}' });
      expect(res.status).toBe(201);
      expect(res.body.status).toBe('SENT');
      const [entry] = await t.host.prisma.outboxEntry.findMany();
      expect(entry).toMatchObject({ channel: 'EMAIL', toAddress: 'fay@example.test', subject: 'Hello Fay', messageId: res.body.messageId });
      expect(entry!.content).toContain('Hi Fay');
      expect(entry!.content).toContain(`Message-ID: ${res.body.messageId}`);
    } finally {
      await t.close();
    }
  });
});
