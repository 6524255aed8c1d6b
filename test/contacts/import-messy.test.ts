// A messy file as people send them: countries named in several languages, cells that cannot be
// stored, a blank row, a notes column. Through the REST API, with scoring on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin, type ContactsServices } from '../../plugins/contacts/index.js';
import { scoringPlugin } from '../../plugins/scoring/index.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';

let t: TestHost;
let manager: supertest.Agent;

beforeAll(async () => {
  t = await bootTestHost({ plugins: [contactsPlugin, scoringPlugin], pluginSettings: { contacts: { demoData: false } } });
  manager = (await t.signIn('MANAGER')).agent;
});
afterAll(() => t.close());

const MESSY = [
  'Email,First name,Last name,Phone,Country,Type,Job title,Notes',
  ' Marie@Messy.test ,Marie,Curie,01 23 45 67 89,France,Lead,CEO,"Met at the Paris fair, wants a demo"',
  'hans@messy.test,Hans,Müller,030 1234567,Deutschland,,,',
  ',,,,,,,',
  'joao@messy.test,João,Silva,,Brasil,VIP,,Called twice',
  'anna@messy.test,Anna,Huber,,Österreich,,,',
  'tom@messy.test,Tom,Jones,+44 20 7946 0958,United Kingdom,,,',
  'ulla@messy.test,Ulla,King,,UK,,,',
  'gary@messy.test,Gary,Brit,,Great Britain,,,',
  'eva@messy.test,Eva,Sanz,,España,,,',
  'sam@messy.test,Sam,Yank,+1 737 564 3889,USA,,-12,',
  'xena@messy.test,Xena,Nowhere,,Atlantis,,,',
  'not-an-email,Bad,Row,,,,,',
].join('\n');

type Preview = { rowNumber: number; outcome: string; error: string | null; warnings: string[]; values: Record<string, string>; changes: unknown[] };

async function upload(content: string) {
  const res = await manager.post('/api/v1/imports').attach('file', Buffer.from(content), 'messy.csv');
  expect(res.status).toBe(201);
  return res.body as { id: number; fieldLabels: Record<string, string> };
}
async function preview(id: number): Promise<Preview[]> {
  return (await manager.get(`/api/v1/imports/${id}/preview?rows=20`)).body.rows;
}
async function run(id: number) {
  expect((await manager.post(`/api/v1/imports/${id}/run`).send({})).status).toBe(202);
  return (t.host.services.contacts as ContactsServices).imports.waitFor(id);
}
const contact = (email: string) => t.host.prisma.contact.findUniqueOrThrow({ where: { email }, include: { contactScore: true } });

describe('importing a messy file', () => {
  it('previews the values as they will be stored, with warnings, a skipped blank row and one failure', async () => {
    const file = await upload(MESSY);
    expect(file.fieldLabels).toMatchObject({ firstName: 'First name', jobTitle: 'Job title', notes: 'Note' });
    const rows = await preview(file.id);
    expect(rows.map((r) => r.outcome)).toEqual([
      'CREATE',
      'CREATE',
      'SKIP',
      'CREATE',
      'CREATE',
      'CREATE',
      'CREATE',
      'CREATE',
      'CREATE',
      'CREATE',
      'CREATE',
      'FAIL',
    ]);
    expect(rows[0]!.values).toMatchObject({
      email: 'marie@messy.test',
      phone: '+33123456789',
      country: 'FR',
      type: 'LEAD',
      notes: 'Met at the Paris fair, wants a demo',
    });
    expect(rows.map((r) => r.values.country)).toEqual(['FR', 'DE', '', 'BR', 'AT', 'GB', 'GB', 'GB', 'ES', 'US', '', '']);
    expect(rows[2]).toMatchObject({ error: 'Blank row', warnings: [] });
    expect(rows[3]).toMatchObject({ error: null, warnings: ["Contact type left empty: 'VIP' is not one of Lead, Prospect, Customer, Partner, Vendor"] });
    expect(rows[3]!.values.type).toBe('');
    expect(rows[10]!.warnings).toEqual(["Country left empty: 'Atlantis' is not a country we know"]);
    expect(rows[11]).toMatchObject({ error: "'not-an-email' is not a valid email address", values: { email: 'not-an-email' } });
    expect(await t.host.prisma.contact.count({ where: { email: { endsWith: '@messy.test' } } })).toBe(0);
  });

  it('imports every row it can, with notes on the timeline, a report of what was left out, and scores at once', async () => {
    const file = await upload(MESSY);
    const result = await run(file.id);
    expect(result).toMatchObject({ status: 'COMPLETED', totalRows: 12, created: 10, skipped: 1, failed: 1, flagged: 0 });
    const countries = await t.host.prisma.contact.findMany({ where: { email: { endsWith: '@messy.test' } }, select: { email: true, country: true } });
    expect(Object.fromEntries(countries.map((c) => [c.email.split('@')[0], c.country]))).toEqual({
      marie: 'FR',
      hans: 'DE',
      joao: 'BR',
      anna: 'AT',
      tom: 'GB',
      ulla: 'GB',
      gary: 'GB',
      eva: 'ES',
      sam: 'US',
      xena: null,
    });
    const joao = await contact('joao@messy.test');
    expect([joao.type, joao.firstName]).toEqual(['LEAD', 'João']);

    const marie = await contact('marie@messy.test');
    const notes = (await manager.get(`/api/v1/contacts/${marie.id}/notes`)).body;
    expect(notes.map((n: { body: string }) => n.body)).toEqual(['Met at the Paris fair, wants a demo']);
    const timeline = (await manager.get(`/api/v1/contacts/${marie.id}/activities`)).body.data;
    expect(timeline.map((a: { type: string; body: string }) => [a.type, a.body])).toEqual([['NOTE', 'Met at the Paris fair, wants a demo']]);

    const described = (await manager.get(`/api/v1/imports/${file.id}`)).body;
    expect(described.warned).toBe(2);
    const report = (await manager.get(`/api/v1/imports/${file.id}/errors.csv`)).text.trim().split('\r\n');
    expect(report[0]).toBe('row,error,Email,First name,Last name,Phone,Country,Type,Job title,Notes');
    expect(report.slice(1).map((line) => line.split(',')[0])).toEqual(['4', '11', '12']);
    expect(report[1]).toContain("Created. Contact type left empty: 'VIP' is not one of Lead, Prospect");
    expect(report[2]).toContain("Created. Country left empty: 'Atlantis' is not a country we know");
    expect(report[3]).toContain("'not-an-email' is not a valid email address");

    // Scored by the import's own follow-up, without a rescore.
    await (t.host.services.scoring as { idle: () => Promise<void> }).idle();
    const downstream = (await manager.get(`/api/v1/imports/${file.id}`)).body.downstream as { plugin: string; status: string }[];
    expect(downstream).toContainEqual(expect.objectContaining({ plugin: 'scoring', status: 'DONE' }));
    expect((await contact('marie@messy.test')).contactScore?.breakdown).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'Senior job title' })]),
    );
    expect(await t.host.prisma.contactScore.count({ where: { contact: { email: { endsWith: '@messy.test' } } } })).toBe(10);
  });

  it('in update mode reports only the values that change, adds a note only once, and a revert takes it away', async () => {
    const again = await upload(MESSY.replace('Hans,Müller,030 1234567,Deutschland,,,', 'Hans,Mueller,030 1234567,Deutschland,,,Asked for a call'));
    await manager.patch(`/api/v1/imports/${again.id}`).send({ onDuplicate: 'UPDATE' });
    const rows = await preview(again.id);
    expect(rows[0]).toMatchObject({ outcome: 'UPDATE', changes: [] });
    expect(rows[1]).toMatchObject({
      outcome: 'UPDATE',
      changes: [
        { field: 'lastName', from: 'Müller', to: 'Mueller' },
        { field: 'notes', from: '', to: 'Asked for a call' },
      ],
    });
    const result = await run(again.id);
    expect(result).toMatchObject({ updated: 10, created: 0, failed: 1, skipped: 1 });
    const hans = await contact('hans@messy.test');
    expect(hans.lastName).toBe('Mueller');
    expect(await t.host.prisma.note.count({ where: { contactId: hans.id } })).toBe(1);
    const marie = await contact('marie@messy.test');
    expect(await t.host.prisma.note.count({ where: { contactId: marie.id } })).toBe(1);
    const reverted = await manager.post(`/api/v1/imports/${again.id}/revert`);
    expect(reverted.body).toMatchObject({ restored: 10 });
    expect((await contact('hans@messy.test')).lastName).toBe('Müller');
    expect(await t.host.prisma.note.count({ where: { contactId: hans.id } })).toBe(0);
    expect(await t.host.prisma.activity.count({ where: { contactId: hans.id } })).toBe(0);
  });

  it('exports phone numbers and negative numbers as they are, formulas neutralised, as UTF-8 with a BOM', async () => {
    const sam = await contact('sam@messy.test');
    await t.host.prisma.contact.update({ where: { id: sam.id }, data: { department: '=HYPERLINK("http://evil")', city: '+cmd' } });
    const res = await manager.get('/api/v1/contacts/export?q=sam%40messy');
    expect(res.text.startsWith('\uFEFFid,email')).toBe(true);
    const row = res.text.trim().split('\r\n')[1]!;
    expect(row).toContain(',+17375643889,');
    expect(row).toContain(',-12,');
    expect(row).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(row).toContain(",'+cmd,");
  });
});
