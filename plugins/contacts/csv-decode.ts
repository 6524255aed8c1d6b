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

/** Parses CSV text into rows of strings; the delimiter (, ; tab) is detected from the header line. */
export function parseCsv(text: string, options: { fromLine?: number; toLine?: number } = {}): string[][] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
  if (!text.includes('"') && options.fromLine === undefined && options.toLine === undefined) return splitUnquoted(text, delimiter);
  try {
    return parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      bom: true,
      from_line: options.fromLine,
      to_line: options.toLine,
    }) as string[][];
  } catch (err) {
    const e = err as { message: string; lines?: number };
    throw new ValidationError(`file: not a readable CSV file (${e.message})`, [{ path: 'file', message: e.message }]);
  }
}

/**
 * What the CSV parser makes of text without a single quote character, several times faster: the
 * first line break found (\r\n, \n or \r) separates records, empty lines are skipped.
 */
function splitUnquoted(text: string, delimiter: string): string[][] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lineBreak = body.search(/[\r\n]/);
  const recordDelimiter = lineBreak < 0 ? '\n' : body.startsWith('\r\n', lineBreak) ? '\r\n' : body[lineBreak]!;
  const rows: string[][] = [];
  for (const line of body.split(recordDelimiter)) if (line !== '') rows.push(line.split(delimiter));
  return rows;
}
