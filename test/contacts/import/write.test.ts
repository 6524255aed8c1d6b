import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactsPlugin } from '../../../plugins/contacts/index.js';
import { contactValues, type BatchPlan } from '../../../plugins/contacts/import/batch.js';
import { PrismaImportStore } from '../../../plugins/contacts/import/store.prisma.js';
import { SqliteImportStore } from '../../../plugins/contacts/import/store.sqlite.js';
import { writeBatches, type ImportStore } from '../../../plugins/contacts/import/write.js';
import { sqliteFilePath } from '../../../server/config.js';
import { bootTestHost, type TestHost } from '../../helpers/host.js';

let t: TestHost;
beforeAll(async () => {
  t = await bootTestHost({ plugins: [contactsPlugin], pluginSettings: { contacts: { demoData: false } } });
});
afterAll(() => t.close());

const runningImport = async (runnerId: string) =>
  (await t.host.prisma.contactImport.create({ data: { fileName: 'w.csv', encoding: 'utf-8', headers: [], mapping: [], status: 'RUNNING', runnerId } })).id;
const create = (
  rowNumber: number,
  email: string,
  extra: { companyName?: string; tags?: string[]; firstName?: string; note?: string; warnings?: string } = {},
) => ({
  rowNumber,
  email,
  values: contactValues({ email, firstName: extra.firstName ?? null, sortName: email, searchText: email }),
  companyName: extra.companyName ?? null,
  tags: extra.tags ?? [],
  note: extra.note ?? null,
  warnings: extra.warnings ?? null,
});

/** A batch with each kind of row: two creates (one with a company, tags, a note and a warning), an update with a note, a failed row. */
async function mixedPlan(prefix: string, runnerId: string): Promise<BatchPlan> {
  const importId = await runningImport(runnerId);
  const existing = await t.host.prisma.contact.create({ data: { email: `${prefix}-old@write.test`, firstName: 'Old', searchText: 'old', sortName: 'old' } });
  return {
    importId,
    authorId: null,
    creates: [
      create(1, `${prefix}-a@write.test`, {
        companyName: `${prefix} Org`,
        tags: ['w1', 'w2'],
        firstName: 'Ann',
        note: 'Met at the fair',
        warnings: "Country left empty: 'Atlantis' is not a country we know",
      }),
      create(2, `${prefix}-b@write.test`),
    ],
    updates: [
      {
        rowNumber: 3,
        contactId: existing.id,
        columns: { firstName: 'New' },
        companyName: null,
        addTags: ['w3'],
        before: { firstName: 'Old', tags: [] },
        note: 'Called back',
        warnings: null,
      },
    ],
    others: [{ rowNumber: 4, outcome: 'FAILED', contactId: null, error: 'email: is required' }],
    latecomer: 'FLAGGED',
    heartbeat: { runnerId, at: new Date() },
  };
}

async function written(plan: BatchPlan, prefix: string) {
  const contacts = await t.host.prisma.contact.findMany({
    where: { email: { startsWith: `${prefix}-` } },
    orderBy: { email: 'asc' },
    include: {
      company: true,
      tags: { include: { tag: true }, orderBy: { tag: { name: 'asc' } } },
      noteEntries: true,
      activities: { where: { type: 'NOTE' } },
    },
  });
  return {
    contacts: contacts.map((c) => [
      c.email.slice(prefix.length),
      c.firstName,
      c.company?.name.slice(prefix.length) ?? null,
      c.tags.map((x) => x.tag.name),
      c.importRowNumber,
      c.importId === plan.importId,
      c.noteEntries.map((n) => n.body),
      c.activities.map((a) => [a.body, (a.metadata as { noteId: number }).noteId === c.noteEntries[0]?.id]),
    ]),
    rows: (await t.host.prisma.importRow.findMany({ where: { importId: plan.importId }, orderBy: { rowNumber: 'asc' } })).map((r) => {
      const { addedNote, ...before } = (r.before ?? {}) as Record<string, unknown>;
      return [r.rowNumber, r.outcome, r.error, r.before ? before : null, addedNote ? 'note added' : null];
    }),
    counts: await t.host.prisma.contactImport.findUniqueOrThrow({
      where: { id: plan.importId },
      select: { processed: true, created: true, updated: true, failed: true },
    }),
  };
}

describe('write: the stores', () => {
  it('the SQLite store and the Prisma store write a batch the same way', async () => {
    const sqlite = new SqliteImportStore(sqliteFilePath(t.host.config.DATABASE_URL));
    const prisma = new PrismaImportStore(t.host.prisma);
    try {
      const planA = await mixedPlan('sq', 'r-sq');
      const planB = await mixedPlan('pr', 'r-pr');
      const a = await sqlite.applyBatch(planA, { rollback: false });
      const b = await prisma.applyBatch(planB, { rollback: false });
      expect([a.createdIds.length, a.updatedIds.length, b.createdIds.length, b.updatedIds.length]).toEqual([2, 1, 2, 1]);
      const fromSqlite = await written(planA, 'sq');
      expect(fromSqlite).toEqual(await written(planB, 'pr'));
      expect(fromSqlite.contacts).toEqual([
        ['-a@write.test', 'Ann', ' Org', ['w1', 'w2'], 1, true, ['Met at the fair'], [['Met at the fair', true]]],
        ['-b@write.test', null, null, [], 2, true, [], []],
        ['-old@write.test', 'New', null, ['w3'], null, false, ['Called back'], [['Called back', true]]],
      ]);
      expect(fromSqlite.rows).toEqual([
        [1, 'CREATED', "Country left empty: 'Atlantis' is not a country we know", null, null],
        [3, 'UPDATED', null, { firstName: 'Old', tags: [] }, 'note added'],
        [4, 'FAILED', 'email: is required', null, null],
      ]);
      expect(fromSqlite.counts).toEqual({ processed: 4, created: 2, updated: 1, failed: 1 });
    } finally {
      sqlite.close();
      prisma.close();
    }
  });

  it.each(['sqlite', 'prisma'])('a rolled-back batch (%s, a dry run) reports its ids and leaves nothing', async (kind) => {
    const store: ImportStore = kind === 'sqlite' ? new SqliteImportStore(sqliteFilePath(t.host.config.DATABASE_URL)) : new PrismaImportStore(t.host.prisma);
    try {
      const plan = await mixedPlan(`rb${kind}`, `r-rb-${kind}`);
      const result = await store.applyBatch(plan, { rollback: true });
      expect(result.createdIds).toHaveLength(2);
      const after = await written(plan, `rb${kind}`);
      expect(after.contacts).toEqual([['-old@write.test', 'Old', null, [], null, false, [], []]]);
      expect(after.rows).toEqual([]);
      expect(after.counts).toEqual({ processed: 0, created: 0, updated: 0, failed: 0 });
    } finally {
      store.close();
    }
  });
});

describe('write: batches', () => {
  it('writes short first batches that grow by half, planned ahead and settled in order', async () => {
    const importId = await runningImport('r-batches');
    const store = new SqliteImportStore(sqliteFilePath(t.host.config.DATABASE_URL));
    const rows = Array.from({ length: 2_600 }, (_, i) => ({ rowNumber: i + 1, email: `row${i}@batches.test` }));
    const events: string[] = [];
    try {
      await writeBatches({
        store,
        from: 0,
        batchSize: 10_000,
        rollback: false,
        rows: (start, size) => rows.slice(start, start + size),
        plan: async (batch) => {
          events.push(`plan ${batch.length}`);
          return {
            importId,
            authorId: null,
            creates: batch.map((r) => create(r.rowNumber, r.email)),
            updates: [],
            others: [],
            latecomer: 'FLAGGED',
            heartbeat: { runnerId: 'r-batches', at: new Date() },
          };
        },
        settle: async (plan, result) => void events.push(`settle ${plan.creates.length} ${result.createdIds.length}`),
      });
    } finally {
      store.close();
    }
    expect(events).toEqual(['plan 1000', 'plan 1500', 'settle 1000 1000', 'plan 100', 'settle 1500 1500', 'settle 100 100']);
    expect(await t.host.prisma.contactImport.findUniqueOrThrow({ where: { id: importId } })).toMatchObject({ processed: 2_600, created: 2_600 });
  });
});
