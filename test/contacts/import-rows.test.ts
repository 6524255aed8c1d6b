import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { parseCsv } from '../../plugins/contacts/csv-decode.js';

describe('parsing CSV text without quotes', () => {
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
    expect(parseCsv('Email,Notes\na@b.co,"one, two"\n')).toEqual([['Email', 'Notes'], ['a@b.co', 'one, two']]);
  });
});
