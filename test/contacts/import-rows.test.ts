import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { contactCreateInput, parseContactStrings } from '../../plugins/contacts/people/contact.schemas.js';
import { readCsv } from '../../plugins/contacts/import/decode.js';
import { normalizePhone } from '../../plugins/contacts/people/normalize.js';

describe('parsing CSV text without quotes', () => {
  const parseCsv = (text: string) => {
    const records = readCsv(text);
    return records.header.length ? [records.header, ...records.rows(0)] : [];
  };
  const csvParse = (text: string, delimiter: string) =>
    parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, bom: true }) as string[][];

  it.each([
    ['unix line ends', 'Email,Name\na@b.co,Ann\nc@d.co,Cid\n', ','],
    ['windows line ends', 'Email,Name\r\na@b.co,Ann\r\nc@d.co,Cid', ','],
    ['old mac line ends', 'Email;Name\ra@b.co;Ann\rc@d.co;Cid\r', ';'],
    ['a stray carriage return kept as data', 'Email,Name\na@b.co,Ann\r\nc@d.co,C\rid\n', ','],
    ['a stray line feed kept as data', 'Email\tName\r\na@b.co\tA\nnn\r\n', '\t'],
    ['empty lines, blank cells and ragged rows', '\n\nEmail,Name,City\n\na@b.co,,\n ,\nc@d.co\n\n\n', ','],
    ['a byte order mark', '\uFEFFEmail,Name\na@b.co,Ann\n', ','],
    ['no line break at all', 'Email,Name', ','],
  ])('reads %s as the CSV parser does', (_label, text, delimiter) => {
    expect(parseCsv(text)).toEqual(csvParse(text, delimiter));
  });

  it('leaves quoted text to the CSV parser', () => {
    expect(parseCsv('Email,Notes\na@b.co,"one, two"\n')).toEqual([
      ['Email', 'Notes'],
      ['a@b.co', 'one, two'],
    ]);
  });

  it('reads the same records one by one and in ranges, quoted or not', () => {
    for (const text of ['Email,Name\na@b.co,Ann\n\nc@d.co,Cid\ne@f.co,Eve\n', 'Email,Name\na@b.co,"Ann"\n\nc@d.co,Cid\ne@f.co,Eve\n']) {
      const records = readCsv(text);
      expect(records.header).toEqual(['Email', 'Name']);
      expect(records.length).toBe(3);
      expect(records.row(1)).toEqual(['c@d.co', 'Cid']);
      expect(records.row(3)).toBeUndefined();
      expect(records.rows(1, 3)).toEqual([
        ['c@d.co', 'Cid'],
        ['e@f.co', 'Eve'],
      ]);
      expect(readCsv(text, { toLine: 2 }).rows(0)).toEqual([['a@b.co', 'Ann']]);
    }
  });
});

describe('the import check of a row of strings', () => {
  const long = (n: number) => 'x'.repeat(n);
  const valid: Record<string, unknown>[] = [
    { email: ' Ann.Lee@Example.COM ' },
    { email: 'a\u200B@b.co', firstName: ' Ann ', lastName: '', jobTitle: long(200), postalCode: long(20), notes: long(20_000) },
    { email: 'a@b.co', type: 'PARTNER', status: 'BLOCKED', lifecycleStage: 'CUSTOMER', buyingRole: 'DECISION_MAKER', intentLevel: 'LOW' },
    { email: 'a@b.co', country: 'germany', timezone: ' Europe/Berlin ', linkedinUrl: ' https://linkedin.com/in/ann ', twitterHandle: ' @ann ' },
    { email: 'a@b.co', country: ' ', timezone: '', linkedinUrl: ' ', twitterHandle: '@' },
    { email: 'a@b.co', tags: ['vip', ' event ', long(50)], customFields: { seats: '12' } },
  ];
  const invalid: Record<string, unknown>[] = [
    {},
    { email: 'not-an-email' },
    { email: 'a@b.co', firstName: long(101) },
    { email: 'a@b.co', postalCode: ` ${long(20)}` },
    { email: 'a@b.co', type: 'FRIEND' },
    { email: 'a@b.co', country: 'Atlantis' },
    { email: 'a@b.co', timezone: 'Mars/Base' },
    { email: 'a@b.co', linkedinUrl: 'ftp://example.com' },
    { email: 'a@b.co', twitterHandle: long(51) },
    { email: 'a@b.co', tags: [long(51)] },
    { email: 'a@b.co', tags: Array.from({ length: 51 }, (_, i) => `t${i}`) },
    { email: 'a@b.co', shoeSize: '42' },
  ];

  it.each(valid)('gives the schema’s result for %j', (input) => {
    const schema = contactCreateInput.safeParse(input);
    expect(schema.success).toBe(true);
    const withoutUndefined = Object.fromEntries(Object.entries(schema.data!).filter(([, v]) => v !== undefined));
    expect(parseContactStrings(input)).toEqual(withoutUndefined);
  });

  it.each(invalid)('leaves %j to the schema, which rejects it', (input) => {
    expect(parseContactStrings(input)).toBeUndefined();
    expect(contactCreateInput.safeParse(input).success).toBe(false);
  });
});

describe('phone numbers', () => {
  it('give the same result the second time (from the cache) and depend on the country', () => {
    for (let i = 0; i < 2; i++) {
      expect(normalizePhone('030 1234567', 'de')).toBe('+49301234567');
      expect(normalizePhone(' (415) 555-0100 ', 'US')).toBe('+14155550100');
      expect(normalizePhone('(415) 555-0100', 'DE')).toBe('+494155550100');
      expect(normalizePhone('not a number', null)).toBe('not a number');
      expect(normalizePhone(' ', 'DE')).toBeNull();
    }
  });
});
