import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin } from '../../plugins/contacts/index.js';
import { messagingPlugin } from '../../plugins/messaging/index.js';
import { twilioSignature, verifyTwilioSignature } from '../../plugins/messaging/inbound/twilio-signature.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';
import { databaseEnv, postgresAvailable } from '../helpers/postgres.js';
import { FakeTwilio } from './fake-twilio.js';
import { SmtpSink } from './smtp-sink.js';

const available = await postgresAvailable();
const PUBLIC_URL = 'https://crm.example.test';
const SECRET = 'inbound-secret-0123456789';

describe("Twilio's request signature", () => {
  it("matches Twilio's published example (auth token 12345)", () => {
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    const params = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };
    expect(twilioSignature('12345', url, params)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
    expect(verifyTwilioSignature('12345', 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', url, params)).toBe(true);
    expect(verifyTwilioSignature('12345', 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', url, { ...params, Digits: '9999' })).toBe(false);
    expect(verifyTwilioSignature('12345', 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', `${url}&x=1`, params)).toBe(false);
    expect(verifyTwilioSignature('54321', 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', url, params)).toBe(false);
    expect(verifyTwilioSignature('12345', undefined, url, params)).toBe(false);
  });
});

for (const kind of ['sqlite', 'postgres'] as const) {
  describe.runIf(kind === 'sqlite' || available)(`SMS through Twilio, inbound email, tracking and bounces, on ${kind}`, () => {
    let t: TestHost;
    let rep: supertest.Agent;
    let drop: (() => Promise<void>) | undefined;
    const sink = new SmtpSink();
    const twilio = new FakeTwilio('AC00000000000000000000000000000001', 'twilio-auth-token-xyz');

    const signedPost = (path: string, form: Record<string, string>, token = twilio.authToken) =>
      t
        .request()
        .post(path)
        .type('form')
        .set('X-Twilio-Signature', twilioSignature(token, PUBLIC_URL + path, form))
        .send(form);
    const activities = async (contactId: number) =>
      (await rep.get(`/api/v1/contacts/${contactId}/activities`)).body.data.map((a: { type: string }) => a.type) as string[];

    beforeAll(async () => {
      await sink.start();
      await twilio.start();
      const database = await databaseEnv(kind);
      drop = database.drop;
      t = await bootTestHost({
        plugins: [contactsPlugin, messagingPlugin],
        env: database.env,
        pluginSettings: {
          contacts: { demoData: false },
          messaging: {
            smtpUrl: sink.url,
            from: 'Sales <sales@crm.example.test>',
            publicUrl: PUBLIC_URL,
            twilioAccountSid: twilio.accountSid,
            twilioAuthToken: twilio.authToken,
            twilioFrom: '+15005550006',
            twilioBaseUrl: twilio.url,
            inboundSecret: SECRET,
            retryBaseMs: 30,
          },
        },
      });
      rep = (await t.signIn('REP')).agent;
    });
    afterAll(async () => {
      await t.close();
      await sink.close();
      await twilio.close();
      await drop?.();
    });

    it('sends an SMS through Twilio’s REST API, takes its status callback and threads the reply by number', async () => {
      const sam = await createContact(rep, { email: 'sam@example.test', firstName: 'Sam', mobile: '+1 415 555 0100' });
      twilio.fail = [{ status: 503, code: 20500, message: 'Service unavailable' }];
      const sent = await rep
        .post('/api/v1/messages')
        .send({ contactId: sam.id, channel: 'SMS', purpose: 'TRANSACTIONAL', body: 'Hi {{firstName}}, see you at 3' });
      expect(sent.status).toBe(201);
      expect(sent.body).toMatchObject({ status: 'QUEUED', channel: 'SMS', toAddress: '+14155550100' });
      const until = Date.now() + 5_000;
      let message = sent.body;
      while (message.status !== 'SENT' && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 25));
        message = (await rep.get(`/api/v1/messages/${sent.body.id}`)).body;
      }
      expect(message).toMatchObject({ status: 'SENT', attempts: 2, providerId: expect.stringMatching(/^SM\d{32}$/) });
      const call = twilio.requests.at(-1)!;
      expect(call.form).toEqual({
        To: '+14155550100',
        From: '+15005550006',
        Body: 'Hi Sam, see you at 3',
        StatusCallback: `${PUBLIC_URL}/webhooks/twilio/status`,
      });

      // The status callback, unsigned then signed.
      const status = { MessageSid: message.providerId, MessageStatus: 'delivered', AccountSid: twilio.accountSid };
      expect((await t.request().post('/webhooks/twilio/status').type('form').send(status)).status).toBe(403);
      expect((await rep.get(`/api/v1/messages/${sent.body.id}`)).body.status).toBe('SENT');
      expect((await signedPost('/webhooks/twilio/status', status)).status).toBe(204);
      expect((await rep.get(`/api/v1/messages/${sent.body.id}`)).body).toMatchObject({ status: 'DELIVERED', deliveredAt: expect.any(String) });

      // The reply: forged first (wrong token, then a changed body), then as Twilio signs it; twice, counted once.
      const reply = { MessageSid: 'SM_reply_1', From: '+14155550100', To: '+15005550006', Body: 'Great, thanks!', AccountSid: twilio.accountSid };
      expect((await signedPost('/webhooks/twilio/sms', reply, 'not-the-token')).status).toBe(403);
      const forged = await t
        .request()
        .post('/webhooks/twilio/sms')
        .type('form')
        .set('X-Twilio-Signature', twilioSignature(twilio.authToken, PUBLIC_URL + '/webhooks/twilio/sms', reply))
        .send({ ...reply, Body: 'Send me the invoice of someone else' });
      expect(forged.status).toBe(403);
      expect(await t.host.prisma.message.count({ where: { direction: 'INBOUND' } })).toBe(0);
      const ok = await signedPost('/webhooks/twilio/sms', reply);
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('<Response></Response>');
      await signedPost('/webhooks/twilio/sms', reply);
      const thread = (await rep.get(`/api/v1/contacts/${sam.id}/threads`)).body;
      expect(thread).toHaveLength(1);
      expect(thread[0].threadId).toBe('sms:+14155550100');
      expect(thread[0].messages.map((m: { direction: string; text: string }) => [m.direction, m.text])).toEqual([
        ['OUTBOUND', 'Hi Sam, see you at 3'],
        ['INBOUND', 'Great, thanks!'],
      ]);
      expect(await activities(sam.id)).toEqual(expect.arrayContaining(['SMS_SENT', 'SMS_RECEIVED']));
    });

    it('threads an emailed reply by In-Reply-To and References, matched to the contact by address', async () => {
      const rita = await createContact(rep, { email: 'rita@example.test', firstName: 'Rita' });
      const first = (await rep.post('/api/v1/messages').send({ contactId: rita.id, purpose: 'TRANSACTIONAL', subject: 'Proposal', body: 'Here it is' })).body;
      const reply = [
        'From: Rita <RITA@example.test>',
        'To: sales@crm.example.test',
        'Subject: Re: Proposal',
        'Message-ID: <reply-1@mail.example.test>',
        `In-Reply-To: ${first.messageId}`,
        `References: ${first.messageId}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Looks good. Send the contract.',
      ].join('\r\n');
      expect((await t.request().post('/webhooks/email/inbound').set('Content-Type', 'message/rfc822').send(reply)).status).toBe(403);
      expect(
        (await t.request().post('/webhooks/email/inbound').set('X-Webhook-Secret', 'wrong-secret-0123456789').set('Content-Type', 'message/rfc822').send(reply))
          .status,
      ).toBe(403);
      expect(await t.host.prisma.message.count({ where: { messageId: '<reply-1@mail.example.test>' } })).toBe(0);

      const res = await t.request().post('/webhooks/email/inbound').set('X-Webhook-Secret', SECRET).set('Content-Type', 'message/rfc822').send(reply);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ kind: 'email', id: expect.any(Number), contactId: rita.id, threadId: first.messageId });

      // A later message that quotes only References still joins the thread; our answer to it too.
      const later = reply
        .replace('<reply-1@mail.example.test>', '<reply-2@mail.example.test>')
        .replace(/In-Reply-To: .*\r\n/, '')
        .replace(/References: .*/, `References: ${first.messageId} <reply-1@mail.example.test>`);
      const second = await t
        .request()
        .post('/webhooks/email/inbound')
        .set('Authorization', `Bearer ${SECRET}`)
        .set('Content-Type', 'message/rfc822')
        .send(later);
      expect(second.body.threadId).toBe(first.messageId);
      const answer = await rep
        .post('/api/v1/messages')
        .send({ contactId: rita.id, purpose: 'TRANSACTIONAL', replyTo: second.body.id, body: 'Contract attached.' });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ threadId: first.messageId, subject: 'Re: Proposal', inReplyTo: '<reply-2@mail.example.test>' });
      const mail = await sink.parsed();
      expect(mail.inReplyTo).toBe('<reply-2@mail.example.test>');

      const threads = (await rep.get(`/api/v1/contacts/${rita.id}/threads`)).body;
      expect(threads).toHaveLength(1);
      expect(threads[0].messages.map((m: { direction: string }) => m.direction)).toEqual(['OUTBOUND', 'INBOUND', 'INBOUND', 'OUTBOUND']);
      expect((await activities(rita.id)).filter((a) => a === 'EMAIL_RECEIVED')).toHaveLength(2);
    });

    it('logs an open and a click from signed links, and refuses forged tokens and redirects elsewhere', async () => {
      const olga = await createContact(rep, { email: 'olga@example.test', firstName: 'Olga' });
      const sent = (
        await rep.post('/api/v1/messages').send({
          contactId: olga.id,
          purpose: 'TRANSACTIONAL',
          subject: 'Links',
          html: '<p><a href="https://docs.example.test/guide?a=1&amp;b=2">Guide</a></p>',
        })
      ).body;
      const html = (await sink.parsed()).html!;
      const pixel = /src="https:\/\/crm\.example\.test(\/t\/o\/[^"]+)"/.exec(html)![1]!;
      const click = /href="https:\/\/crm\.example\.test(\/t\/c\/[^"]+)"/.exec(html)![1]!;

      const opened = await t.request().get(pixel);
      expect(opened.status).toBe(200);
      expect(opened.headers['content-type']).toBe('image/gif');
      await t.request().get(pixel);
      const clicked = await t.request().get(click);
      expect(clicked.status).toBe(302);
      expect(clicked.headers.location).toBe('https://docs.example.test/guide?a=1&b=2');
      const types = await activities(olga.id);
      expect(types.filter((a) => a === 'EMAIL_OPENED')).toHaveLength(1);
      expect(types.filter((a) => a === 'EMAIL_CLICKED')).toHaveLength(1);
      expect((await rep.get(`/api/v1/messages/${sent.id}`)).body).toMatchObject({ openedAt: expect.any(String), clickedAt: expect.any(String) });

      // Forged and altered tokens, an open token used as a click, and a redirect target added to the URL.
      const token = click.slice('/t/c/'.length);
      const [payload, signature] = token.split('.');
      const evil = Buffer.from(JSON.stringify({ m: sent.messageId, l: 0, e: 9_999_999_999, u: 'https://evil.test' })).toString('base64url');
      for (const path of [
        `/t/c/${evil}.${signature}`,
        `/t/c/${payload}.${signature!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))}`,
        `/t/c/${pixel.slice(5)}`,
        '/t/c/garbage',
      ]) {
        const res = await t.request().get(path);
        expect(res.status).toBe(404);
        expect(res.headers.location).toBeUndefined();
      }
      const withTarget = await t.request().get(`${click}?url=https://evil.test`);
      expect(withTarget.headers.location).toBe('https://docs.example.test/guide?a=1&b=2');
      expect((await t.request().get('/t/o/forged.token')).status).toBe(404);
    });

    it('marks the message of a returned delivery status notification bounced and stops mail to a hard-bounced address', async () => {
      const bea = await createContact(rep, { email: 'bea@example.test', firstName: 'Bea' });
      const sent = (await rep.post('/api/v1/messages').send({ contactId: bea.id, purpose: 'TRANSACTIONAL', subject: 'Hello', body: 'Hi' })).body;
      const dsn = [
        'From: Mail Delivery System <MAILER-DAEMON@mx.example.test>',
        'To: sales@crm.example.test',
        'Subject: Undelivered Mail Returned to Sender',
        'Message-ID: <dsn-1@mx.example.test>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
        '',
        '--B',
        'Content-Type: text/plain',
        '',
        'Your message could not be delivered.',
        '--B',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example.test',
        '',
        'Final-Recipient: rfc822; bea@example.test',
        'Action: failed',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
        '--B',
        'Content-Type: text/rfc822-headers',
        '',
        `Message-ID: ${sent.messageId}`,
        'Subject: Hello',
        '--B--',
        '',
      ].join('\r\n');
      const res = await t.request().post('/webhooks/email/inbound').set('X-Webhook-Secret', SECRET).set('Content-Type', 'message/rfc822').send(dsn);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ kind: 'bounce', messageId: sent.id, hard: true });
      expect((await rep.get(`/api/v1/messages/${sent.id}`)).body).toMatchObject({ status: 'BOUNCED', error: expect.stringContaining('5.1.1') });
      expect(await activities(bea.id)).toContain('EMAIL_BOUNCED');
      const again = await rep.post('/api/v1/messages').send({ contactId: bea.id, purpose: 'TRANSACTIONAL', subject: 'Hello?', body: 'Hi' });
      expect(again.status).toBe(422);
      expect(again.body.error.details.reason).toBe('BOUNCING');
    });
  });
}
