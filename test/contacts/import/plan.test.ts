import { describe, expect, it } from 'vitest';
import { CustomFieldService } from '../../../plugins/contacts/people/custom-field.service.js';
import { CONTACT_COLUMNS } from '../../../plugins/contacts/import/batch.js';
import { mapContext, mapRow } from '../../../plugins/contacts/import/map.js';
import { planBatch, type ExistingContact, type ImportUpdateRule } from '../../../plugins/contacts/import/plan.js';

const customFields = new CustomFieldService(undefined as never);
const mapping = ['email', 'firstName', 'lastName', 'notes', 'owner', 'tags', 'company'];
const context = (updateRule: ImportUpdateRule | null = null) => mapContext({ mapping, defaults: null }, [], customFields, updateRule);
const rows = (cells: string[][], ctx = context()) => cells.map((c, i) => mapRow(c, i + 1, ctx));
const existing = (email: string, id: number, extra: Partial<ExistingContact> = {}): [string, ExistingContact] => [
  email,
  {
    id,
    email,
    firstName: 'Old',
    lastName: 'Name',
    notes: 'met at the fair',
    tags: ['vip'],
    companyName: 'Acme',
    companyId: 7,
    customFields: null,
    ownerId: null,
    ...extra,
  },
];
const settings = (onDuplicate: 'FLAG' | 'SKIP' | 'UPDATE') => ({ importId: 9, runnerId: 'runner', onDuplicate });
const sortNameAt = CONTACT_COLUMNS.indexOf('sortName');

describe('plan: what each row of a batch does', () => {
  const cells = [
    ['zed@plan.test', 'Zed', 'Young', '', '', '', ''],
    ['bad', 'Bad', '', '', '', '', ''],
    ['amy@plan.test', 'Amy', 'Abbot', '', 'boss@plan.test', 'a;b', 'Initech'],
    ['kim@plan.test', 'Kim', 'Kay', '', 'nobody@plan.test', '', ''],
    ['old@plan.test', 'New', '', '', '', '', ''],
    ['zed@plan.test', 'Again', '', '', '', '', ''],
  ];
  const found = { existing: new Map([existing('old@plan.test', 41)]), owners: new Map([['boss@plan.test', 3]]) };

  it('creates new emails in name order, fails bad rows and unknown owners, flags repeats and existing emails', () => {
    const fileEmails = new Map<string, number>();
    const plan = planBatch(rows(cells), found, fileEmails, settings('FLAG'), context());
    expect(plan.creates.map((c) => [c.rowNumber, c.email, c.companyName, c.tags])).toEqual([
      [3, 'amy@plan.test', 'Initech', ['a', 'b']],
      [1, 'zed@plan.test', null, []],
    ]);
    expect(plan.creates.map((c) => c.values[sortNameAt])).toEqual([...plan.creates.map((c) => c.values[sortNameAt])].sort());
    expect(plan.creates[0]!.values[CONTACT_COLUMNS.indexOf('ownerId')]).toBe(3);
    expect(plan.others).toEqual([
      { rowNumber: 2, outcome: 'FAILED', contactId: null, error: 'email: must be a valid email address' },
      { rowNumber: 4, outcome: 'FAILED', contactId: null, error: 'owner: no user with email nobody@plan.test' },
      { rowNumber: 5, outcome: 'FLAGGED', contactId: 41, error: null },
      { rowNumber: 6, outcome: 'FLAGGED', contactId: null, email: 'zed@plan.test', error: 'email appears earlier in this file (row 1)' },
    ]);
    expect(plan).toMatchObject({ importId: 9, updates: [], latecomer: 'FLAGGED', heartbeat: { runnerId: 'runner' } });
    expect([...fileEmails]).toEqual([
      ['zed@plan.test', 1],
      ['amy@plan.test', 3],
      ['old@plan.test', 5],
    ]);
  });

  it('skips existing emails when asked, and remembers emails of earlier batches', () => {
    const plan = planBatch(rows(cells.slice(4, 5)), found, new Map(), settings('SKIP'), context());
    expect(plan.others).toEqual([{ rowNumber: 1, outcome: 'SKIPPED', contactId: 41, error: null }]);
    expect(plan.latecomer).toBe('SKIPPED');
    const later = planBatch(rows([['amy@plan.test', 'Amy', '', '', '', '', '']]), found, new Map([['amy@plan.test', 3]]), settings('FLAG'), context());
    expect(later.others[0]).toMatchObject({ outcome: 'FLAGGED', error: 'email appears earlier in this file (row 3)' });
  });

  it('updates only the fields a row fills, keeps what it changed for a revert, and adds tags', () => {
    const update = rows([['old@plan.test', 'Olga', '', 'second visit', '', 'vip;new', 'Globex']]);
    const plan = planBatch(update, found, new Map(), settings('UPDATE'), context());
    expect(plan.updates).toHaveLength(1);
    const change = plan.updates[0]!;
    expect(change).toMatchObject({ rowNumber: 1, contactId: 41, companyName: 'Globex', addTags: ['new'] });
    expect(change.columns).toMatchObject({ firstName: 'Olga', notes: 'second visit' });
    expect(change.columns).not.toHaveProperty('lastName');
    expect(change.before).toEqual({ firstName: 'Old', notes: 'met at the fair', companyId: 7, tags: ['vip'] });
  });

  it('follows an update rule: KEEP leaves a field, COMBINE joins notes', () => {
    const rule: ImportUpdateRule = () => ({ firstName: 'KEEP', notes: 'COMBINE', tags: 'KEEP', companyId: 'KEEP' });
    const update = rows([['old@plan.test', 'Olga', '', 'second visit', '', 'new', 'Globex']], context(rule));
    const change = planBatch(update, found, new Map(), settings('UPDATE'), context(rule)).updates[0]!;
    expect(change.columns).toEqual({ notes: 'met at the fair\n\nsecond visit' });
    expect(change).toMatchObject({ companyName: null, addTags: [], before: { notes: 'met at the fair' } });
  });
});
