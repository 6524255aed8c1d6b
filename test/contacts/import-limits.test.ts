import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type supertest from 'supertest';
import { contactsPlugin } from '../../plugins/contacts/index.js';
import { bootTestHost, type TestHost } from '../helpers/host.js';

// Files beyond the import's limits are refused at upload, early and with a message a person can act on.
let t: TestHost;
let rep: supertest.Agent;

beforeAll(async () => {
  t = await bootTestHost({ plugins: [contactsPlugin], pluginSettings: { contacts: { demoData: false } } });
  rep = (await t.signIn('REP')).agent;
});
afterAll(() => t.close());

const upload = (content: string | Buffer, name = 'wide.csv') =>
  rep.post('/api/v1/imports').attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content), name);

describe('upload limits', () => {
  it('refuses a 9.9 MB file of a million columns at once, and keeps serving', async () => {
    const file = Buffer.from(`${Array.from({ length: 1_000_000 }, (_, i) => `col${i}`).join(',')}\nx\n`);
    expect(file.length).toBeGreaterThan(9_800_000);
    const started = performance.now();
    const res = await upload(file);
    const took = performance.now() - started;
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('file: the header line is longer than 100,000 characters; is it a CSV file of contacts?');
    expect(res.body.error.issues).toEqual([{ path: 'file', message: expect.stringContaining('header line') }]);
    expect(took).toBeLessThan(3_000); // the upload itself included; the check is a few milliseconds
    expect(await t.host.prisma.contactImport.count()).toBe(0);
    expect((await rep.get('/api/v1/contacts')).status).toBe(200);
  });

  it('refuses more than 500 columns, in the header or in a row, quoted or not', async () => {
    const cells = (n: number, cell = 'x') => Array.from({ length: n }, () => cell).join(',');
    const wideHeader = await upload(`Email,${cells(600)}\na@b.co\n`);
    expect(wideHeader.status).toBe(400);
    expect(wideHeader.body.error.message).toBe('file: the header line has 601 columns; a file may have at most 500');
    const wideRow = await upload(`Email,Name\na@b.co,Ann\nc@d.co,${cells(700)}\n`);
    expect(wideRow.status).toBe(400);
    expect(wideRow.body.error.message).toBe('file: row 2 has 701 columns; a file may have at most 500');
    const quoted = await upload(`Email,Name\n"a@b.co","Ann"\n${cells(501, '"q"')}\n`);
    expect(quoted.status).toBe(400);
    expect(quoted.body.error.message).toBe('file: row 2 has 501 columns; a file may have at most 500');
    const fine = await upload(`Email,${cells(499)}\na@b.co\n`);
    expect(fine.status).toBe(201);
    expect(fine.body.columns).toHaveLength(500);
  });

  it('refuses a line longer than 100,000 characters, quoted or not, and leaves out only the long cell', async () => {
    const long = 'y'.repeat(100_001);
    const plain = await upload(`Email,Notes\na@b.co,short\nc@d.co,${long}\n`);
    expect(plain.status).toBe(400);
    expect(plain.body.error.message).toBe('file: row 2 is longer than 100,000 characters; is it a CSV file of contacts?');
    const quoted = await upload(`Email,Notes\n"a@b.co","${long}"\n`);
    expect(quoted.status).toBe(400);
    expect(quoted.body.error.message).toMatch(/^file: row 1 is longer than 100,000 characters/);

    const cell = await upload(`Email,Notes\nlong@limits.test,${'z'.repeat(10_001)}\nshort@limits.test,fine\n`);
    expect(cell.status).toBe(201);
    await rep.post(`/api/v1/imports/${cell.body.id}/run`).send({});
    await expect.poll(async () => (await rep.get(`/api/v1/imports/${cell.body.id}`)).body.status, { timeout: 10_000 }).toBe('COMPLETED');
    // The row is imported without the cell, which the report names.
    expect((await rep.get(`/api/v1/imports/${cell.body.id}`)).body).toMatchObject({ created: 2, failed: 0, warned: 1 });
    const report = (await rep.get(`/api/v1/imports/${cell.body.id}/errors.csv`)).text.split('\r\n');
    expect(report[1]).toMatch(/^1,Created\. Note left empty: it is longer than 10000 characters,long@limits\.test,z+$/);
  });
});
