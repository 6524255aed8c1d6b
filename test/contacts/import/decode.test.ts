import { describe, expect, it } from 'vitest';
import { decodeCsv, MAX_COLUMNS, MAX_LINE_LENGTH, readCsv } from '../../../plugins/contacts/import/decode.js';
import { ValidationError } from '../../../server/errors.js';

describe('decode: bytes to text', () => {
  const text = 'Email,Name\nann@example.com,Müller\n';

  it.each([
    ['UTF-8', Buffer.from(text), 'utf-8'],
    ['UTF-8 with a byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'utf-8-bom'],
    ['UTF-16 LE with a byte order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'utf-16le'],
    ['UTF-16 LE without one', Buffer.from(text, 'utf16le'), 'utf-16le'],
    ['UTF-16 BE with a byte order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]), 'utf-16be'],
    ['Windows-1252', Buffer.from(text, 'latin1'), 'windows-1252'],
  ])('reads %s', (_label, bytes, encoding) => {
    expect(decodeCsv(bytes)).toEqual({ text, encoding });
  });
});

describe('decode: text to records', () => {
  it('detects the delimiter from the header line', () => {
    expect(readCsv('Email;Name\na@b.co;Ann\n').rows(0)).toEqual([['a@b.co', 'Ann']]);
    expect(readCsv('Email\tName\na@b.co\tAnn\n').header).toEqual(['Email', 'Name']);
  });

  it('reads only the first lines when asked (a preview)', () => {
    const text = 'Email\na@b.co\nc@d.co\ne@f.co\n';
    expect(readCsv(text, { toLine: 3 }).length).toBe(2);
    expect(readCsv(text.replace('c@d.co', '"c@d.co"'), { toLine: 3 }).length).toBe(2);
  });

  it('refuses a malformed quoted file with the parser’s reason', () => {
    expect(() => readCsv('Email,Name\n"a@b.co"x,"Ann\n')).toThrow(/^file: not a readable CSV file/);
  });
});

describe('decode: limits', () => {
  const refusal = (text: string) => {
    try {
      readCsv(text);
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      return (err as ValidationError).message;
    }
    return null;
  };
  const cells = (n: number, cell = 'x') => Array.from({ length: n }, () => cell).join(',');

  it(`takes ${MAX_COLUMNS} columns and refuses one more, in the header and in rows, quoted or not`, () => {
    expect(refusal(`${cells(MAX_COLUMNS)}\n${cells(MAX_COLUMNS)}\n`)).toBeNull();
    expect(refusal(`${cells(MAX_COLUMNS, '"q"')}\n${cells(MAX_COLUMNS, '"q"')}\n`)).toBeNull();
    expect(refusal(`${cells(MAX_COLUMNS + 1)}\nx\n`)).toBe('file: the header line has 501 columns; a file may have at most 500');
    expect(refusal(`x\ny\n${cells(MAX_COLUMNS + 1)}\n`)).toBe('file: row 2 has 501 columns; a file may have at most 500');
    expect(refusal(`"x"\n"y"\n${cells(MAX_COLUMNS + 1, '"q"')}\n`)).toBe('file: row 2 has 501 columns; a file may have at most 500');
  });

  it(`takes lines of ${MAX_LINE_LENGTH} characters and refuses longer ones`, () => {
    const exactly = 'e'.repeat(MAX_LINE_LENGTH);
    expect(refusal(`Email,Notes\na@b.co,${exactly.slice(7)}\n`)).toBeNull();
    expect(refusal(`Email,Notes\na@b.co,${exactly.slice(6)}\n`)).toBe('file: row 1 is longer than 100,000 characters; is it a CSV file of contacts?');
    expect(refusal(`Email,Notes\n"a@b.co","${exactly}"\n`)).toMatch(/^file: row 1 is longer than 100,000 characters/);
    expect(refusal(`${exactly}x`)).toMatch(/^file: the header line is longer/);
  });

  it('measures the header line before cutting it into cells', () => {
    const header = cells(1_000_000);
    const started = performance.now();
    expect(refusal(`${header}\nx\n`)).toMatch(/^file: the header line is longer/);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
