import { parse } from 'csv-parse/sync';
import { ValidationError } from '../../server/errors.js';

export type DetectedEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

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
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) (i % 2 === 0 ? evenNuls++ : oddNuls++);
  if (oddNuls > sample.length / 8 && evenNuls === 0) return { text: new TextDecoder('utf-16le').decode(buffer), encoding: 'utf-16le' };
  if (evenNuls > sample.length / 8 && oddNuls === 0) return { text: new TextDecoder('utf-16be').decode(buffer), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buffer), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(buffer), encoding: 'windows-1252' };
  }
}

export const MAX_CELL_LENGTH = 10_000;

/** The records of a CSV file after its header line. */
export interface CsvRecords {
  readonly header: string[];
  /** How many records follow the header. */
  readonly length: number;
  /** The record at `index` (0 is the first after the header), or undefined past the end. */
  row(index: number): string[] | undefined;
  rows(from: number, to?: number): string[][];
}

/**
 * Reads CSV text into records; the delimiter (, ; tab) is detected from the header line. Text
 * without a single quote character is only cut into lines here and each line into cells when it is
 * read, which keeps an upload of many rows short; quoted text goes through the CSV parser at once
 * (and a malformed file is refused).
 */
export function readCsv(text: string, options: { toLine?: number } = {}): CsvRecords {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
  if (!text.includes('"')) {
    const lines = unquotedLines(text, options.toLine);
    const cells = (line: string) => line.split(delimiter);
    return {
      header: lines.length ? cells(lines[0]!) : [],
      length: Math.max(0, lines.length - 1),
      row: (index) => (index >= 0 && index < lines.length - 1 ? cells(lines[index + 1]!) : undefined),
      rows: (from, to) => lines.slice(from + 1, to === undefined ? undefined : to + 1).map(cells),
    };
  }
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      bom: true,
      to_line: options.toLine,
    }) as string[][];
  } catch (err) {
    const e = err as { message: string; lines?: number };
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
