import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';
import { createTestDatabase, postgresAvailable } from '../helpers/postgres.js';

const available = await postgresAvailable();

describe.runIf(available)('contacts on PostgreSQL', () => {
  let drop: () => Promise<void>;
  let t: TestHost;
  let rep: supertest.Agent;

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    t = await bootTestHost({ env: { DATABASE_URL: db.url }, plugins: [contactsPlugin], pluginSettings: { contacts: { demoData: false, importBatchSize: 2 } } });
    rep = (await t.signIn('MANAGER')).agent;
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it('creates, finds duplicates, filters by custom fields and tags, sorts with empty values last', async () => {
    await rep.post('/api/v1/custom-fields').send({ key: 'plan', label: 'Plan', type: 'MULTISELECT', options: ['free', 'pro', 'team'] });
    await rep.post('/api/v1/custom-fields').send({ key: 'seats', label: 'Seats', type: 'NUMBER' });
    const a = await rep
      .post('/api/v1/contacts')
      .send({ email: 'pg-a@example.com', lastName: 'Alpha', tags: ['vip'], customFields: { plan: ['pro', 'team'], seats: 5 } });
    expect(a.status).toBe(201);
    await rep.post('/api/v1/contacts').send({ email: 'pg-b@example.com', lastName: 'Beta', customFields: { plan: ['free'] } });
    expect((await rep.post('/api/v1/contacts').send({ email: 'PG-A@example.com' })).status).toBe(409);
    const list = async (q: string) => (await rep.get(`/api/v1/contacts?${q}`)).body.data.map((c: { email: string }) => c.email);
    expect(await list('cf.plan=team')).toEqual(['pg-a@example.com']);
    expect(await list('cf.seats=5')).toEqual(['pg-a@example.com']);
    expect(await list('tags=vip')).toEqual(['pg-a@example.com']);
    expect(await list('q=beta')).toEqual(['pg-b@example.com']);
    await rep.post(`/api/v1/contacts/${a.body.id}/activities`).send({ type: 'CALL' });
    expect((await list('sort=-lastActivity'))[0]).toBe('pg-a@example.com');
    expect((await list('sort=lastActivity'))[0]).toBe('pg-a@example.com');
  });

  it('imports through the Prisma writer, resumes nothing twice, and reverts', async () => {
    const s = t.host.services.contacts as ContactsServices;
    const file =
      'Email,First Name,Company,Tags,Country,Notes\nimp1@pg.test,One,Acme,x;y,Österreich,Met in Vienna\nimp2@pg.test,Two,Acme,,Atlantis,\nbad,Three,,,,\npg-a@example.com,Again,,,,\nimp1@pg.test,Dup,,,,\n';
    const up = await s.imports.upload({ buffer: Buffer.from(file), originalName: 'pg.csv' });
    await s.imports.start(up.id);
    expect(await s.imports.waitFor(up.id)).toMatchObject({ status: 'COMPLETED', created: 2, flagged: 2, failed: 1 });
    const one = await t.host.prisma.contact.findUniqueOrThrow({
      where: { email: 'imp1@pg.test' },
      include: { company: true, tags: { include: { tag: true } }, noteEntries: true },
    });
    expect([one.company?.name, one.tags.map((x) => x.tag.name).sort(), one.country, one.noteEntries.map((n) => n.body)]).toEqual([
      'Acme',
      ['x', 'y'],
      'AT',
      ['Met in Vienna'],
    ]);
    expect(await t.host.prisma.importRow.findFirst({ where: { importId: up.id, outcome: 'CREATED' } })).toMatchObject({
      rowNumber: 2,
      error: "Country left empty: 'Atlantis' is not a country we know",
    });
    // An update adds its note, and a revert takes it away again.
    const update = await s.imports.upload({ buffer: Buffer.from('Email,Notes\npg-a@example.com,Called back\n'), originalName: 'pg-update.csv' });
    await s.imports.configure(update.id, { onDuplicate: 'UPDATE' });
    await s.imports.start(update.id);
    expect(await s.imports.waitFor(update.id)).toMatchObject({ status: 'COMPLETED', updated: 1 });
    const notesOfA = () => t.host.prisma.note.count({ where: { contact: { email: 'pg-a@example.com' }, body: 'Called back' } });
    expect(await notesOfA()).toBe(1);
    expect(await s.imports.revert(update.id)).toEqual({ removed: 0, restored: 1, kept: 0 });
    expect(await notesOfA()).toBe(0);
    expect(await s.imports.revert(up.id)).toEqual({ removed: 2, restored: 0, kept: 0 });
    expect(await t.host.prisma.contact.count({ where: { email: { endsWith: '@pg.test' } } })).toBe(0);
  });

  it('lists imports newest first and expires an upload never run, with its file', async () => {
    const s = t.host.services.contacts as ContactsServices;
    const old = await s.imports.upload({ buffer: Buffer.from('Email\nold@pg.test\n'), originalName: 'old.csv' });
    await t.host.prisma.contactImport.update({ where: { id: old.id }, data: { createdAt: new Date(Date.now() - 25 * 3_600_000) } });
    const listed = (await rep.get('/api/v1/imports')).body;
    expect(listed.data.map((i: { fileName: string }) => i.fileName)).toEqual(['old.csv', 'pg-update.csv', 'pg.csv']);
    expect(listed.data[0]).toMatchObject({ id: old.id, status: 'UPLOADED' });
    expect(listed.data[2]).toMatchObject({ status: 'REVERTED', created: 2, failed: 1 });
    expect(await s.importHistory.expireUploads()).toBe(1);
    expect(await t.host.prisma.contactImportFile.count({ where: { importId: old.id } })).toBe(0);
    expect((await rep.get('/api/v1/imports')).body.total).toBe(listed.total - 1);
  });

  it('exports the filtered list', async () => {
    const res = await rep.get('/api/v1/contacts/export?tags=vip');
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('pg-a@example.com');
  });
});
