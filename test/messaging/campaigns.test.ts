import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin } from '../../plugins/contacts/index.js';
import { messagingPlugin } from '../../plugins/messaging/index.js';
import type { MessagingApi } from '../../plugins/messaging/public.js';
import { INTERRUPTED } from '../../plugins/messaging/campaigns/campaign.runner.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';
import { databaseEnv, postgresAvailable } from '../helpers/postgres.js';
import { optOutFixture } from './gate-fixture.js';
import { SmtpSink } from './smtp-sink.js';

const available = await postgresAvailable();
const INSTANCE = path.join(import.meta.dirname, 'campaign-instance.ts');

async function addContacts(t: TestHost, prefix: string, count: number, extra: Record<string, unknown> = {}): Promise<number[]> {
  await t.host.prisma.contact.createMany({
    data: Array.from({ length: count }, (_, i) => ({ email: `${prefix}${i}@example.test`, firstName: `${prefix}${i}`, ...extra })),
  });
  const rows = await t.host.prisma.contact.findMany({ where: { email: { startsWith: prefix } }, select: { id: true }, orderBy: { id: 'asc' } });
  return rows.map((r) => r.id);
}

for (const kind of ['sqlite', 'postgres'] as const) {
  describe.runIf(kind === 'sqlite' || available)(`campaigns over real SMTP, on ${kind}`, () => {
    let t: TestHost;
    let manager: supertest.Agent;
    let drop: (() => Promise<void>) | undefined;
    let env: Record<string, string>;
    const sink = new SmtpSink();
    const gate = optOutFixture();
    const messaging = () => t.host.services.messaging as MessagingApi;
    let templateId: number;

    beforeAll(async () => {
      await sink.start();
      const database = await databaseEnv(kind);
      drop = database.drop;
      env = database.env;
      t = await bootTestHost({
        plugins: [contactsPlugin, gate.plugin, messagingPlugin],
        env,
        pluginSettings: {
          contacts: { demoData: false },
          messaging: { smtpUrl: sink.url, publicUrl: 'https://crm.example.test', retryBaseMs: 30, maxAttempts: 3, campaignBatchSize: 7 },
        },
      });
      manager = (await t.signIn('MANAGER')).agent;
      const tpl = await manager.post('/api/v1/templates').send({ name: 'Campaign', subject: 'News for {{firstName}}', html: '<p>Hi {{firstName}}</p>' });
      templateId = tpl.body.id;
    });
    afterAll(async () => {
      await t.close();
      await sink.close();
      await drop?.();
    });

    it('sends once per contact, skips with the reason, retries temporary failures and reports partial failures', async () => {
      const ids = await addContacts(t, 'camp', 30);
      const refused = ids[3]!;
      gate.refused.set(refused, 'NO_CONSENT');
      await t.host.prisma.contact.update({ where: { id: ids[4]! }, data: { firstName: null } });
      const temp = new Map([['camp5@example.test', 2]]);
      sink.answer = (to) => {
        if (to === 'camp6@example.test') return { code: 552, message: 'Mailbox full for good' };
        const left = temp.get(to);
        if (left) {
          temp.set(to, left - 1);
          return { code: 421, message: 'Busy, try later' };
        }
        return undefined;
      };
      const created = await manager.post('/api/v1/campaigns').send({ templateId, contactIds: ids });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ status: 'RUNNING', total: 30 });

      const report = await messaging().campaigns.waitFor(created.body.id);
      sink.answer = () => undefined;
      expect(report).toMatchObject({ status: 'COMPLETED', progress: 1, counts: { sent: 27, skipped: 2, failed: 1, pending: 0, sending: 0 } });
      expect(report.skipped).toEqual([
        { contactId: refused, reason: 'NO_CONSENT' },
        { contactId: ids[4], reason: 'MISSING_VARIABLE: firstName' },
      ]);
      expect(report.failed).toEqual([{ contactId: ids[6], error: expect.stringContaining('Mailbox full'), attempts: 1 }]);
      for (let i = 0; i < 30; i++) {
        expect(sink.to(`camp${i}@example.test`)).toHaveLength([3, 4, 6].includes(i) ? 0 : 1);
      }
      const retried = await t.host.prisma.message.findFirst({ where: { campaignId: created.body.id, toAddress: 'camp5@example.test' } });
      expect(retried).toMatchObject({ status: 'SENT', attempts: 2 });
      const fromApi = (await manager.get(`/api/v1/campaigns/${created.body.id}`)).body;
      expect(fromApi.counts.sent).toBe(27);
      // The unique key: a second row for the same campaign and contact cannot exist.
      await expect(t.host.prisma.campaignSend.create({ data: { campaignId: created.body.id, contactId: ids[0]! } })).rejects.toThrow();
    });

    it('chooses contacts by a list filter, names a bad filter, and keeps VIEWERs and REPs out', async () => {
      await addContacts(t, 'churned', 3, { status: 'PENDING' });
      const bad = await manager.post('/api/v1/campaigns').send({ templateId, filter: { colour: 'red' } });
      expect(bad.status).toBe(400);
      expect(bad.body.error.issues[0].path).toMatch(/^body\.filter/);
      const none = await manager.post('/api/v1/campaigns').send({ templateId });
      expect(none.status).toBe(400);
      const rep = (await t.signIn('REP')).agent;
      expect((await rep.post('/api/v1/campaigns').send({ templateId, filter: { status: 'PENDING' } })).status).toBe(403);

      const before = sink.received.length;
      const created = await manager.post('/api/v1/campaigns').send({ templateId, filter: { status: 'PENDING' } });
      expect(created.status).toBe(201);
      expect(created.body.total).toBe(3);
      expect((await messaging().campaigns.waitFor(created.body.id)).counts.sent).toBe(3);
      expect(
        sink.received
          .slice(before)
          .flatMap((r) => r.to)
          .sort(),
      ).toEqual(['churned0@example.test', 'churned1@example.test', 'churned2@example.test']);
    });

    it('cancels a rate-limited campaign: what was not sent is not sent', async () => {
      const ids = await addContacts(t, 'slow', 40);
      const created = await manager.post('/api/v1/campaigns').send({ templateId, contactIds: ids, rateLimit: 20 });
      const started = Date.now();
      while (sink.received.filter((r) => r.to[0]!.startsWith('slow')).length < 5) await new Promise((r) => setTimeout(r, 20));
      const cancelled = await manager.post(`/api/v1/campaigns/${created.body.id}/cancel`);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('CANCELLED');
      const sentSlow = sink.received.filter((r) => r.to[0]!.startsWith('slow')).length;
      // 20 a second: the first five took a fifth of a second at least.
      expect(Date.now() - started).toBeGreaterThanOrEqual(180);
      expect(cancelled.body.counts.cancelled).toBeGreaterThan(20);
      expect(cancelled.body.counts.sent + cancelled.body.counts.cancelled).toBe(40);
      await new Promise((r) => setTimeout(r, 300));
      expect(sink.received.filter((r) => r.to[0]!.startsWith('slow')).length).toBe(sentSlow);
      expect(sentSlow).toBe(cancelled.body.counts.sent);
      expect((await manager.post(`/api/v1/campaigns/${created.body.id}/cancel`)).status).toBe(409);
    });

    it('resumes a campaign whose process was killed mid-send, and sends no message twice', async () => {
      await t.host.prisma.contact.deleteMany({});
      await addContacts(t, 'crash', 120);
      sink.received.length = 0;
      // The sink is slow, so the kill lands while batches are in flight.
      sink.answer = () => undefined;
      const slow = new SmtpSink();
      await slow.start({
        onData: (stream, session, callback) => {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            slow.received.push({ from: '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
            setTimeout(callback, 15);
          });
        },
      });
      const child = spawn(process.execPath, ['--import', 'tsx', INSTANCE], {
        env: { ...process.env, ...env, DATA_DIR: t.dir, DATABASE_URL: env.DATABASE_URL ?? `file:${path.join(t.dir, 'crm.db')}`, SINK_URL: slow.url },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      while (slow.received.length < 40) {
        if (child.exitCode !== null) throw new Error(`instance exited early: ${out}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      child.kill('SIGKILL');
      await exited;
      const campaignId = Number(/CAMPAIGN (\d+)/.exec(out)![1]);
      const atCrash = slow.received.length;
      expect(atCrash).toBeLessThan(120);

      // Another instance (this test's host, pointed at the same sink) takes over once the lease ran out.
      const resumed = await bootTestHost({
        dir: t.dir,
        plugins: [contactsPlugin, messagingPlugin],
        env,
        pluginSettings: { contacts: { demoData: false }, messaging: { smtpUrl: slow.url, campaignBatchSize: 20, campaignLeaseMs: 1_000 } },
      });
      try {
        const api = resumed.host.services.messaging as MessagingApi;
        await new Promise((r) => setTimeout(r, 1_100));
        expect(await api.campaigns.resumeInterrupted()).toEqual([campaignId]);
        const report = await api.campaigns.waitFor(campaignId);
        expect(report.status).toBe('COMPLETED');
        expect(report.counts.pending + report.counts.sending).toBe(0);

        const received = slow.received.flatMap((r) => r.to);
        expect(new Set(received).size).toBe(received.length);
        const interrupted = report.failed.filter((f) => f.error === INTERRUPTED);
        expect(report.counts.sent + interrupted.length).toBe(120);
        // At most the batches in flight at the kill (two of 20): handed over, unconfirmed, never resent.
        expect(interrupted.length).toBeLessThanOrEqual(40);
        const sentRows = await resumed.host.prisma.campaignSend.findMany({
          where: { campaignId, status: 'SENT' },
          select: { contact: { select: { email: true } } },
        });
        for (const row of sentRows) expect(received.filter((r) => r === row.contact.email)).toHaveLength(1);
      } finally {
        await resumed.close();
        await slow.close();
      }
    }, 60_000);
  });
}

describe('a campaign needs the contacts to exist', () => {
  it('names the unknown ids', async () => {
    const t = await bootTestHost({ plugins: [contactsPlugin, messagingPlugin], pluginSettings: { contacts: { demoData: false } } });
    try {
      const { agent } = await t.signIn('MANAGER');
      const tpl = await agent.post('/api/v1/templates').send({ name: 'T', subject: 'S', text: 'x' });
      const known = await createContact(agent, { email: 'known@example.test' });
      const res = await agent.post('/api/v1/campaigns').send({ templateId: tpl.body.id, contactIds: [known.id, 424242] });
      expect(res.status).toBe(400);
      expect(res.body.error.issues).toEqual([{ path: 'body.contactIds', message: 'no contact with id 424242' }]);
      expect(await t.host.prisma.campaign.count()).toBe(0);
    } finally {
      await t.close();
    }
  });
});
