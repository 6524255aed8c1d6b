import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomFieldService } from '../../../plugins/contacts/people/custom-field.service.js';
import { contactsPlugin } from '../../../plugins/contacts/index.js';
import { readCsv } from '../../../plugins/contacts/import/decode.js';
import { mapContext } from '../../../plugins/contacts/import/map.js';
import { claim, emailsBefore, interruptedImports, STALE_AFTER_MS } from '../../../plugins/contacts/import/resume.js';
import { bootTestHost, type TestHost } from '../../helpers/host.js';

let t: TestHost;
beforeAll(async () => {
  // No resume at start, so the imports below stay as the test leaves them.
  t = await bootTestHost({ plugins: [contactsPlugin], pluginSettings: { contacts: { demoData: false } } });
});
afterAll(() => t.close());

const anImport = async (data: { status: 'UPLOADED' | 'QUEUED' | 'RUNNING' | 'COMPLETED'; runnerId?: string; heartbeatAt?: Date }) =>
  (await t.host.prisma.contactImport.create({ data: { fileName: 'r.csv', encoding: 'utf-8', headers: [], mapping: [], ...data } })).id;
const ago = (ms: number) => new Date(Date.now() - ms);

describe('resume: who runs an import', () => {
  it('finds queued imports no runner has and running ones whose runner went quiet, not live or finished ones', async () => {
    const queued = await anImport({ status: 'QUEUED' });
    const stale = await anImport({ status: 'RUNNING', runnerId: 'gone', heartbeatAt: ago(STALE_AFTER_MS + 5_000) });
    const staleQueued = await anImport({ status: 'QUEUED', runnerId: 'gone', heartbeatAt: ago(STALE_AFTER_MS + 5_000) });
    await anImport({ status: 'RUNNING', runnerId: 'alive', heartbeatAt: ago(1_000) });
    await anImport({ status: 'COMPLETED', heartbeatAt: ago(STALE_AFTER_MS * 10) });
    await anImport({ status: 'UPLOADED' });
    expect((await interruptedImports(t.host.prisma)).sort((a, b) => a - b)).toEqual([queued, stale, staleQueued]);
  });

  it('lets one runner claim an import; another takes it only once the first has gone quiet', async () => {
    const id = await anImport({ status: 'QUEUED' });
    expect(await claim(t.host.prisma, id, 'first')).toBe(true);
    expect(await claim(t.host.prisma, id, 'second')).toBe(false);
    expect(await claim(t.host.prisma, id, 'first')).toBe(true);
    await t.host.prisma.contactImport.update({ where: { id }, data: { heartbeatAt: ago(STALE_AFTER_MS + 1_000) } });
    expect(await claim(t.host.prisma, id, 'second')).toBe(true);
    expect(await t.host.prisma.contactImport.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'RUNNING', runnerId: 'second' });
    expect(await claim(t.host.prisma, id, 'first')).toBe(false);
  });

  it('knows the emails of the rows before the resume point, so later repeats are still flagged', () => {
    const records = readCsv('Name,Email\nAnn,ANN@x.test\nBob,\nAnn again,ann@x.test\nCid,cid@x.test\n');
    const context = mapContext({ mapping: ['firstName', 'email'], defaults: null }, [], new CustomFieldService(undefined as never));
    expect([...emailsBefore(records, 3, context)]).toEqual([['ann@x.test', 1]]);
    expect([...emailsBefore(records, 10, context)]).toEqual([
      ['ann@x.test', 1],
      ['cid@x.test', 4],
    ]);
    expect(emailsBefore(records, 0, context).size).toBe(0);
  });
});
