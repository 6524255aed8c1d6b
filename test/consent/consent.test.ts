import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { consentPlugin } from '../../plugins/consent/index.js';
import { dedupPlugin } from '../../plugins/dedup/index.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';
import { databaseEnv, postgresAvailable } from '../helpers/postgres.js';

const available = await postgresAvailable();
const yearsAgo = (years: number) => new Date(Date.now() - years * 365.25 * 86_400_000).toISOString();

for (const kind of ['sqlite', 'postgres'] as const) {
  describe.runIf(kind === 'sqlite' || available)(`consent ledger and gate on ${kind}`, () => {
    let t: TestHost;
    let rep: supertest.Agent;
    let viewer: supertest.Agent;
    let manager: supertest.Agent;
    let drop: (() => Promise<void>) | undefined;
    const contacts = () => t.host.services.contacts as ContactsServices;
    const ledgerCount = () => t.host.prisma.consentEvent.count();

    beforeAll(async () => {
      const database = await databaseEnv(kind);
      drop = database.drop;
      t = await bootTestHost({ plugins: [contactsPlugin, dedupPlugin, consentPlugin], env: database.env, pluginSettings: { contacts: { demoData: false } } });
      rep = (await t.signIn('REP')).agent;
      manager = (await t.signIn('MANAGER')).agent;
      viewer = (await t.signIn('VIEWER')).agent;
    });
    afterAll(async () => {
      await t.close();
      await drop?.();
    });

    it('derives the state from the ledger, newest event winning, and keeps the wording once', async () => {
      const c = await createContact(rep, { email: 'ledger@consent.test', firstName: 'Lea', country: 'DE' });
      const wording = 'Yes, send me the monthly newsletter. You can unsubscribe at any time.';
      const steps = [
        { status: 'PENDING', source: 'web form', wording, reference: 'newsletter-footer' },
        { status: 'OPTED_IN', source: 'web form', occurredAt: '2026-03-01T10:00:00Z', ip: '203.0.113.7', userAgent: 'Mozilla/5.0', wording },
        { status: 'OPTED_OUT', source: 'admin' },
      ];
      for (const step of steps) {
        const res = await rep.post(`/api/v1/contacts/${c.id}/consent`).send({ channel: 'EMAIL', purpose: 'MARKETING', ...step });
        expect(res.status).toBe(201);
      }
      const got = (await viewer.get(`/api/v1/contacts/${c.id}/consent`)).body;
      expect(got.jurisdiction).toBe('EU_GDPR');
      expect(got.states).toEqual([expect.objectContaining({ channel: 'EMAIL', purpose: 'MARKETING', status: 'OPTED_OUT', source: 'admin' })]);
      expect(got.ledger.map((e: { status: string }) => e.status)).toEqual(['OPTED_OUT', 'OPTED_IN', 'PENDING']);
      expect(got.ledger[1]).toMatchObject({
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0',
        wording,
        basis: 'CONSENT',
        via: 'api',
        occurredAt: '2026-03-01T10:00:00.000Z',
      });
      expect(got.ledger[1].wordingSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(got.states[0].lastEventId).toBe(got.ledger[0].id);
      expect(await t.host.prisma.consentWording.count()).toBe(1);
    });

    it('refuses a change without its proof (422) or with bad fields (400), writing nothing', async () => {
      const c = await createContact(rep, { email: 'proof@consent.test' });
      const before = await ledgerCount();
      const post = (body: Record<string, unknown>) => rep.post(`/api/v1/contacts/${c.id}/consent`).send({ channel: 'EMAIL', purpose: 'MARKETING', ...body });
      const noSource = await post({ status: 'OPTED_OUT' });
      expect(noSource.status).toBe(422);
      expect(noSource.body.error.issues).toEqual([expect.objectContaining({ path: 'source' })]);
      const noDate = await post({ status: 'OPTED_IN', source: 'trade show' });
      expect(noDate.status).toBe(422);
      expect(noDate.body.error.issues).toEqual([expect.objectContaining({ path: 'occurredAt' })]);
      const bad: [Record<string, unknown>, string][] = [
        [{ channel: 'FAX', status: 'OPTED_IN', source: 'x', occurredAt: yearsAgo(1) }, 'body.channel'],
        [{ status: 'MAYBE', source: 'x' }, 'body.status'],
        [{ status: 'OPTED_IN', basis: 'WHIM', source: 'x', occurredAt: yearsAgo(1) }, 'body.basis'],
        [{ status: 'OPTED_OUT', source: 'x', userAgent: 'u'.repeat(513) }, 'body.userAgent'],
        [{ status: 'OPTED_OUT', source: 's'.repeat(101) }, 'body.source'],
        [{ status: 'OPTED_OUT', source: 'x', ip: 'not-an-ip' }, 'body.ip'],
        [{ status: 'OPTED_OUT', source: 'x', purpose: 'ASTROLOGY' }, 'purpose'],
        [{ status: 'OPTED_OUT', source: 'x', occurredAt: '2999-01-01' }, 'occurredAt'],
      ];
      for (const [body, path] of bad) {
        const res = await post(body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.issues.map((i: { path: string }) => i.path)).toContain(path);
      }
      expect(
        (await rep.post('/api/v1/contacts/999999/consent').send({ channel: 'EMAIL', purpose: 'MARKETING', status: 'OPTED_OUT', source: 'x' })).status,
      ).toBe(404);
      expect(
        (await viewer.post(`/api/v1/contacts/${c.id}/consent`).send({ channel: 'EMAIL', purpose: 'MARKETING', status: 'OPTED_OUT', source: 'x' })).status,
      ).toBe(403);
      expect(await ledgerCount()).toBe(before);
      expect((await viewer.get(`/api/v1/contacts/${c.id}/consent`)).body.states).toEqual([]);
    });

    it('offers no route that updates or deletes the ledger', async () => {
      const c = await createContact(rep, { email: 'immutable@consent.test' });
      const event = (
        await rep
          .post(`/api/v1/contacts/${c.id}/consent`)
          .send({ channel: 'SMS', purpose: 'MARKETING', status: 'OPTED_IN', source: 'web form', occurredAt: yearsAgo(1) })
      ).body;
      const admin = (await t.signIn('ADMIN')).agent;
      for (const path of [`/api/v1/contacts/${c.id}/consent`, `/api/v1/contacts/${c.id}/consent/${event.id}`, `/api/v1/consent/events/${event.id}`]) {
        for (const method of ['patch', 'put', 'delete'] as const) {
          const res = await admin[method](path).send({ status: 'OPTED_OUT' });
          expect(res.status, `${method} ${path}`).toBe(404);
        }
      }
      expect(await t.host.prisma.consentEvent.findUnique({ where: { id: event.id } })).toMatchObject({ status: 'OPTED_IN', source: 'web form' });
      // Of consent's writing routes, only the one that appends an event touches the ledger (and an erasure, which removes it).
      const writes = t.host.routes.filter((r) => r.plugin === 'consent' && r.method !== 'get').map((r) => `${r.method} ${r.path}`);
      expect(writes.sort()).toEqual(
        [
          'post /contacts/:id/consent',
          'post /consent/links',
          'post /contacts/:id/erase',
          'post /suppressions/check',
          'delete /suppressions/:id',
          'post /dsr',
          'patch /dsr/:id',
        ].sort(),
      );
    });

    it('gates marketing by consent and jurisdiction, never blocking transactional mail on a marketing opt-out', async () => {
      const record = (id: number, body: Record<string, unknown>) =>
        rep
          .post(`/api/v1/contacts/${id}/consent`)
          .send({ purpose: 'MARKETING', source: 'web form', ...body })
          .expect(201);
      const de = await createContact(rep, { email: 'de@consent.test', country: 'DE' });
      const us = await createContact(rep, { email: 'us@consent.test', country: 'US' });
      const gb = await createContact(rep, { email: 'gb@consent.test', country: 'GB' });
      const ca = await createContact(rep, { email: 'ca@consent.test', country: 'CA' });
      const caOld = await createContact(rep, { email: 'ca.old@consent.test', country: 'CA' });
      const pending = await createContact(rep, { email: 'pending@consent.test', country: 'FR' });
      const bounced = await createContact(rep, { email: 'bounced@consent.test', country: 'US', status: 'BOUNCED' });
      const gate = contacts().gate;
      const ids = [de.id, us.id, gb.id, ca.id, caOld.id, pending.id, bounced.id, 999_999];
      const reasons = async (channel: string, purpose: string) => {
        const verdicts = await gate.check(ids, channel, purpose);
        return ids.map((id) => verdicts.get(id)!.reason ?? 'ok');
      };

      await record(gb.id, { channel: 'EMAIL', status: 'UNKNOWN', basis: 'LEGITIMATE_INTEREST', reason: 'existing customer (soft opt-in)' });
      await record(de.id, { channel: 'EMAIL', status: 'UNKNOWN', basis: 'LEGITIMATE_INTEREST' });
      await record(de.id, { channel: 'PHONE', status: 'UNKNOWN', basis: 'LEGITIMATE_INTEREST' });
      await record(ca.id, { channel: 'EMAIL', status: 'OPTED_IN', type: 'IMPLIED', occurredAt: yearsAgo(1), source: 'purchase' });
      await record(caOld.id, { channel: 'EMAIL', status: 'OPTED_IN', type: 'IMPLIED', occurredAt: yearsAgo(3), source: 'purchase' });
      await record(pending.id, { channel: 'EMAIL', status: 'PENDING' });
      await record(bounced.id, { channel: 'EMAIL', status: 'OPTED_IN', occurredAt: yearsAgo(1) });

      //                                  de             us          gb    ca    caOld              pending                 bounced    unknown
      expect(await reasons('EMAIL', 'MARKETING')).toEqual(['NO_CONSENT', 'ok', 'ok', 'ok', 'CONSENT_EXPIRED', 'PENDING_CONFIRMATION', 'BOUNCED', 'NOT_FOUND']);
      expect(await reasons('SMS', 'MARKETING')).toEqual([
        'NO_CONSENT',
        'NO_CONSENT',
        'NO_CONSENT',
        'NO_CONSENT',
        'NO_CONSENT',
        'NO_CONSENT',
        'NO_CONSENT',
        'NOT_FOUND',
      ]);
      expect(await reasons('PHONE', 'MARKETING')).toEqual([
        'ok',
        'NO_CONSENT',
        'NO_CONSENT',
        'NO_CONSENT',
        'NO_CONSENT',
        'NO_CONSENT',
        'NO_CONSENT',
        'NOT_FOUND',
      ]);
      expect(await reasons('EMAIL', 'TRANSACTIONAL')).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'BOUNCED', 'NOT_FOUND']);

      await record(de.id, { channel: 'EMAIL', status: 'OPTED_IN', occurredAt: yearsAgo(0.5) });
      expect(await gate.canContact(de.id, 'EMAIL', 'MARKETING')).toEqual({ allowed: true });
      await record(de.id, { channel: 'EMAIL', status: 'OPTED_OUT', source: 'unsubscribe link' });
      expect(await gate.canContact(de.id, 'EMAIL', 'MARKETING')).toEqual({ allowed: false, reason: 'OPTED_OUT' });
      expect(await gate.canContact(de.id, 'EMAIL', 'TRANSACTIONAL')).toEqual({ allowed: true });
      expect(await gate.canContact(de.id, 'FAX', 'TRANSACTIONAL')).toEqual({ allowed: false, reason: 'UNKNOWN_CHANNEL' });
      expect(await gate.canContact(de.id, 'EMAIL', 'HOROSCOPE')).toEqual({ allowed: false, reason: 'UNKNOWN_PURPOSE' });

      const api = await viewer.get(`/api/v1/consent/gate?ids=${de.id},${us.id}&channel=EMAIL&purpose=MARKETING`);
      expect(api.body).toEqual([
        { contactId: de.id, allowed: false, reason: 'OPTED_OUT' },
        { contactId: us.id, allowed: true },
      ]);
      expect((await viewer.get('/api/v1/consent/gate?ids=1&channel=FAX&purpose=MARKETING')).status).toBe(400);
    });

    it('moves the ledger with a merge (the latest event deciding each state) and back with its undo', async () => {
      const a = await createContact(rep, { email: 'merge.a@consent.test', firstName: 'Mo', lastName: 'Merge' });
      const b = await createContact(rep, { email: 'merge.b@consent.test', firstName: 'Mo', lastName: 'Merge' });
      const record = (id: number, body: Record<string, unknown>) =>
        rep
          .post(`/api/v1/contacts/${id}/consent`)
          .send({ purpose: 'MARKETING', source: 'form', ...body })
          .expect(201);
      await record(a.id, { channel: 'EMAIL', status: 'OPTED_IN', occurredAt: yearsAgo(1) });
      await record(b.id, { channel: 'EMAIL', status: 'OPTED_OUT' });
      await record(b.id, { channel: 'SMS', status: 'OPTED_IN', occurredAt: yearsAgo(1) });
      const statuses = async (id: number) =>
        Object.fromEntries(
          (await viewer.get(`/api/v1/contacts/${id}/consent`)).body.states.map((s: { channel: string; status: string }) => [s.channel, s.status]),
        );
      const merged = await manager.post(`/api/v1/contacts/${a.id}/merge`).send({ duplicateId: b.id });
      expect(merged.status).toBe(201);
      expect(await statuses(a.id)).toEqual({ EMAIL: 'OPTED_OUT', SMS: 'OPTED_IN' });
      expect((await viewer.get(`/api/v1/contacts/${a.id}/consent`)).body.ledger).toHaveLength(3);
      expect((await manager.post(`/api/v1/merges/${merged.body.id}/undo`)).status).toBe(200);
      expect(await statuses(a.id)).toEqual({ EMAIL: 'OPTED_IN' });
      expect(await statuses(b.id)).toEqual({ EMAIL: 'OPTED_OUT', SMS: 'OPTED_IN' });
      expect((await viewer.get(`/api/v1/contacts/${b.id}/consent`)).body.ledger).toHaveLength(2);
    });

    it('refuses to start in production without a secret for links and suppression hashes', async () => {
      await expect(bootTestHost({ plugins: [contactsPlugin, consentPlugin], env: { NODE_ENV: 'production' } })).rejects.toThrow(
        /PLUGIN_CONSENT_SECRET is required in production/,
      );
    });
  });
}
