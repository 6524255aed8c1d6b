import { describe, expect, it } from 'vitest';
import type { CustomFieldDefinition } from '@prisma/client';
import { CustomFieldService } from '../../../plugins/contacts/people/custom-field.service.js';
import { autoMap, emailOf, enumWord, headerLabels, mapContext, mapRow } from '../../../plugins/contacts/import/map.js';

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

  it('fails a row only for its email, in words a person reads', () => {
    expect(mapRow(['not-an-email', 'Ann'], 2, context(['email', 'firstName'])).error).toBe("'not-an-email' is not a valid email address");
    expect(mapRow(['', 'Ann'], 2, context(['email', 'firstName'])).error).toBe('Email is missing');
  });

  it('keeps the rest of a row whose cells cannot all be stored, with a warning for each left out', () => {
    const ctx = context(['email', 'firstName', 'country', 'type', 'notes', 'custom.seats', 'tags', 'city'], null, [seats]);
    const row = mapRow(['a@b.co', 'Ann', 'Atlantis', 'VIP', 'x'.repeat(10_001), 'lots', `ok;${'t'.repeat(51)}`, 'Oslo'], 3, ctx);
    expect(row.error).toBeNull();
    expect(row.columns).toMatchObject({ email: 'a@b.co', firstName: 'Ann', city: 'Oslo' });
    expect(row.columns).not.toHaveProperty('country');
    expect(row.columns).not.toHaveProperty('type');
    expect(row.tags).toEqual(['ok']);
    expect(row.note).toBeNull();
    expect(row.filled.sort()).toEqual(['city', 'email', 'firstName', 'tags']);
    expect(row.warnings).toEqual([
      'Note left empty: it is longer than 10000 characters',
      "Country left empty: 'Atlantis' is not a country we know",
      "Contact type left empty: 'VIP' is not one of Lead, Prospect, Customer, Partner, Vendor",
      `Tag '${'t'.repeat(51)}' left empty: it is longer than 50 characters`,
      "Seats left empty: 'lots' must be a number",
    ]);
  });

  it('reads country names and codes in many languages as ISO codes', () => {
    const ctx = context(['email', 'country']);
    const countries = ['France', 'United Kingdom', 'UK', 'Great Britain', 'Deutschland', 'Brasil', 'Österreich', 'España', 'USA', 'fr', 'DEU'];
    expect(countries.map((c) => mapRow(['a@b.co', c], 1, ctx).columns.country)).toEqual(['FR', 'GB', 'GB', 'GB', 'DE', 'BR', 'AT', 'ES', 'US', 'FR', 'DE']);
    expect(mapRow(['a@b.co', 'FX'], 1, ctx).warnings).toEqual(["Country left empty: 'FX' is not a country we know"]);
  });

  it('marks a row of blank cells as blank, and takes a notes cell as a note', () => {
    expect(mapRow([' ', '', ''], 4, context(['email', 'firstName', null]))).toMatchObject({ blank: true, error: null });
    const row = mapRow(['a@b.co', 'Called on Monday'], 5, context(['email', 'notes']));
    expect(row.note).toBe('Called on Monday');
    expect(row.columns).not.toHaveProperty('notes');
  });

  it('fills defaults only where the row leaves the field blank', () => {
    const ctx = context(['email', 'city', 'custom.seats'], { city: 'Bergen', 'custom.seats': '5', leadSource: 'Fair' }, [seats]);
    expect(mapRow(['a@b.co', 'Oslo', '40'], 1, ctx).columns).toMatchObject({ city: 'Oslo', leadSource: 'Fair', customFields: '{"seats":40}' });
    const blank = mapRow(['b@b.co', ' ', ''], 2, ctx);
    expect(blank.columns).toMatchObject({ city: 'Bergen', customFields: '{"seats":5}' });
    expect(blank.filled.sort()).toEqual(['city', 'customFields', 'email', 'leadSource']);
  });

  it('finds a row’s email without mapping the rest (for a resume)', () => {
    expect(emailOf(['x', ' A@B.CO '], context([null, 'email']))).toBe('a@b.co');
    expect(emailOf(['x'], context(['firstName']))).toBeNull();
  });
});
