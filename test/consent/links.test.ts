import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { consentPlugin } from '../../plugins/consent/index.js';
import type { ConsentApi } from '../../plugins/consent/public.js';
import { ConsentKeys } from '../../plugins/consent/keys.js';
import { ConsentLinks } from '../../plugins/consent/links.service.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';
import { databaseEnv, postgresAvailable } from '../helpers/postgres.js';

const available = await postgresAvailable();
const SECRET = 'links-test-secret-links-test-secret-0123';
const PUBLIC_URL = 'https://crm.example.test';

for (const kind of ['sqlite', 'postgres'] as const) {
  describe.runIf(kind === 'sqlite' || available)(`consent links (unsubscribe, double opt-in) on ${kind}`, () => {
    let t: TestHost;
    let rep: supertest.Agent;
    let drop: (() => Promise<void>) | undefined;
    const consent = () => t.host.services.consent as ConsentApi;
    const contacts = () => t.host.services.contacts as ContactsServices;
    const path = (url: string) => new URL(url).pathname;
    const stateOf = async (contactId: number, channel: string, purpose: string) =>
      (await t.host.prisma.consentState.findUnique({ where: { contactId_channel_purpose: { contactId, channel, purpose } } }))?.status;
    /** Links minted with the server's key at another time (a clock set back, for expired links). */
    const linksAt = (at: Date, secret = SECRET) =>
      new ConsentLinks(
        t.host.prisma,
        consent().consent,
        consent().purposes,
        new ConsentKeys(secret),
        { publicUrl: PUBLIC_URL, unsubscribeTtlDays: 365, confirmTtlDays: 7 },
        () => at,
      );

    beforeAll(async () => {
      const database = await databaseEnv(kind);
      drop = database.drop;
      t = await bootTestHost({
        plugins: [contactsPlugin, consentPlugin],
        env: database.env,
        pluginSettings: { contacts: { demoData: false }, consent: { secret: SECRET, publicUrl: PUBLIC_URL } },
      });
      rep = (await t.signIn('REP')).agent;
    });
    afterAll(async () => {
      await t.close();
      await drop?.();
    });

    it('unsubscribes in one click by POST, only that channel and purpose; a GET shows a page and changes nothing', async () => {
      const c = await createContact(rep, { email: 'oneclick@links.test', country: 'DE' });
      for (const [channel, purpose] of [
        ['EMAIL', 'MARKETING'],
        ['EMAIL', 'TRANSACTIONAL'],
        ['SMS', 'MARKETING'],
      ])
        await rep
          .post(`/api/v1/contacts/${c.id}/consent`)
          .send({ channel, purpose, status: 'OPTED_IN', source: 'web form', occurredAt: '2026-01-05T00:00:00Z' })
          .expect(201);
      const created = await rep.post('/api/v1/consent/links').send({ contactId: c.id, kind: 'unsubscribe', channel: 'EMAIL', purpose: 'MARKETING' });
      expect(created.status).toBe(201);
      expect(created.body.url).toMatch(/^https:\/\/crm\.example\.test\/consent\/u\/[\w-]+\.[\w-]+$/);
      const anonymous = t.request();
      const events = await t.host.prisma.consentEvent.count();

      const shown = await anonymous.get(path(created.body.url));
      expect(shown.status).toBe(200);
      expect(shown.type).toBe('text/html');
      expect(shown.text).toContain('o***@links.test');
      expect(shown.text).toContain('method="post"');
      expect(await t.host.prisma.consentEvent.count()).toBe(events);
      expect(await stateOf(c.id, 'EMAIL', 'MARKETING')).toBe('OPTED_IN');

      const clicked = await anonymous
        .post(path(created.body.url))
        .set('User-Agent', 'MailProvider-OneClick/1.0')
        .type('form')
        .send('List-Unsubscribe=One-Click');
      expect(clicked.status).toBe(200);
      expect(clicked.text).toContain('Unsubscribed');
      expect(await stateOf(c.id, 'EMAIL', 'MARKETING')).toBe('OPTED_OUT');
      expect(await stateOf(c.id, 'EMAIL', 'TRANSACTIONAL')).toBe('OPTED_IN');
      expect(await stateOf(c.id, 'SMS', 'MARKETING')).toBe('OPTED_IN');
      const last = await t.host.prisma.consentEvent.findFirst({ where: { contactId: c.id }, orderBy: { id: 'desc' } });
      expect(last).toMatchObject({ status: 'OPTED_OUT', source: 'unsubscribe link', via: 'link', userAgent: 'MailProvider-OneClick/1.0', actorId: null });
      expect(last!.ip).toMatch(/127\.0\.0\.1|::1/);
      expect((await anonymous.post(path(created.body.url)).type('form').send('List-Unsubscribe=One-Click')).status).toBe(200);
      expect(await t.host.prisma.consentEvent.count()).toBe(events + 1);
      expect(await contacts().gate.canContact(c.id, 'EMAIL', 'TRANSACTIONAL')).toEqual({ allowed: true });
    });

    it('confirms a pending opt-in through a signed link, with the click and the wording as evidence', async () => {
      const c = await createContact(rep, { email: 'doi@links.test', country: 'FR' });
      const wording = 'Send me product news by email.';
      const notPending = await rep.post('/api/v1/consent/links').send({ contactId: c.id, kind: 'confirm', channel: 'EMAIL', purpose: 'MARKETING' });
      expect(notPending.status).toBe(409);
      await rep
        .post(`/api/v1/contacts/${c.id}/consent`)
        .send({ channel: 'EMAIL', purpose: 'MARKETING', status: 'PENDING', source: 'web form', wording, reference: 'signup-page' })
        .expect(201);
      const link = (await rep.post('/api/v1/consent/links').send({ contactId: c.id, kind: 'confirm', channel: 'EMAIL', purpose: 'MARKETING' })).body;
      expect(link.url).toContain('/consent/confirm/');
      const anonymous = t.request();
      const shown = await anonymous.get(path(link.url));
      expect(shown.status).toBe(200);
      expect(await stateOf(c.id, 'EMAIL', 'MARKETING')).toBe('PENDING');
      expect((await contacts().gate.canContact(c.id, 'EMAIL', 'MARKETING')).reason).toBe('PENDING_CONFIRMATION');

      expect((await anonymous.post(path(link.url)).set('User-Agent', 'Browser/2').send()).status).toBe(200);
      expect(await stateOf(c.id, 'EMAIL', 'MARKETING')).toBe('OPTED_IN');
      const ledger = (await rep.get(`/api/v1/contacts/${c.id}/consent`)).body.ledger;
      expect(ledger[0]).toMatchObject({
        status: 'OPTED_IN',
        type: 'EXPLICIT',
        basis: 'CONSENT',
        source: 'double opt-in link',
        userAgent: 'Browser/2',
        wording,
      });
      expect(ledger[0].wordingSha256).toBe(ledger[1].wordingSha256);
      expect(await contacts().gate.canContact(c.id, 'EMAIL', 'MARKETING')).toEqual({ allowed: true });
      // An unsubscribe link is not a confirmation link, nor the other way round.
      expect((await anonymous.get(path(link.url).replace('/confirm/', '/u/'))).status).toBe(400);
    });

    it('refuses forged, altered, expired and other people’s tokens, changing nothing', async () => {
      const c = await createContact(rep, { email: 'victim@links.test', country: 'DE' });
      const other = await createContact(rep, { email: 'other@links.test', country: 'DE' });
      await rep
        .post(`/api/v1/contacts/${c.id}/consent`)
        .send({ channel: 'EMAIL', purpose: 'MARKETING', status: 'OPTED_IN', source: 'x', occurredAt: '2026-01-01' });
      const good = (await consent().links.create(c.id, 'unsubscribe', 'EMAIL', 'MARKETING')).token;
      const [body, mac] = good.split('.') as [string, string];
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
      const altered = `${Buffer.from(JSON.stringify({ ...claims, c: other.id })).toString('base64url')}.${mac}`;
      const otherSecret = (await linksAt(new Date(), 'some-other-secret-some-other-secret-99').create(c.id, 'unsubscribe', 'EMAIL', 'MARKETING')).token;
      const expired = (await linksAt(new Date(Date.now() - 366 * 86_400_000)).create(c.id, 'unsubscribe', 'EMAIL', 'MARKETING')).token;
      const events = await t.host.prisma.consentEvent.count();
      const anonymous = t.request();
      for (const [token, status] of [
        ['garbage', 400],
        [`${body}.${mac.slice(0, -2)}AA`, 400],
        [altered, 400],
        [otherSecret, 400],
        [expired, 410],
        ['x'.repeat(2000), 400],
      ] as const) {
        expect((await anonymous.get(`/consent/u/${token}`)).status, token.slice(0, 20)).toBe(status);
        const res = await anonymous.post(`/consent/u/${token}`).type('form').send('List-Unsubscribe=One-Click');
        expect(res.status).toBe(status);
        expect(res.type).toBe('text/html');
      }
      // A link made for this contact stops working once the contact's address belongs to someone else.
      await rep.patch(`/api/v1/contacts/${c.id}`).send({ email: 'new.owner@links.test' }).expect(200);
      expect((await anonymous.post(`/consent/u/${good}`).type('form').send('List-Unsubscribe=One-Click')).status).toBe(404);
      expect(await t.host.prisma.consentEvent.count()).toBe(events);
      expect(await stateOf(c.id, 'EMAIL', 'MARKETING')).toBe('OPTED_IN');
    });

    it('offers its unsubscribe link through contacts’ gate, and checks link requests', async () => {
      const c = await createContact(rep, { email: 'gate.link@links.test' });
      const url = await contacts().gate.unsubscribeUrl(c.id, 'SMS', 'MARKETING');
      expect(url).toMatch(/^https:\/\/crm\.example\.test\/consent\/u\//);
      expect((await t.request().get(path(url!))).text).toContain('marketing text messages');
      for (const [body, field] of [
        [{ contactId: c.id, kind: 'unsubscribe', channel: 'FAX', purpose: 'MARKETING' }, 'body.channel'],
        [{ contactId: c.id, kind: 'forever', channel: 'EMAIL', purpose: 'MARKETING' }, 'body.kind'],
        [{ contactId: c.id, kind: 'unsubscribe', channel: 'EMAIL', purpose: 'ASTROLOGY' }, 'purpose'],
      ] as const) {
        const res = await rep.post('/api/v1/consent/links').send(body);
        expect(res.status).toBe(400);
        expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
      }
      expect((await rep.post('/api/v1/consent/links').send({ contactId: 999_999, kind: 'unsubscribe', channel: 'EMAIL', purpose: 'MARKETING' })).status).toBe(
        404,
      );
      expect(
        (await t.request().post('/api/v1/consent/links').send({ contactId: c.id, kind: 'unsubscribe', channel: 'EMAIL', purpose: 'MARKETING' })).status,
      ).toBe(401);
    });
  });
}
