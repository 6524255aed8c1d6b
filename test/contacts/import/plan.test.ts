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

  it('creates new emails in name order (an unknown owner left out with a warning), fails bad emails, flags repeats and existing emails', () => {
    const fileEmails = new Map<string, number>();
    const plan = planBatch(rows(cells), found, fileEmails, settings('FLAG'), context());
    expect(plan.creates.map((c) => [c.rowNumber, c.email, c.companyName, c.tags, c.warnings])).toEqual([
      [3, 'amy@plan.test', 'Initech', ['a', 'b'], null],
      [4, 'kim@plan.test', null, [], "Owner left empty: no active user has the email 'nobody@plan.test'"],
      [1, 'zed@plan.test', null, [], null],
    ]);
    expect(plan.creates.map((c) => c.values[sortNameAt])).toEqual([...plan.creates.map((c) => c.values[sortNameAt])].sort());
    expect(plan.creates[0]!.values[CONTACT_COLUMNS.indexOf('ownerId')]).toBe(3);
    expect(plan.creates[1]!.values[CONTACT_COLUMNS.indexOf('ownerId')]).toBeNull();
    expect(plan.others).toEqual([
      { rowNumber: 2, outcome: 'FAILED', contactId: null, error: "'bad' is not a valid email address" },
      { rowNumber: 5, outcome: 'FLAGGED', contactId: 41, error: null },
      { rowNumber: 6, outcome: 'FLAGGED', contactId: null, email: 'zed@plan.test', error: 'email appears earlier in this file (row 1)' },
    ]);
    expect(plan).toMatchObject({ importId: 9, updates: [], latecomer: 'FLAGGED', heartbeat: { runnerId: 'runner' } });
    expect([...fileEmails]).toEqual([
      ['zed@plan.test', 1],
      ['amy@plan.test', 3],
      ['kim@plan.test', 4],
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

  it('updates only the fields a row fills, keeps what it changed for a revert, adds tags and the note', () => {
    const update = rows([['old@plan.test', 'Olga', '', 'second visit', '', 'vip;new', 'Globex']]);
    const plan = planBatch(update, found, new Map(), settings('UPDATE'), context());
    expect(plan.updates).toHaveLength(1);
    const change = plan.updates[0]!;
    expect(change).toMatchObject({ rowNumber: 1, contactId: 41, companyName: 'Globex', addTags: ['new'], note: 'second visit' });
    expect(change.columns).toMatchObject({ firstName: 'Olga' });
    expect(change.columns).not.toHaveProperty('lastName');
    expect(change.columns).not.toHaveProperty('notes');
    expect(change.before).toEqual({ firstName: 'Old', companyId: 7, tags: ['vip'] });
  });

  it('changes nothing where the values are the same, and does not add a note the contact has', () => {
    const same = { existing: new Map([existing('old@plan.test', 41, { noteBodies: ['second visit'] })]), owners: new Map() };
    const change = planBatch(rows([['old@plan.test', 'Old', 'Name', 'second visit', '', 'vip', 'Acme']]), same, new Map(), settings('UPDATE'), context())
      .updates[0]!;
    expect(change).toMatchObject({ columns: {}, before: {}, companyName: null, addTags: [], note: null });
  });

  it('follows an update rule: KEEP leaves a field (and the note) as it is', () => {
    const rule: ImportUpdateRule = () => ({ firstName: 'KEEP', notes: 'KEEP', tags: 'KEEP', companyId: 'KEEP' });
    const update = rows([['old@plan.test', 'Olga', 'Lind', 'second visit', '', 'new', 'Globex']], context(rule));
    const change = planBatch(update, found, new Map(), settings('UPDATE'), context(rule)).updates[0]!;
    expect(change.columns).toMatchObject({ lastName: 'Lind' });
    expect(change).toMatchObject({ companyName: null, addTags: [], note: null, before: { lastName: 'Name' } });
  });
});
