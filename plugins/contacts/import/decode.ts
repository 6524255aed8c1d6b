// Step 1 of an import, decode: the uploaded bytes become text (the encoding detected) and the text
// becomes records; a file beyond the limits below is refused here, before anything else reads it.
import { parse } from 'csv-parse/sync';
import { ValidationError } from '../../../server/errors.js';

export type DetectedEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/** Columns a file may have (header or row). */
export const MAX_COLUMNS = 500;
/** Characters in one record of the file (its cells and delimiters); longer lines refuse the file. */
export const MAX_LINE_LENGTH = 100_000;
/** Characters in one cell: a longer cell fails its row (the file is refused only past MAX_LINE_LENGTH). */
export const MAX_CELL_LENGTH = 10_000;

/** UTF-8 with or without BOM, UTF-16 (BOM or NUL pattern) and Windows-1252 (invalid UTF-8). */
export function decodeCsv(buffer: Buffer): { text: string; encoding: DetectedEncoding } {
  if (buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(buffer.subarray(3)), encoding: 'utf-8-bom' };
  }
  if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(buffer.subarray(2)), encoding: 'utf-16le' };
  }
  if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(buffer.subarray(2)), encoding: 'utf-16be' };
  }
  const sample = buffer.subarray(0, 2000);
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) evenNuls++;
    else oddNuls++;
  }
  if (oddNuls > sample.length / 8 && evenNuls === 0) return { text: new TextDecoder('utf-16le').decode(buffer), encoding: 'utf-16le' };
  if (evenNuls > sample.length / 8 && oddNuls === 0) return { text: new TextDecoder('utf-16be').decode(buffer), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buffer), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(buffer), encoding: 'windows-1252' };
  }
}

/** The records of a CSV file after its header line. */
export interface CsvRecords {
  readonly header: string[];
  /** How many records follow the header. */
  readonly length: number;
  /** The record at `index` (0 is the first after the header), or undefined past the end. */
  row(index: number): string[] | undefined;
  rows(from: number, to?: number): string[][];
}

/** Where a record is, as a person reads it: the header line, or row N after it. */
function place(recordIndex: number): string {
  return recordIndex === 0 ? 'the header line' : `row ${recordIndex}`;
}

const tooManyColumns = (recordIndex: number, columns: number) =>
  ValidationError.field('file', `${place(recordIndex)} has ${columns.toLocaleString('en')} columns; a file may have at most ${MAX_COLUMNS}`);
const tooLong = (recordIndex: number) =>
  ValidationError.field('file', `${place(recordIndex)} is longer than ${MAX_LINE_LENGTH.toLocaleString('en')} characters; is it a CSV file of contacts?`);

/** How many times `delimiter` occurs in `line`. */
function count(line: string, delimiter: string): number {
  let n = 0;
  for (let at = line.indexOf(delimiter); at >= 0; at = line.indexOf(delimiter, at + 1)) n++;
  return n;
}

/**
 * Refuses a line of text without quotes that is too long or has too many cells. Only a line longer
 * than MAX_COLUMNS characters can have more than MAX_COLUMNS cells, so most lines cost one length check.
 */
function checkLine(line: string, recordIndex: number, delimiter: string): void {
  if (line.length > MAX_LINE_LENGTH) throw tooLong(recordIndex);
  if (line.length >= MAX_COLUMNS) {
    const cells = count(line, delimiter) + 1;
    if (cells > MAX_COLUMNS) throw tooManyColumns(recordIndex, cells);
  }
}

/**
 * Reads CSV text into records; the delimiter (, ; tab) is detected from the header line. Text
 * without a single quote character is only cut into lines here and each line into cells when it is
 * read, which keeps an upload of many rows short; quoted text goes through the CSV parser at once
 * (and a malformed file is refused). Either way a line too long or with too many columns refuses
 * the file, before its cells are made.
 */
export function readCsv(text: string, options: { toLine?: number } = {}): CsvRecords {
  // The header line is measured before it is cut into cells, so a line of a million cells costs nothing.
  if (text.search(/[\r\n]|$/) > MAX_LINE_LENGTH) throw tooLong(0);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
  if (!text.includes('"')) {
    const lines = unquotedLines(text, options.toLine);
    for (let i = 0; i < lines.length; i++) checkLine(lines[i]!, i, delimiter);
    const cells = (line: string) => line.split(delimiter);
    return {
      header: lines.length ? cells(lines[0]!) : [],
      length: Math.max(0, lines.length - 1),
      row: (index) => (index >= 0 && index < lines.length - 1 ? cells(lines[index + 1]!) : undefined),
      rows: (from, to) => lines.slice(from + 1, to === undefined ? undefined : to + 1).map(cells),
    };
  }
  let records: string[][];
  let recordIndex = 0;
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      bom: true,
      to_line: options.toLine,
      max_record_size: MAX_LINE_LENGTH,
      on_record: (record: string[]) => {
        if (record.length > MAX_COLUMNS) throw tooManyColumns(recordIndex, record.length);
        recordIndex++;
        return record;
      },
    }) as string[][];
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    const e = err as { message: string; code?: string };
    if (e.code === 'CSV_MAX_RECORD_SIZE') throw tooLong(recordIndex);
    throw new ValidationError(`file: not a readable CSV file (${e.message})`, [{ path: 'file', message: e.message }]);
  }
  return {
    header: records[0] ?? [],
    length: Math.max(0, records.length - 1),
    row: (index) => (index >= 0 ? records[index + 1] : undefined),
    rows: (from, to) => records.slice(from + 1, to === undefined ? undefined : to + 1),
  };
}

/**
 * The records of text without a single quote character, as the CSV parser finds them: the first
 * line break found (\r\n, \n or \r) separates records, empty lines are skipped.
 */
function unquotedLines(text: string, toLine?: number): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lineBreak = body.search(/[\r\n]/);
  const recordDelimiter = lineBreak < 0 ? '\n' : body.startsWith('\r\n', lineBreak) ? '\r\n' : body[lineBreak]!;
  return (toLine === undefined ? body.split(recordDelimiter) : body.split(recordDelimiter, toLine)).filter((line) => line !== '');
}
