import { describe, expect, it } from 'vitest';
import type { CustomFieldDefinition } from '@prisma/client';
import { CustomFieldService } from '../../../plugins/contacts/people/custom-field.service.js';
import { autoMap, emailOf, enumWord, filledFields, headerLabels, mapContext, mapRow } from '../../../plugins/contacts/import/map.js';

// The service's check of custom field values reads nothing from the database.
const customFields = new CustomFieldService(undefined as never);
const seats = { key: 'seats', label: 'Seats', type: 'NUMBER', required: false, options: null } as unknown as CustomFieldDefinition;

describe('map: headers to fields', () => {
  it('matches common spellings, custom fields by key or label, and leaves repeats and blanks unmapped', () => {
    expect(autoMap(['E-Mail Address', 'Vorname', 'Surname', 'Seats', 'Organisation', '', 'email', 'Shoe size'], [seats])).toEqual([
      'email',
      'firstName',
      'lastName',
      'custom.seats',
      'company',
      null,
      null,
      null,
    ]);
    expect(headerLabels([' Email ', '', 'x'])).toEqual(['Email', 'Column 2', 'x']);
    expect(enumWord(' decision-maker ')).toBe('DECISION_MAKER');
  });
});

describe('map: a row to contact columns', () => {
  const context = (mapping: (string | null)[], defaults: Record<string, string> | null = null, definitions: CustomFieldDefinition[] = []) =>
    mapContext({ mapping, defaults }, definitions, customFields);

  it('normalizes what the API would, and lays out search and sort text', () => {
    const row = mapRow(
      [' Ann.Lee@Example.COM ', 'Ann', 'Lee', '030 1234567', 'DE', 'vip; event', 'Acme', 'decision maker'],
      1,
      context(['email', 'firstName', 'lastName', 'phone', 'country', 'tags', 'company', 'buyingRole']),
    );
    expect(row).toMatchObject({ rowNumber: 1, email: 'ann.lee@example.com', companyName: 'Acme', tags: ['vip', 'event'], error: null });
    expect(row.columns).toMatchObject({ email: 'ann.lee@example.com', phone: '+49301234567', country: 'DE', buyingRole: 'DECISION_MAKER' });
    expect(row.columns.searchText).toContain('acme');
    expect(row.columns.sortName).toBeTruthy();
  });

  it('fails a row with the schema’s reason, naming the field', () => {
    expect(mapRow(['not-an-email'], 2, context(['email'])).error).toBe('email: must be a valid email address');
    expect(mapRow(['a@b.co', 'Atlantis'], 3, context(['email', 'country'])).error).toMatch(/^country: /);
    expect(mapRow(['a@b.co', 'x'.repeat(10_001)], 4, context(['email', 'notes'])).error).toBe('notes: longer than 10000 characters');
    expect(mapRow(['a@b.co', 'lots'], 5, context(['email', 'custom.seats'], null, [seats])).error).toBe('customFields.seats: must be a number');
  });

  it('fills defaults only where the row leaves the field blank', () => {
    const ctx = context(['email', 'city', 'custom.seats'], { city: 'Bergen', 'custom.seats': '5', leadSource: 'Fair' }, [seats]);
    expect(mapRow(['a@b.co', 'Oslo', '40'], 1, ctx).columns).toMatchObject({ city: 'Oslo', leadSource: 'Fair', customFields: '{"seats":40}' });
    const blank = mapRow(['b@b.co', ' ', ''], 2, ctx);
    expect(blank.columns).toMatchObject({ city: 'Bergen', customFields: '{"seats":5}' });
    expect(filledFields(blank, ctx).sort()).toEqual(['city', 'customFields', 'email', 'leadSource']);
  });

  it('finds a row’s email without mapping the rest (for a resume)', () => {
    expect(emailOf(['x', ' A@B.CO '], context([null, 'email']))).toBe('a@b.co');
    expect(emailOf(['x'], context(['firstName']))).toBeNull();
  });
});
