import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin } from '../../plugins/contacts/index.js';
import { dedupPlugin } from '../../plugins/dedup/index.js';
import { bootTestHost, createContact, type TestHost } from '../helpers/host.js';

let t: TestHost;
let manager: supertest.Agent;

beforeAll(async () => {
  t = await bootTestHost({ plugins: [contactsPlugin, dedupPlugin], pluginSettings: { contacts: { demoData: false } } });
  manager = (await t.signIn('MANAGER')).agent;
});
afterAll(() => t.close());

const make = async (body: Record<string, unknown>) => (await createContact(manager, body)).id;

/** Two records of one person, each with some of everything. */
async function pairWithHistory(tag: string) {
  const primary = await make({
    email: `ann.${tag}@acme.com`,
    firstName: 'Ann',
    lastName: 'Lee',
    tags: ['vip'],
    lifecycleStage: 'ENGAGED',
    notes: 'Met at the fair',
  });
  const duplicate = await make({
    email: `ann.lee.${tag}@gmail.com`,
    firstName: 'Anne',
    lastName: 'Lee',
    phone: '+49 30 555123',
    tags: ['newsletter'],
    lifecycleStage: 'CUSTOMER',
    notes: 'Prefers phone',
    city: 'Berlin',
  });
  await manager.post(`/api/v1/contacts/${duplicate}/activities`).send({ type: 'CALL', subject: 'Intro' });
  await manager.post(`/api/v1/contacts/${duplicate}/notes`).send({ body: 'Call back in May' });
  await manager.post(`/api/v1/contacts/${duplicate}/tasks`).send({ title: 'Send offer' });
  await manager.post('/api/v1/deals').send({ title: 'Offer', contactId: duplicate, value: 100 });
  const lead = (await manager.post('/api/v1/leads').send({ email: `ann.lee.${tag}@gmail.com` })).body;
  await manager.post(`/api/v1/leads/${lead.id}/qualify`);
  return { primary, duplicate };
}

const related = async (contactId: number) => ({
  activities: await t.host.prisma.activity.count({ where: { contactId } }),
  notes: await t.host.prisma.note.count({ where: { contactId } }),
  tasks: await t.host.prisma.task.count({ where: { contactId } }),
  deals: await t.host.prisma.deal.count({ where: { contactId } }),
  leads: await t.host.prisma.lead.count({ where: { contactId } }),
});

describe('auto-merge', () => {
  it('merges the surest pairs in the nightly job when a threshold is set, and leaves it off otherwise', async () => {
    const auto = await bootTestHost({
      plugins: [contactsPlugin, dedupPlugin],
      pluginSettings: { contacts: { demoData: false }, dedup: { autoMergeThreshold: 0.95 } },
    });
    try {
      const agent = (await auto.signIn('MANAGER')).agent;
      const sure = (
        await agent
          .post('/api/v1/contacts')
          .send({ email: 'max.weber@acme.com', firstName: 'Max', lastName: 'Weber', phone: '+49 30 7777777', postalCode: '10115' })
      ).body.id;
      await agent
        .post('/api/v1/contacts')
        .send({ email: 'max.weber@gmail.com', firstName: 'Max', lastName: 'Weber', phone: '+49 30 7777777', postalCode: '10115' });
      const unsure = (await agent.post('/api/v1/contacts').send({ email: 'jo.lund@acme.com', firstName: 'Jo', lastName: 'Lund' })).body.id;
      await agent.post('/api/v1/contacts').send({ email: 'johanna.lund@gmail.com', firstName: 'Johanna', lastName: 'Lundt', phone: '+49 30 1212121' });
      const run = await auto.host.jobs.runNow('dedup.scan');
      expect(run.counts).toMatchObject({ merged: 1 });
      expect(await auto.host.prisma.contact.count({ where: { email: { contains: 'weber' } } })).toBe(1);
      expect(await auto.host.prisma.contact.findUnique({ where: { id: sure } })).not.toBeNull();
      expect(await auto.host.prisma.contact.findUnique({ where: { id: unsure } })).not.toBeNull();
      expect(await auto.host.prisma.mergeLog.count()).toBe(1);
    } finally {
      await auto.close();
    }
    const run = await t.host.jobs.runNow('dedup.scan');
    expect(run.counts).toMatchObject({ merged: 0 });
  });
});

describe('merging contacts', () => {
  it('moves every related record, applies the choices and rules, logs it, and deletes the duplicate', async () => {
    const { primary, duplicate } = await pairWithHistory('a');
    const before = await related(duplicate);
    // A call, the note, the deal and the qualified lead's form are on the duplicate's timeline.
    expect(before).toEqual({ activities: 4, notes: 1, tasks: 1, deals: 1, leads: 1 });
    const merged = await manager.post(`/api/v1/contacts/${primary}/merge`).send({ duplicateId: duplicate, choices: { email: 'USE', firstName: 'KEEP' } });
    expect(merged.status).toBe(201);

    const contact = (await manager.get(`/api/v1/contacts/${primary}`)).body;
    expect(contact).toMatchObject({
      email: 'ann.lee.a@gmail.com',
      firstName: 'Ann',
      phone: '+4930555123',
      city: 'Berlin',
      lifecycleStage: 'CUSTOMER',
      tags: ['newsletter', 'vip'],
    });
    expect(contact.notes).toBe('Met at the fair\n\nPrefers phone');
    expect((await manager.get(`/api/v1/contacts/${duplicate}`)).status).toBe(404);
    const after = await related(primary);
    expect(after).toEqual({ activities: 4 + 1, notes: 1, tasks: 1, deals: 1, leads: 1 });
    const timeline = (await manager.get(`/api/v1/contacts/${primary}/activities`)).body.data;
    expect(timeline[0]).toMatchObject({ type: 'MERGED', subject: 'Merged ann.lee.a@gmail.com into this contact' });
  });

  it('rolls the whole merge back when a step fails, losing nothing', async () => {
    const { primary, duplicate } = await pairWithHistory('b');
    const before = await related(duplicate);
    const primaryBefore = await t.host.prisma.contact.findUniqueOrThrow({ where: { id: primary } });
    // Deleting the duplicate is the merge's last write; make it fail after everything else moved.
    await t.host.prisma.$executeRawUnsafe(
      `CREATE TRIGGER fail_merge BEFORE DELETE ON "Contact" WHEN old.id = ${duplicate} BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`,
    );
    try {
      const res = await manager.post(`/api/v1/contacts/${primary}/merge`).send({ duplicateId: duplicate, choices: { email: 'USE' } });
      expect(res.status).toBeGreaterThanOrEqual(400);
    } finally {
      await t.host.prisma.$executeRawUnsafe('DROP TRIGGER fail_merge');
    }
    expect(await related(duplicate)).toEqual(before);
    expect(await t.host.prisma.contact.findUniqueOrThrow({ where: { id: primary } })).toEqual(primaryBefore);
    expect(await t.host.prisma.mergeLog.count({ where: { duplicateId: duplicate } })).toBe(0);
  });

  it('undoes a merge: the duplicate comes back with its records and the primary as it was', async () => {
    const { primary, duplicate } = await pairWithHistory('c');
    const primaryBefore = (await manager.get(`/api/v1/contacts/${primary}`)).body;
    const duplicateBefore = (await manager.get(`/api/v1/contacts/${duplicate}`)).body;
    const relatedBefore = await related(duplicate);
    const log = (await manager.post(`/api/v1/contacts/${primary}/merge`).send({ duplicateId: duplicate, choices: { email: 'USE' } })).body;

    const undone = await manager.post(`/api/v1/merges/${log.id}/undo`);
    expect(undone.status).toBe(200);
    expect(undone.body.undoneAt).not.toBeNull();
    const { updatedAt: _a, ...primaryNow } = (await manager.get(`/api/v1/contacts/${primary}`)).body;
    const { updatedAt: _b, ...primaryThen } = primaryBefore;
    expect(primaryNow).toEqual(primaryThen);
    const { updatedAt: _c, ...duplicateNow } = (await manager.get(`/api/v1/contacts/${duplicate}`)).body;
    const { updatedAt: _d, ...duplicateThen } = duplicateBefore;
    expect(duplicateNow).toEqual(duplicateThen);
    expect(await related(duplicate)).toEqual(relatedBefore);
    expect((await manager.post(`/api/v1/merges/${log.id}/undo`)).status).toBe(409);
  });

  it('refuses an undo after 30 days, merging a contact into itself, and reps', async () => {
    const { primary, duplicate } = await pairWithHistory('d');
    const rep = (await t.signIn('REP')).agent;
    expect((await rep.post(`/api/v1/contacts/${primary}/merge`).send({ duplicateId: duplicate })).status).toBe(403);
    expect((await manager.post(`/api/v1/contacts/${primary}/merge`).send({ duplicateId: primary })).status).toBe(400);
    expect((await manager.post(`/api/v1/contacts/${primary}/merge`).send({ duplicateId: duplicate, choices: { email: 'COMBINE' } })).status).toBe(400);
    const log = (await manager.post(`/api/v1/contacts/${primary}/merge`).send({ duplicateId: duplicate })).body;
    await t.host.prisma.mergeLog.update({ where: { id: log.id }, data: { mergedAt: new Date(Date.now() - 31 * 86_400_000) } });
    const late = await manager.post(`/api/v1/merges/${log.id}/undo`);
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/older than 30 days/);
  });

  it('leaves merged contacts standing when an import is reverted: neither a pre-existing primary nor an imported one that took in another', async () => {
    const imports = (t.host.services.contacts as { imports: { waitFor: (id: number) => Promise<unknown> } }).imports;
    const older = await make({ email: 'rev.old@acme.com', firstName: 'Rita', lastName: 'Vogel' });
    const csv = 'Email,First Name,Last Name\nrita.vogel@gmail.com,Rita,Vogel\nsven.holm@acme.com,Sven,Holm\nplain.row@acme.com,Paula,Row\n';
    const up = await manager.post('/api/v1/imports').attach('file', Buffer.from(csv), 'merge-revert.csv');
    await manager.post(`/api/v1/imports/${up.body.id}/run`).send({});
    expect(await imports.waitFor(up.body.id)).toMatchObject({ created: 3 });
    const id = async (email: string) => (await t.host.prisma.contact.findUniqueOrThrow({ where: { email } })).id;
    const [importedRita, importedSven] = [await id('rita.vogel@gmail.com'), await id('sven.holm@acme.com')];
    // The imported Rita merged into the older record; an older Sven merged into the imported one.
    expect((await manager.post(`/api/v1/contacts/${older}/merge`).send({ duplicateId: importedRita })).status).toBe(201);
    const olderSven = await make({ email: 'sven.h@other.com', firstName: 'Sven', lastName: 'Holm' });
    await manager.post(`/api/v1/contacts/${olderSven}/activities`).send({ type: 'CALL', subject: 'Kept history' });
    expect((await manager.post(`/api/v1/contacts/${importedSven}/merge`).send({ duplicateId: olderSven })).status).toBe(201);

    const reverted = await manager.post(`/api/v1/imports/${up.body.id}/revert`);
    expect(reverted.body).toEqual({ removed: 1, restored: 0, kept: 1 });
    expect((await manager.get(`/api/v1/contacts/${older}`)).status).toBe(200);
    expect((await manager.get(`/api/v1/contacts/${importedSven}`)).status).toBe(200);
    expect(await t.host.prisma.activity.count({ where: { contactId: importedSven, subject: 'Kept history' } })).toBe(1);
    expect(await t.host.prisma.contact.findUnique({ where: { email: 'plain.row@acme.com' } })).toBeNull();
  });
});
