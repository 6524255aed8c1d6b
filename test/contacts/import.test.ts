import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { ExportService } from '../../plugins/contacts/export/export.service.js';
import { PrismaExportReader } from '../../plugins/contacts/export/export.store.js';
import { contactValues, type BatchPlan } from '../../plugins/contacts/import/batch.js';
import { SqliteImportStore } from '../../plugins/contacts/import/store.sqlite.js';
import { ImportWriter } from '../../plugins/contacts/import/store.thread.js';
import { LostClaimError } from '../../plugins/contacts/import/write.js';
import { sqliteFilePath } from '../../server/config.js';
import { bootTestHost, newTestDir, type TestHost } from '../helpers/host.js';

let t: TestHost;
let rep: supertest.Agent;
let manager: supertest.Agent;

const settings = { contacts: { demoData: false, importBatchSize: 2, importMaxBytes: 64 * 1024 } };

beforeAll(async () => {
  t = await bootTestHost({ plugins: [contactsPlugin], pluginSettings: settings });
  rep = (await t.signIn('REP')).agent;
  manager = (await t.signIn('MANAGER')).agent;
});
afterAll(() => t.close());

const services = (host: TestHost) => host.host.services.contacts as ContactsServices;

async function upload(agent: supertest.Agent, content: Buffer | string, name = 'people.csv') {
  const res = await agent.post('/api/v1/imports').attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content), name);
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: number; encoding: string; headers: string[]; columns: { index: number; header: string; field: string | null }[]; totalRows: number };
}

async function run(agent: supertest.Agent, id: number, body: Record<string, unknown> = {}) {
  const started = await agent.post(`/api/v1/imports/${id}/run`).send(body);
  expect(started.status).toBe(202);
  return services(t).imports.waitFor(id);
}

describe('reading the file', () => {
  it('detects UTF-8 with BOM, UTF-16 and Windows-1252', async () => {
    const text = 'Email,Last Name\nbom@example.com,Müller\n';
    const bom = await upload(rep, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    expect(bom.encoding).toBe('utf-8-bom');
    expect(bom.headers[0]).toBe('Email');
    const utf16 = await upload(rep, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace('bom@', 'u16@'), 'utf16le')]));
    expect(utf16.encoding).toBe('utf-16le');
    const latin = await upload(rep, Buffer.from(text.replace('bom@', 'cp@'), 'latin1'));
    expect(latin.encoding).toBe('windows-1252');
    await run(rep, latin.id);
    const contact = await t.host.prisma.contact.findUniqueOrThrow({ where: { email: 'cp@example.com' } });
    expect(contact.lastName).toBe('Müller');
  });

  it('maps common header spellings and leaves hostile, blank and repeated headers unmapped', async () => {
    const file = await upload(
      rep,
      'E-mail Address,Given name,Surname,Organisation,ZIP,__proto__,constructor,,E-mail Address\na@b.co,A,B,C,12345,x,y,z,other@b.co\n',
    );
    expect(file.columns.map((c) => c.field)).toEqual(['email', 'firstName', 'lastName', 'company', 'postalCode', null, null, null, null]);
    expect(file.headers[7]).toBe('Column 8');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    const mapped = await rep.patch(`/api/v1/imports/${file.id}`).send({ mapping: { '#5': 'notes', constructor: 'city' } });
    expect(mapped.status).toBe(200);
    expect(mapped.body.columns.map((c: { field: string | null }) => c.field).slice(5, 7)).toEqual(['notes', 'city']);
    expect(({} as Record<string, unknown>).notes).toBeUndefined();
    const twice = await rep.patch(`/api/v1/imports/${file.id}`).send({ mapping: { '#8': 'email' } });
    expect(twice.status).toBe(400);
    expect(twice.body.error.issues[0].message).toBe('email is mapped twice');
    const unknown = await rep.patch(`/api/v1/imports/${file.id}`).send({ mapping: { Surname: 'shoeSize', Nope: 'city' } });
    expect(unknown.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['mapping.Surname', 'mapping.Nope']);
  });

  it('refuses empty, oversized, broken and missing uploads and keeps serving', async () => {
    expect((await rep.post('/api/v1/imports').attach('file', Buffer.alloc(0), 'empty.csv')).status).toBe(400);
    const big = await rep.post('/api/v1/imports').attach('file', Buffer.alloc(70 * 1024, 'a'), 'big.csv');
    expect(big.status).toBe(413);
    const broken = await rep
      .post('/api/v1/imports')
      .set('Content-Type', 'multipart/form-data; boundary=XYZ')
      .send('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nEmail\na@b.co');
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toMatch(/^file: /);
    const none = await rep.post('/api/v1/imports').field('other', 'x');
    expect(none.status).toBe(400);
    expect(none.body.error.issues[0].path).toBe('file');
    const onlyHeader = await rep.post('/api/v1/imports').attach('file', Buffer.from('Email\n'), 'h.csv');
    expect(onlyHeader.status).toBe(400);
    expect((await rep.get('/api/v1/contacts')).status).toBe(200);
  });
});

describe('running imports', () => {
  const csv = [
    'Email,First Name,Last Name,Company,Phone,Country,Tags,Lifecycle Stage,Notes',
    'ann@import.test,Ann,Lee,Acme,030 1234567,DE,vip;event,Qualified,=HYPERLINK("http://evil")',
    'bad-email,Bob,X,,,,,,',
    'cid@import.test,Cid,Moe,Acme,,,event,,',
    'ann@import.test,Annie,Lee,,,,,,',
    'dee@import.test,Dee,Roe,,,Atlantis,,,',
    'eve@import.test,Eve,Poe,Initech,+1 415 555 0100,US,,customer,',
  ].join('\n');

  it('previews the first rows with what would happen and why', async () => {
    const file = await upload(rep, csv);
    const preview = (await rep.get(`/api/v1/imports/${file.id}/preview?rows=6`)).body.rows;
    expect(preview.map((r: { outcome: string }) => r.outcome)).toEqual(['CREATE', 'FAIL', 'CREATE', 'FLAG', 'CREATE', 'CREATE']);
    expect(preview[1].error).toBe("'bad-email' is not a valid email address");
    expect(preview[4].warnings).toEqual(["Country left empty: 'Atlantis' is not a country we know"]);
    expect(await t.host.prisma.contact.count({ where: { email: { endsWith: '@import.test' } } })).toBe(0);
  });

  it('dry-runs without writing anything', async () => {
    const file = await upload(rep, csv);
    const result = await run(rep, file.id, { dryRun: true });
    expect(result.status).toBe('UPLOADED');
    expect(result.dryRunReport).toMatchObject({ created: 4, flagged: 1, failed: 1 });
    expect(await t.host.prisma.contact.count({ where: { email: { endsWith: '@import.test' } } })).toBe(0);
    expect(await t.host.prisma.company.count({ where: { name: 'Initech' } })).toBe(0);
  });

  it('imports in the background with progress counts, then a second run of the same file creates nothing', async () => {
    const file = await upload(rep, csv);
    const result = await run(rep, file.id);
    expect(result).toMatchObject({ status: 'COMPLETED', totalRows: 6, processed: 6, created: 4, flagged: 1, failed: 1, updated: 0 });
    const ann = (await rep.get('/api/v1/contacts?q=ann%40import')).body.data[0];
    expect(ann).toMatchObject({ firstName: 'Ann', phone: '+49301234567', lifecycleStage: 'QUALIFIED', tags: ['event', 'vip'], company: { name: 'Acme' } });
    const cid = (await rep.get('/api/v1/contacts?q=cid%40import')).body.data[0];
    expect(cid.company.id).toBe(ann.company.id);
    expect((await rep.get('/api/v1/contacts?q=eve%40import')).body.data[0]).toMatchObject({ type: 'LEAD', lifecycleStage: 'CUSTOMER' });

    const report = await rep.get(`/api/v1/imports/${file.id}/errors.csv`);
    expect(report.headers['content-type']).toMatch(/text\/csv/);
    const lines = report.text.trim().split('\r\n');
    expect(lines[0]).toBe('row,error,Email,First Name,Last Name,Company,Phone,Country,Tags,Lifecycle Stage,Notes');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['2', '5']);
    const created = (await rep.get(`/api/v1/imports/${file.id}/rows?outcome=CREATED&pageSize=2`)).body;
    expect(created.total).toBe(4);
    expect(created.data.map((r: { rowNumber: number; contactId: number }) => [r.rowNumber, r.contactId])).toEqual([
      [1, ann.id],
      [3, cid.id],
    ]);
    expect(created.data[0].cells).toMatchObject({ Email: 'ann@import.test', 'First Name': 'Ann' });
    // Row 4 repeats row 1, which an earlier batch created: it points at that contact.
    const repeated = (await rep.get(`/api/v1/imports/${file.id}/rows?outcome=FLAGGED`)).body.data;
    expect(repeated).toMatchObject([{ rowNumber: 4, contactId: ann.id, reason: 'email appears earlier in this file (row 1)' }]);

    const again = await upload(rep, csv);
    const second = await run(rep, again.id);
    expect(second).toMatchObject({ created: 0, flagged: 5, failed: 1 });
    const review = (await rep.get(`/api/v1/imports/${again.id}/rows?outcome=FLAGGED`)).body;
    expect(review.total).toBe(5);
    expect(review.data[0]).toMatchObject({ rowNumber: 1, contactId: ann.id, reason: null, cells: { Email: 'ann@import.test', 'First Name': 'Ann' } });
    expect(review.data.find((r: { rowNumber: number }) => r.rowNumber === 4)).toMatchObject({
      contactId: ann.id,
      reason: 'email appears earlier in this file (row 1)',
    });
    expect(await t.host.prisma.contact.count({ where: { email: { endsWith: '@import.test' } } })).toBe(4);
  });

  it('skips or updates existing emails as chosen, and a revert restores them', async () => {
    const skip = await upload(rep, 'Email,First Name\nann@import.test,Changed\nnew@import.test,New\n');
    await rep.patch(`/api/v1/imports/${skip.id}`).send({ onDuplicate: 'SKIP' });
    expect(await run(rep, skip.id)).toMatchObject({ created: 1, skipped: 1 });
    expect((await t.host.prisma.contact.findUniqueOrThrow({ where: { email: 'ann@import.test' } })).firstName).toBe('Ann');

    const update = await upload(rep, 'Email,First Name,Job Title,Tags,Company\nann@import.test,Anna,CTO,board,Globex\nfresh@import.test,Fresh,,,\n');
    await rep.patch(`/api/v1/imports/${update.id}`).send({ onDuplicate: 'UPDATE', defaults: { leadSource: 'Trade fair' } });
    expect(await run(rep, update.id)).toMatchObject({ created: 1, updated: 1 });
    const changed = (await rep.get('/api/v1/contacts?q=ann%40import')).body.data[0];
    expect(changed).toMatchObject({ firstName: 'Anna', jobTitle: 'CTO', leadSource: 'Trade fair', company: { name: 'Globex' } });
    expect(changed.tags).toEqual(['board', 'event', 'vip']);
    expect(changed.phone).toBe('+49301234567');
    expect((await rep.get('/api/v1/contacts?q=globex')).body.data.map((c: { email: string }) => c.email)).toContain('ann@import.test');

    expect((await rep.post(`/api/v1/imports/${update.id}/revert`)).status).toBe(403);
    const reverted = await manager.post(`/api/v1/imports/${update.id}/revert`);
    expect(reverted.body).toEqual({ removed: 1, restored: 1, kept: 0 });
    const restored = (await rep.get('/api/v1/contacts?q=ann%40import')).body.data[0];
    expect(restored).toMatchObject({ firstName: 'Ann', jobTitle: null, leadSource: null, company: { name: 'Acme' }, tags: ['event', 'vip'] });
    expect(await t.host.prisma.contact.count({ where: { email: 'fresh@import.test' } })).toBe(0);
    expect((await manager.post(`/api/v1/imports/${update.id}/revert`)).status).toBe(409);
  });

  it('validates defaults and custom field columns per row', async () => {
    await manager.post('/api/v1/custom-fields').send({ key: 'seats', label: 'Seats', type: 'NUMBER' });
    const file = await upload(rep, 'Email,Seats\nseats1@import.test,12\nseats2@import.test,lots\n');
    expect(file.columns[1]!.field).toBe('custom.seats');
    const badDefault = await rep.patch(`/api/v1/imports/${file.id}`).send({ defaults: { type: 'friend', email: 'x@y.z' } });
    expect(badDefault.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['defaults.type', 'defaults.email']);
    await rep.patch(`/api/v1/imports/${file.id}`).send({ defaults: { type: 'Partner' } });
    const result = await run(rep, file.id);
    expect(result).toMatchObject({ created: 2, failed: 0 });
    const c = await t.host.prisma.contact.findUniqueOrThrow({ where: { email: 'seats1@import.test' } });
    expect([c.type, c.customFields]).toEqual(['PARTNER', { seats: 12 }]);
    const warned = await t.host.prisma.importRow.findFirstOrThrow({ where: { importId: file.id, outcome: 'CREATED' } });
    expect(warned.error).toBe("Seats left empty: 'lots' must be a number");
    expect((await t.host.prisma.contact.findUniqueOrThrow({ where: { email: 'seats2@import.test' } })).customFields).toBeNull();
  });

  it('fills a default only where the row leaves the field blank, custom fields included', async () => {
    await manager.post('/api/v1/custom-fields').send({ key: 'licences', label: 'Licences', type: 'NUMBER' });
    const file = await upload(rep, 'Email,Licences,City\nfilled@defaults.test,40,Oslo\nblank@defaults.test,,\n');
    expect(file.columns.map((c) => c.field)).toEqual(['email', 'custom.licences', 'city']);
    expect((await rep.patch(`/api/v1/imports/${file.id}`).send({ defaults: { 'custom.licences': '5', city: 'Bergen' } })).status).toBe(200);
    expect(await run(rep, file.id)).toMatchObject({ created: 2, failed: 0 });
    const seen = await t.host.prisma.contact.findMany({ where: { email: { endsWith: '@defaults.test' } }, orderBy: { email: 'asc' } });
    expect(seen.map((c) => [c.email, c.city, c.customFields])).toEqual([
      ['blank@defaults.test', 'Bergen', { licences: 5 }],
      ['filled@defaults.test', 'Oslo', { licences: 40 }],
    ]);
  });
});

describe('an interrupted import', () => {
  it('resumes on another instance without duplicates after its runner stops', async () => {
    const dir = newTestDir();
    const first = await bootTestHost({ dir, plugins: [contactsPlugin], pluginSettings: settings });
    const second = await bootTestHost({ dir, plugins: [contactsPlugin], pluginSettings: settings });
    try {
      // The first instance stalls once its first batch is committed (the second, already handed to the
      // writer, is written too), as if it had crashed.
      let release!: () => void;
      const stalled = new Promise<void>((resolve) => (release = resolve));
      first.host.events.on('contacts.imported', () => stalled);
      const rows = Array.from({ length: 7 }, (_, i) => `p${i}@resume.test,P${i}`).join('\n');
      const { id } = await services(first).imports.upload({ buffer: Buffer.from(`Email,First Name\n${rows}\n`), originalName: 'r.csv' });
      await services(first).imports.start(id);
      await expect.poll(async () => (await first.host.prisma.contactImport.findUniqueOrThrow({ where: { id } })).processed, { timeout: 10_000 }).toBe(4);

      await second.host.prisma.contactImport.update({ where: { id }, data: { heartbeatAt: new Date(Date.now() - 5 * 60_000) } });
      expect(await services(second).imports.resumeInterrupted()).toEqual([id]);
      const done = await services(second).imports.waitFor(id);
      expect(done).toMatchObject({ status: 'COMPLETED', processed: 7, created: 7, failed: 0 });

      release();
      await new Promise((r) => setTimeout(r, 200));
      expect(await second.host.prisma.contactImport.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'COMPLETED' });
      expect(await second.host.prisma.contact.count({ where: { email: { endsWith: '@resume.test' } } })).toBe(7);
      const created = await second.host.prisma.contact.findMany({ where: { importId: id }, orderBy: { importRowNumber: 'asc' } });
      expect(created.map((c) => c.importRowNumber)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    } finally {
      await first.close();
      await second.close();
    }
  });
});

describe('writing batches', () => {
  const runningImport = async (runnerId: string) =>
    (await t.host.prisma.contactImport.create({ data: { fileName: 'w.csv', encoding: 'utf-8', headers: [], mapping: [], status: 'RUNNING', runnerId } })).id;
  const plan = (importId: number, runnerId: string, emails: string[], others: BatchPlan['others'] = []): BatchPlan => ({
    importId,
    authorId: null,
    creates: emails.map((email, i) => ({
      rowNumber: i + 1,
      email,
      values: contactValues({ email, sortName: email, searchText: email }),
      companyName: null,
      tags: ['batch'],
      note: null,
      warnings: null,
    })),
    updates: [],
    others,
    latecomer: 'FLAGGED',
    heartbeat: { runnerId, at: new Date() },
  });

  it('flags a row whose email another writer added after the batch was planned, and writes the rest', async () => {
    const importId = await runningImport('runner-late');
    const existing = await t.host.prisma.contact.create({ data: { email: 'late@batch.test', searchText: 'late', sortName: 'late' } });
    const store = new SqliteImportStore(sqliteFilePath(t.host.config.DATABASE_URL));
    try {
      const repeat = {
        rowNumber: 3,
        outcome: 'FLAGGED' as const,
        contactId: null,
        email: 'late@batch.test',
        error: 'email appears earlier in this file (row 1)',
      };
      const result = await store.applyBatch(plan(importId, 'runner-late', ['late@batch.test', 'fresh@batch.test'], [repeat]), { rollback: false });
      expect(result.createdIds).toHaveLength(1);
    } finally {
      store.close();
    }
    const rows = await t.host.prisma.importRow.findMany({ where: { importId }, orderBy: { rowNumber: 'asc' } });
    expect(rows.map((r) => [r.rowNumber, r.outcome, r.contactId])).toEqual([
      [1, 'FLAGGED', existing.id],
      [3, 'FLAGGED', existing.id],
    ]);
    const fresh = await t.host.prisma.contact.findUniqueOrThrow({ where: { email: 'fresh@batch.test' } });
    expect([fresh.importId, fresh.importRowNumber]).toEqual([importId, 2]);
    expect(await t.host.prisma.contactImport.findUniqueOrThrow({ where: { id: importId } })).toMatchObject({ processed: 3, created: 1, flagged: 2 });
    expect(await t.host.prisma.contactTag.count({ where: { contactId: existing.id } })).toBe(0);
  });

  it('runs two imports at once through the one writer thread, each with its own outcome', async () => {
    const rows = (domain: string, count: number) => Array.from({ length: count }, (_, i) => `p${i}@${domain},P${i},Org ${domain}`).join('\n');
    const first = await upload(rep, `Email,First Name,Company\n${rows('one.parallel.test', 9)}\np0@one.parallel.test,Again,X\n`);
    const second = await upload(rep, `Email,First Name,Company\n${rows('two.parallel.test', 7)}\n`);
    const [a, b] = await Promise.all([run(rep, first.id), run(rep, second.id)]);
    expect(a).toMatchObject({ status: 'COMPLETED', processed: 10, created: 9, flagged: 1 });
    expect(b).toMatchObject({ status: 'COMPLETED', processed: 7, created: 7, flagged: 0 });
    const companies = await t.host.prisma.company.findMany({ where: { name: { startsWith: 'Org ' } }, include: { _count: { select: { contacts: true } } } });
    expect(companies.map((c) => [c.name, c._count.contacts]).sort()).toEqual([
      ['Org one.parallel.test', 9],
      ['Org two.parallel.test', 7],
    ]);
  });

  it('refuses the batches handed over after one that failed, so the resume point never skips rows', async () => {
    const importId = await runningImport('runner-owner');
    const writer = new ImportWriter(sqliteFilePath(t.host.config.DATABASE_URL));
    const store = writer.session();
    try {
      const lost = store.applyBatch(plan(importId, 'runner-other', ['first@refused.test']), { rollback: false });
      const after = store.applyBatch(plan(importId, 'runner-owner', ['second@refused.test']), { rollback: false });
      await expect(lost).rejects.toBeInstanceOf(LostClaimError);
      await expect(after).rejects.toBeInstanceOf(LostClaimError);
    } finally {
      store.close();
      await writer.stop();
    }
    expect(await t.host.prisma.contact.count({ where: { email: { endsWith: '@refused.test' } } })).toBe(0);
    expect(await t.host.prisma.importRow.count({ where: { importId } })).toBe(0);
  });
});

describe('export', () => {
  it('streams the filtered list as CSV with formula cells neutralized', async () => {
    const formula = await rep
      .post('/api/v1/contacts')
      .send({ email: 'formula@export.test', firstName: '=SUM(A1:A9)', lastName: '+cmd', jobTitle: '-2+3', department: '@evil' });
    // Input is trimmed, so leading tabs and returns can only come from elsewhere (another tool writing to the database).
    await t.host.prisma.contact.update({ where: { id: formula.body.id }, data: { notes: '\tTabbed, "quoted"', city: '\rReturn' } });
    await rep.post('/api/v1/contacts').send({ email: 'plain@export.test', firstName: 'Plain', status: 'BLOCKED' });
    const res = await rep.get('/api/v1/contacts/export?q=export.test&status=ACTIVE');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="contacts-/);
    const text = res.text.replace(/^\uFEFF/, '');
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]!.startsWith('id,email,firstName,lastName')).toBe(true);
    const row = lines[1]!;
    expect(row).toContain(",'=SUM(A1:A9),'+cmd,,,'-2+3,'@evil,");
    expect(row).toContain(`"'\tTabbed, ""quoted"""`);
    expect(row).toContain(`"'\rReturn"`);
    expect(row).not.toContain('plain@export.test');
    expect((await rep.get('/api/v1/contacts/export?colour=red')).status).toBe(400);
  });

  it('writes the same CSV through the SQLite reader as through the Prisma client', async () => {
    await rep
      .post('/api/v1/contacts')
      .send({ email: 'tags@export.test', firstName: 'Tagged', tags: ['zeta', 'Alpha', 'éclair', 'beta'], customFields: { seats: 3 } });
    const csvOf = async (exporter: ExportService) => {
      let text = '';
      await exporter.write({}, new Writable({ write: (chunk, _enc, done) => void ((text += chunk), done()) }));
      return text;
    };
    const s = services(t);
    const throughPrisma = new ExportService(t.host.prisma, s.list, s.customFields, () => new PrismaExportReader(t.host.prisma));
    const sqlite = await csvOf(s.exporter);
    expect(sqlite).toBe(await csvOf(throughPrisma));
    expect(sqlite).toContain('Alpha; beta; zeta; éclair');
  });
});
