import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { shippedPlugins } from '../../plugins/index.js';
import type { ContactsServices } from '../../plugins/contacts/index.js';
import type { ConsentApi } from '../../plugins/consent/public.js';
import { ConsentService } from '../../plugins/consent/consent.service.js';
import { DsrService } from '../../plugins/consent/dsr.service.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';
import { databaseEnv, postgresAvailable } from '../helpers/postgres.js';

const available = await postgresAvailable();
const root = path.resolve(import.meta.dirname, '../..');

/** Plugins whose models hold rows about a contact (a contactId, or a relation to Contact). */
function pluginsHoldingContactData(): string[] {
  return readdirSync(path.join(root, 'plugins'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'contacts' && existsSync(path.join(root, 'plugins', d.name, 'schema.prisma')))
    .filter((d) =>
      /\bcontact(Id|AId|BId)?\s+(Int|Contact)\b|\b\w+Id\s+Int[^\n]*\n[^\n]*Contact\b/.test(
        readFileSync(path.join(root, 'plugins', d.name, 'schema.prisma'), 'utf8'),
      ),
    )
    .map((d) => d.name);
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe.runIf(kind === 'sqlite' || available)(`access exports, data-subject requests and the daily jobs on ${kind}`, () => {
    let t: TestHost;
    let admin: supertest.Agent;
    let manager: supertest.Agent;
    let rep: supertest.Agent;
    let drop: (() => Promise<void>) | undefined;
    const contacts = () => t.host.services.contacts as ContactsServices;
    const consent = () => t.host.services.consent as ConsentApi;

    beforeAll(async () => {
      const database = await databaseEnv(kind);
      drop = database.drop;
      t = await bootTestHost({ plugins: shippedPlugins, env: database.env, pluginSettings: { contacts: { demoData: false }, scoring: { debounceMs: 10 } } });
      admin = (await t.signIn('ADMIN')).agent;
      manager = (await t.signIn('MANAGER')).agent;
      rep = (await t.signIn('REP')).agent;
    });
    afterAll(async () => {
      await t.close();
      await drop?.();
    });

    it('exports everything every enabled plugin holds on a person, audits the download, and every plugin holding contact data contributes', async () => {
      const holders = pluginsHoldingContactData();
      expect(holders).toEqual(expect.arrayContaining(['consent', 'dedup', 'scoring']));
      const contributing = contacts()
        .extensions.of('gdpr')
        .map((e) => e.plugin);
      for (const plugin of holders) expect(contributing, `${plugin} holds contact data but has no gdpr collect/erase hook`).toContain(plugin);

      const p = await createContact(rep, { email: 'access@dsr.test', firstName: 'Ada', lastName: 'Access', phone: '+1 212 555 0100' });
      await createContact(rep, { email: 'ada.access@other.test', firstName: 'Ada', lastName: 'Access', phone: '+1 212 555 0100' });
      await rep
        .post(`/api/v1/contacts/${p.id}/consent`)
        .send({ channel: 'EMAIL', purpose: 'MARKETING', status: 'OPTED_IN', source: 'web form', occurredAt: '2026-05-01' });
      await rep.post(`/api/v1/contacts/${p.id}/notes`).send({ body: 'Asked for a copy of her data' });
      await (t.host.services.scoring as { idle: () => Promise<void> }).idle();
      await (t.host.services.dedup as { idle?: () => Promise<void> }).idle?.();

      expect((await rep.get(`/api/v1/contacts/${p.id}/gdpr-export`)).status).toBe(403);
      const res = await manager.get(`/api/v1/contacts/${p.id}/gdpr-export`);
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toContain(`gdpr-export-contact-${p.id}.json`);
      const doc = res.body;
      expect(doc.contact).toMatchObject({ email: 'access@dsr.test', firstName: 'Ada' });
      expect(doc.notes).toEqual([expect.objectContaining({ body: 'Asked for a copy of her data' })]);
      expect(Object.keys(doc.plugins).sort()).toEqual(contributing.sort());
      expect(doc.plugins.consent.consentLedger).toEqual([expect.objectContaining({ status: 'OPTED_IN', source: 'web form' })]);
      expect(doc.plugins.scoring).toBeTruthy();
      expect(doc.plugins.dedup).toBeTruthy();
      const audit = await t.host.prisma.auditLog.findFirst({ where: { entity: 'GdprExport', entityId: String(p.id) } });
      expect(audit).toBeTruthy();
      expect(JSON.stringify(audit!.changes)).not.toContain('access@dsr.test');
      expect((await manager.get('/api/v1/contacts/999999/gdpr-export')).status).toBe(404);
    });

    it('tracks a request from receipt to completion: deadline, one extension, approval, erasure through it', async () => {
      const p = await createContact(rep, { email: 'forget.me@dsr.test', firstName: 'Fern' });
      const bad = await manager.post('/api/v1/dsr').send({ type: 'OBLIVION', requester: 'Fern', verification: 'x' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.issues.map((i: { path: string }) => i.path)).toContain('body.type');
      expect((await manager.post('/api/v1/dsr').send({ type: 'ACCESS', requester: 'x', verification: 'y', contactId: 999_999 })).status).toBe(400);
      expect((await rep.post('/api/v1/dsr').send({ type: 'ACCESS', requester: 'x', verification: 'y' })).status).toBe(403);

      const created = await manager.post('/api/v1/dsr').send({
        type: 'ERASURE',
        contactId: p.id,
        requester: 'Fern (forget.me@dsr.test)',
        verification: 'replied from forget.me@dsr.test to our check',
        receivedAt: '2026-11-20T09:00:00Z',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'RECEIVED', dueAt: '2026-12-20T09:00:00.000Z' });
      const id = created.body.id;

      expect((await admin.post(`/api/v1/contacts/${p.id}/erase`).send({})).body.error.message).toMatch(/awaits approval/);
      const extended = await manager.patch(`/api/v1/dsr/${id}`).send({ extensionReason: 'Records held by a processor must be retrieved' });
      expect(extended.body).toMatchObject({ dueAt: '2027-02-20T09:00:00.000Z', extensionReason: 'Records held by a processor must be retrieved' });
      expect((await manager.patch(`/api/v1/dsr/${id}`).send({ extensionReason: 'once more please' })).status).toBe(409);
      expect((await manager.patch(`/api/v1/dsr/${id}`).send({ status: 'COMPLETED' })).status).toBe(409);
      expect((await manager.patch(`/api/v1/dsr/${id}`).send({ status: 'APPROVED' })).body).toMatchObject({
        status: 'APPROVED',
        approvedAt: expect.any(String),
      });
      expect((await manager.patch(`/api/v1/dsr/${id}`).send({ status: 'COMPLETED' })).status).toBe(409);
      expect((await admin.post(`/api/v1/contacts/${p.id}/erase`).send({})).status).toBe(409);

      const certificate = (await admin.post(`/api/v1/contacts/${p.id}/erase`).send({ requestId: id })).body;
      expect(certificate).toMatchObject({ requestId: id, contactId: p.id });
      const done = (await manager.get(`/api/v1/dsr/${id}`)).body;
      expect(done).toMatchObject({ status: 'COMPLETED', certificateId: certificate.id, contactId: null, requester: '[erased]' });
      expect(done.verification).toBe('replied from [erased] to our check');
      expect((await manager.get('/api/v1/dsr?status=COMPLETED')).body.items.map((r: { id: number }) => r.id)).toContain(id);
    });

    it('flags requests near and past their deadline by the clock, and shows them on the dashboard', async () => {
      const clock = { now: new Date('2027-03-01T08:00:00Z') };
      const dsr = new DsrService(t.host.prisma, { dueMonths: 1, dueSoonDays: 7 }, () => clock.now);
      await t.host.prisma.dataSubjectRequest.deleteMany({});
      const make = (receivedAt: string, type: 'ACCESS' | 'RECTIFICATION' = 'ACCESS') =>
        dsr.create({ type, requester: 'someone', verification: 'id card seen', receivedAt });
      const late = await make('2027-01-15T00:00:00Z');
      const soon = await make('2027-02-05T00:00:00Z');
      const fresh = await make('2027-02-27T00:00:00Z', 'RECTIFICATION');
      const closed = await make('2027-01-01T00:00:00Z');
      await dsr.update(closed.id, { status: 'REJECTED' });

      expect(await dsr.flagDeadlines()).toEqual({ open: 3, dueSoon: 1, overdue: 1 });
      const flags = async () =>
        Object.fromEntries((await t.host.prisma.dataSubjectRequest.findMany({ select: { id: true, deadlineFlag: true } })).map((r) => [r.id, r.deadlineFlag]));
      expect(await flags()).toEqual({ [late.id]: 'OVERDUE', [soon.id]: 'DUE_SOON', [fresh.id]: null, [closed.id]: null });
      expect(await dsr.dashboard()).toMatchObject({ value: 3, caption: '1 overdue, 1 due within 7 days' });

      clock.now = new Date('2027-03-25T08:00:00Z');
      expect(await dsr.flagDeadlines()).toEqual({ open: 3, dueSoon: 1, overdue: 2 });
      await dsr.update(late.id, { status: 'APPROVED' });
      await dsr.update(late.id, { status: 'COMPLETED' });
      await dsr.flagDeadlines();
      expect(await flags()).toEqual({ [late.id]: null, [soon.id]: 'OVERDUE', [fresh.id]: 'DUE_SOON', [closed.id]: null });
      expect((await manager.get('/api/v1/dsr?flagged=true')).body.items.map((r: { id: number }) => r.id)).toEqual([soon.id, fresh.id]);

      // The scheduled job runs on the real clock (months before those deadlines): it clears the flags and logs its counts.
      const run = await t.host.jobs.runNow('consent.flag-deadlines');
      expect(run).toMatchObject({ status: 'SUCCEEDED', counts: { open: 2, dueSoon: 0, overdue: 0 } });
      expect(Object.values(await flags())).toEqual([null, null, null, null]);
    });

    it('moves CASL implied consent to UNKNOWN after two years, with a ledger event that says why', async () => {
      const clock = { now: new Date() };
      const service = new ConsentService(t.host.prisma, consent().purposes, () => clock.now);
      const ca = await createContact(rep, { email: 'implied@dsr.test', country: 'CA' });
      const us = await createContact(rep, { email: 'implied.us@dsr.test', country: 'US' });
      for (const c of [ca, us])
        await rep
          .post(`/api/v1/contacts/${c.id}/consent`)
          .send({ channel: 'EMAIL', purpose: 'MARKETING', status: 'OPTED_IN', type: 'IMPLIED', source: 'purchase', occurredAt: '2026-06-01T00:00:00Z' })
          .expect(201);
      expect(await service.expireImplied()).toEqual({ expired: 0 });
      clock.now = new Date('2028-06-02T00:00:00Z');
      expect(await service.expireImplied()).toEqual({ expired: 1 });
      expect(await service.expireImplied()).toEqual({ expired: 0 });
      const got = await consent().consent.get(ca.id);
      expect(got.states[0]).toMatchObject({ status: 'UNKNOWN', type: 'IMPLIED', source: 'consent expiry' });
      expect(got.ledger[0]).toMatchObject({
        status: 'UNKNOWN',
        via: 'job',
        actorId: null,
        reason: 'CASL implied consent given 2026-06-01 lapsed on 2028-06-01',
      });
      expect((await consent().consent.get(us.id)).states[0]).toMatchObject({ status: 'OPTED_IN', expiresAt: null });
      expect(await contacts().gate.canContact(ca.id, 'EMAIL', 'MARKETING')).toEqual({ allowed: false, reason: 'NO_CONSENT' });
      expect((await t.host.jobs.runNow('consent.expire-implied')).counts).toEqual({ expired: 0 });
    });
  });
}
