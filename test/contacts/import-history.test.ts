import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';

let t: TestHost;
let rep: supertest.Agent;
let viewer: supertest.Agent;
let repEmail: string;

const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  t = await bootTestHost({
    plugins: [contactsPlugin],
    // Resume checks every second here, so that a test sees several idle ticks.
    pluginSettings: { contacts: { demoData: false, importResumeSchedule: '* * * * * *', importUploadTtlHours: 24 } },
  });
  const signedIn = await t.signIn('REP');
  rep = signedIn.agent;
  repEmail = signedIn.email;
  viewer = (await t.signIn('VIEWER')).agent;
});
afterAll(() => t?.close());

const services = () => t.host.services.contacts as ContactsServices;

async function upload(content: string, name: string): Promise<number> {
  const res = await rep.post('/api/v1/imports').attach('file', Buffer.from(content), name);
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

async function run(id: number) {
  expect((await rep.post(`/api/v1/imports/${id}/run`).send({})).status).toBe(202);
  return services().imports.waitFor(id);
}

const age = (id: number, hours: number) => t.host.prisma.contactImport.update({ where: { id }, data: { createdAt: new Date(Date.now() - hours * HOUR) } });

describe('GET /api/v1/imports', () => {
  it('lists every import newest first, with who started it, the file, its counts and status, page by page', async () => {
    const done = await upload('Email,First name\nann@list.test,Ann\nnot-an-email,Bob\n\nann@list.test,Ann again\n', 'fair.csv');
    await run(done);
    const waiting = await upload('Email\ncid@list.test\n', 'later.csv');

    const res = await viewer.get('/api/v1/imports');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(2);
    expect(res.body.data.map((i: { id: number }) => i.id)).toEqual([waiting, done]);
    const [uploaded, completed] = res.body.data;
    expect(completed).toMatchObject({ fileName: 'fair.csv', status: 'COMPLETED', created: 1, failed: 1, createdBy: { email: repEmail }, expiresAt: null });
    expect(completed.created + completed.updated + completed.flagged + completed.skipped + completed.failed).toBe(completed.processed);
    expect(uploaded).toMatchObject({ fileName: 'later.csv', status: 'UPLOADED', created: 0 });
    expect(new Date(uploaded.expiresAt).getTime() - new Date(uploaded.createdAt).getTime()).toBe(24 * HOUR);

    const second = await viewer.get('/api/v1/imports?page=2&pageSize=1');
    expect(second.body).toMatchObject({ page: 2, pageSize: 1, total: 2 });
    expect(second.body.data.map((i: { id: number }) => i.id)).toEqual([done]);
  });

  it('refuses a bad page size by name, and anyone signed out', async () => {
    const bad = await viewer.get('/api/v1/imports?pageSize=1000');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('pageSize');
    expect((await t.request().get('/api/v1/imports')).status).toBe(401);
  });
});

describe('abandoned uploads', () => {
  it('expire after the TTL with their stored file; recent uploads and run imports stay', async () => {
    const abandoned = await upload('Email\nold@expiry.test\n', 'abandoned.csv');
    const recent = await upload('Email\nnew@expiry.test\n', 'recent.csv');
    const imported = await upload('Email\nkept@expiry.test\n', 'imported.csv');
    await run(imported);
    await age(abandoned, 25);
    await age(imported, 25);

    const job = await t.host.jobs.runNow('contacts.expire-uploads');
    expect(job).toMatchObject({ status: 'SUCCEEDED', counts: { expired: 1 } });
    expect((await viewer.get(`/api/v1/imports/${abandoned}`)).status).toBe(404);
    expect(await t.host.prisma.contactImportFile.count({ where: { importId: abandoned } })).toBe(0);
    const listed = (await viewer.get('/api/v1/imports?pageSize=100')).body.data.map((i: { id: number }) => i.id);
    expect(listed).not.toContain(abandoned);
    expect(listed).toEqual(expect.arrayContaining([recent, imported]));
    expect(await t.host.prisma.contactImportFile.count({ where: { importId: recent } })).toBe(1);
    expect((await viewer.get(`/api/v1/imports/${imported}/errors.csv`)).status).toBe(200);

    // Nothing left to expire: a run by hand is still recorded, without counts.
    expect(await t.host.jobs.runNow('contacts.expire-uploads')).toMatchObject({ status: 'SUCCEEDED', counts: null });
  });
});

describe('the resume-imports job', () => {
  it('writes no run record while it has nothing to do, and records the run that starts a queued import', async () => {
    const resumeRuns = () => t.host.prisma.jobRun.findMany({ where: { job: 'contacts.resume-imports' } });
    t.host.jobs.start();
    try {
      await sleep(2_500);
      expect(await resumeRuns()).toEqual([]);

      // An import queued with no runner (its instance stopped before picking it up) is the job's work.
      const queued = await upload('Email\nqueued@resume.test\n', 'queued.csv');
      await t.host.prisma.contactImport.update({ where: { id: queued }, data: { status: 'QUEUED' } });
      await expect
        .poll(async () => (await t.host.prisma.contactImport.findUniqueOrThrow({ where: { id: queued } })).status, { timeout: 10_000 })
        .toBe('COMPLETED');
      await sleep(1_500);
      const runs = await resumeRuns();
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ status: 'SUCCEEDED', trigger: 'SCHEDULE', counts: { resumed: 1 } });
    } finally {
      await t.host.jobs.stop(2_000);
    }
  });
});
