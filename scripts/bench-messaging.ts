/**
 * Bulk email speed: a campaign of 10,000 emails through the platform (claim, consent gate, render,
 * store, send, record) to a real SMTP server on loopback (smtp-server, in its own process), beside raw
 * nodemailer with the same pool sending the same rendered messages in the same run. Prints messages a
 * second of each, their ratio (goal: at least 0.8), whether every message arrived exactly once, and
 * the memory of the platform's process over its run.
 *   npm run bench:messaging        (MESSAGING_BENCH_EMAILS=2000 for a quicker run)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { contactsPlugin } from '../plugins/contacts/index.js';
import { messagingPlugin } from '../plugins/messaging/index.js';
import type { MessagingApi } from '../plugins/messaging/public.js';
import { smtpPoolOptions, toNodemailer } from '../plugins/messaging/transport/smtp.transport.js';
import { benchHost } from './bench-host.js';

const EMAILS = Number(process.env.MESSAGING_BENCH_EMAILS ?? 10_000);
const POOL = Number(process.env.MESSAGING_BENCH_POOL ?? 5);

// The SMTP server runs in a process of its own, as a real one would, and counts what it receives per recipient.
const SINK = `
import { SMTPServer } from 'smtp-server';
const seen = new Map();
const server = new SMTPServer({
  authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
  onData(stream, session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => {
      for (const r of session.envelope.rcptTo) seen.set(r.address, (seen.get(r.address) ?? 0) + 1);
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.server.address().port }));
process.on('message', (m) => {
  if (m === 'count') {
    let total = 0, twice = 0;
    for (const n of seen.values()) { total += n; if (n > 1) twice++; }
    process.send({ total, distinct: seen.size, twice });
  }
  if (m === 'reset') { seen.clear(); process.send({ reset: true }); }
  if (m === 'stop') server.close(() => process.exit(0));
});
`;

const dir = mkdtempSync(path.join(tmpdir(), 'crm-messaging-bench-'));
const sinkFile = path.join(process.cwd(), 'node_modules', '.crm-bench-smtp-sink.mjs');
writeFileSync(sinkFile, SINK);
const sink: ChildProcess = fork(sinkFile, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const ask = <T>(message: string) =>
  new Promise<T>((resolve) => {
    sink.once('message', (answer) => resolve(answer as T));
    sink.send(message);
  });
const { port } = await new Promise<{ port: number }>((resolve) => sink.once('message', (m) => resolve(m as { port: number })));
const smtpUrl = `smtp://127.0.0.1:${port}?tls=off`;

const host = await benchHost(dir, path.join(dir, 'crm.db'), [contactsPlugin, messagingPlugin], {
  messaging: { smtpUrl, smtpPoolSize: POOL, publicUrl: 'https://crm.example.com', campaignBatchSize: Number(process.env.MESSAGING_BENCH_BATCH ?? 250) },
});

try {
  const { campaigns, templates } = host.services.messaging as MessagingApi;
  const prisma = host.prisma;
  for (let i = 0; i < EMAILS; i += 1_000) {
    await prisma.contact.createMany({
      data: Array.from({ length: Math.min(1_000, EMAILS - i) }, (_, k) => ({
        email: `reader${i + k}@example.com`,
        firstName: `Reader${i + k}`,
        lastName: 'Bench',
      })),
    });
  }
  const template = await templates.create({
    name: 'Bench newsletter',
    subject: 'News for {{firstName}}',
    html: '<h1>Hello {{firstName}}</h1><p>This month at {{company|our company}}: <a href="https://example.com/news?id=1">the news</a>.</p>',
    text: 'Hello {{firstName}}\n\nThis month: https://example.com/news?id=1',
  });
  const contactIds = (await prisma.contact.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((c) => c.id);

  // Warm-up, not measured: both paths run once on a few hundred other contacts, so neither pays for
  // the first connections and the first compilations of the code it runs.
  const warm = 300;
  await prisma.contact.createMany({ data: Array.from({ length: warm }, (_, k) => ({ email: `warm${k}@example.com`, firstName: `Warm${k}` })) });
  const warmIds = (await prisma.contact.findMany({ where: { email: { startsWith: 'warm' } }, select: { id: true } })).map((c) => c.id);
  const warmCampaign = await campaigns.create({ templateId: template.id, contactIds: warmIds, name: 'Warm-up' });
  await campaigns.waitFor(warmCampaign.id);
  const warmRaw = nodemailer.createTransport(smtpPoolOptions({ url: smtpUrl, poolSize: POOL, rateLimit: 0 }));
  const warmMessages = await prisma.message.findMany({ where: { campaignId: warmCampaign.id } });
  await Promise.all(warmMessages.map((m) => warmRaw.sendMail({ from: m.fromAddress!, to: m.toAddress, subject: m.subject!, text: m.text!, html: m.html! })));
  warmRaw.close();
  await ask('reset');

  // Platform: the campaign from its creation to its last recorded send.
  let peakRss = 0;
  const rssBefore = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  const platformStart = performance.now();
  const created = await campaigns.create({ templateId: template.id, contactIds, name: 'Bench' });
  const report = await campaigns.waitFor(created.id);
  const platformMs = performance.now() - platformStart;
  clearInterval(sampler);
  const rssAfter = process.memoryUsage().rss;
  const platformReceived = await ask<{ total: number; distinct: number; twice: number }>('count');
  await ask('reset');

  // Raw nodemailer: the same pool options and the same rendered messages (as stored by the campaign).
  const rendered = await prisma.message.findMany({ where: { campaignId: created.id }, orderBy: { id: 'asc' } });
  const mails = rendered.map((m) =>
    toNodemailer({
      from: m.fromAddress!,
      to: m.toAddress,
      subject: m.subject ?? '',
      text: m.text ?? undefined,
      html: m.html ?? undefined,
      messageId: m.messageId!,
      headers: (m.headers as Record<string, string> | null) ?? undefined,
    }),
  );
  const raw = nodemailer.createTransport(smtpPoolOptions({ url: smtpUrl, poolSize: POOL, rateLimit: 0 }));
  const rawStart = performance.now();
  if (process.env.MESSAGING_BENCH_RAW !== '0') await Promise.all(mails.map((mail) => raw.sendMail(mail)));
  const rawMs = performance.now() - rawStart;
  raw.close();
  const rawReceived = await ask<{ total: number; distinct: number; twice: number }>('count');

  const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);
  const platformRate = rate(report.counts.sent, platformMs);
  const rawRate = rate(mails.length, rawMs);
  const once = (r: { total: number; distinct: number; twice: number }, n: number) => r.total === n && r.distinct === n && r.twice === 0;
  const mb = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;
  console.log(`\nBulk email to a loopback SMTP server (smtp-server in its own process), pool of ${POOL} connections, ${EMAILS} emails`);
  console.log(
    `  platform campaign : ${platformRate} msgs/s  (${(platformMs / 1000).toFixed(1)} s, sent ${report.counts.sent}, received ${platformReceived.total})`,
  );
  console.log(`  raw nodemailer    : ${rawRate} msgs/s  (${(rawMs / 1000).toFixed(1)} s, received ${rawReceived.total})`);
  console.log(`  ratio             : ${(platformRate / rawRate).toFixed(2)}  (goal >= 0.80)`);
  console.log(
    `  exactly once      : platform ${once(platformReceived, EMAILS) ? 'yes' : `NO (${JSON.stringify(platformReceived)})`}, raw ${once(rawReceived, EMAILS) ? 'yes' : `NO (${JSON.stringify(rawReceived)})`}`,
  );
  console.log(`  memory (rss)      : ${mb(rssBefore)} before, ${mb(peakRss)} peak, ${mb(rssAfter)} after the campaign`);
  if (!once(platformReceived, EMAILS)) process.exitCode = 1;
} finally {
  await host.stop();
  sink.kill();
  rmSync(sinkFile, { force: true });
  rmSync(dir, { recursive: true, force: true });
}
