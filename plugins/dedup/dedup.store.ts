import type Sqlite from 'better-sqlite3';
import type { Prisma } from '@prisma/client';
import type { Database, SqlDialect } from '../../server/db.js';
import { openSqliteConnection } from '../../server/sqlite.js';
import { retryWhileBusy } from '../../server/sqlite-busy.js';
import { chunksOf } from '../../server/id-lists.js';
import { Slices } from '../../server/slices.js';
import type { Person } from './matching.js';

export interface MatchingRow extends Person {
  updatedAt: Date;
}

/** Key rows per insert statement (two parameters each). */
const INSERT_ROWS = 400;
/** Candidate rows per insert statement (seven parameters each). */
const CANDIDATE_ROWS = 150;
/** Contacts whose keys a rebuild replaces per transaction. */
const REBUILD_SLICE = 1_000;

export interface NewCandidate {
  contactAId: number;
  contactBId: number;
  score: number;
  reasons: string[];
  fingerprint: string;
}

const MATCHING_SQL = `SELECT c."id", c."email", c."firstName", c."lastName", c."phone", c."mobile", c."city", c."postalCode", c."street", c."region", c."country", c."customFields", c."updatedAt", co."name" AS "company"
  FROM "Contact" c LEFT JOIN "Company" co ON co."id" = c."companyId"`;

type RawRow = Omit<MatchingRow, 'id' | 'updatedAt' | 'birthDate'> & { id: number | bigint; updatedAt: Date | string; customFields: unknown };

/** Custom field keys that hold a date of birth (personal evidence for matching). */
const BIRTH_KEY = /^(?:date_?of_?birth|birth_?date|birthday|dob|geburtsdatum)$/i;

/** A date of birth from the custom fields (a JSON object; text on SQLite), as YYYY-MM-DD, or null. */
export function birthDateOf(customFields: unknown): string | null {
  if (!customFields) return null;
  let fields = customFields;
  if (typeof fields === 'string') {
    if (!/birth|dob|geburt/i.test(fields)) return null;
    try {
      fields = JSON.parse(fields);
    } catch {
      return null;
    }
  }
  if (typeof fields !== 'object' || fields === null) return null;
  for (const [key, value] of Object.entries(fields)) {
    if (BIRTH_KEY.test(key) && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return value.slice(0, 10);
  }
  return null;
}

const toRow = ({ customFields, ...r }: RawRow): MatchingRow => ({
  ...r,
  id: Number(r.id),
  updatedAt: new Date(r.updatedAt),
  birthDate: birthDateOf(customFields),
});

/**
 * Dedup's reads of contacts and its blocking-key table. The SQL is the same on SQLite and PostgreSQL
 * (numbered parameters are written per dialect); on SQLite the key table is written through a
 * better-sqlite3 connection of its own (prepared statements, several times faster for a full rebuild).
 */
export class DedupStore {
  private readonly postgres: boolean;
  private writer: Sqlite.Database | undefined;

  constructor(
    private readonly prisma: Database,
    private readonly sql: SqlDialect,
  ) {
    this.postgres = sql.kind === 'postgres';
  }

  close(): void {
    this.writer?.close();
    this.writer = undefined;
  }

  private params(from: number, count: number): string {
    return Array.from({ length: count }, (_, i) => (this.postgres ? `$${from + i}` : '?')).join(', ');
  }

  /** What matching needs of every contact, in one read (a joined query, not Prisma's relation loading). */
  async loadAll(): Promise<MatchingRow[]> {
    return (await this.prisma.$queryRawUnsafe<RawRow[]>(`${MATCHING_SQL} ORDER BY c."id"`)).map(toRow);
  }

  /** The same for some contacts (those gone are left out). */
  async load(ids: number[]): Promise<MatchingRow[]> {
    const rows: MatchingRow[] = [];
    for (const part of chunksOf(ids)) {
      rows.push(...(await this.prisma.$queryRawUnsafe<RawRow[]>(`${MATCHING_SQL} WHERE c."id" IN (${this.params(1, part.length)})`, ...part)).map(toRow));
    }
    return rows;
  }

  /** Replaces the keys of these contacts (of every contact with `everyone`), in one transaction. */
  async replaceKeys(keysById: Map<number, string[]>, everyone = false): Promise<void> {
    // A rebuild on SQLite goes through a connection of its own; a few contacts' keys through the client,
    // whose open transactions a write on another connection would otherwise make stale.
    if (everyone && this.sql.kind === 'sqlite') return this.rebuildSqlite(this.sql.sqliteFile, keysById);
    const rows = [...keysById].flatMap(([contactId, keys]) => keys.map((key) => [key, contactId] as const));
    await this.prisma.$transaction(
      async (tx) => {
        if (everyone) await tx.dedupKey.deleteMany({});
        else for (const part of chunksOf([...keysById.keys()])) await tx.dedupKey.deleteMany({ where: { contactId: { in: part } } });
        for (const part of chunksOf(rows, INSERT_ROWS)) {
          const values = part.map((_, i) => `(${this.params(2 * i + 1, 2)})`).join(', ');
          await tx.$executeRawUnsafe(`INSERT INTO "DedupKey" ("key", "contactId") VALUES ${values}`, ...part.flat());
        }
      },
      { timeout: 300_000 },
    );
  }

  /**
   * Contacts' keys replaced a slice at a time, each slice one IMMEDIATE transaction retried while
   * another connection writes, with the event loop free between slices: a contact's keys are always
   * whole, and requests are answered while a large import is checked.
   */
  private async rebuildSqlite(file: string, keysById: Map<number, string[]>): Promise<void> {
    const db = (this.writer ??= openSqliteConnection(file, 'write', 'short'));
    const remove = db.prepare('DELETE FROM "DedupKey" WHERE "contactId" = ?');
    const insert = db.prepare('INSERT OR IGNORE INTO "DedupKey" ("key", "contactId") SELECT ?, ? WHERE EXISTS (SELECT 1 FROM "Contact" WHERE id = ?)');
    const replace = db.transaction((slice: [number, string[]][]) => {
      for (const [contactId, keys] of slice) {
        remove.run(contactId);
        for (const key of keys) insert.run(key, contactId, contactId);
      }
    });
    const slices = new Slices();
    for (const slice of chunksOf(keysById, REBUILD_SLICE)) {
      await retryWhileBusy(() => replace.immediate(slice));
      if (slices.due()) await slices.pause();
    }
  }

  /**
   * New candidate pairs in multi-row statements: at tens of thousands of pairs (an import's check)
   * several times faster than the client's createMany. Returns how many were written.
   */
  async insertCandidates(tx: Prisma.TransactionClient, rows: NewCandidate[]): Promise<number> {
    const now = this.postgres ? new Date() : new Date().toISOString();
    const json = this.postgres ? '::jsonb' : '';
    let written = 0;
    for (const part of chunksOf(rows, CANDIDATE_ROWS)) {
      // contactAId, contactBId, score | reasons (JSON) | fingerprint, createdAt, updatedAt
      const values = part.map((_, i) => `(${this.params(7 * i + 1, 3)}, ${this.params(7 * i + 4, 1)}${json}, ${this.params(7 * i + 5, 3)})`);
      written += await tx.$executeRawUnsafe(
        `INSERT INTO "DuplicateCandidate" ("contactAId", "contactBId", "score", "reasons", "fingerprint", "createdAt", "updatedAt") VALUES ${values.join(', ')}`,
        ...part.flatMap((r) => [r.contactAId, r.contactBId, r.score, JSON.stringify(r.reasons), r.fingerprint, now, now]),
      );
    }
    return written;
  }

  /** How many contacts carry each of these keys. */
  async keySizes(keys: string[]): Promise<Map<string, number>> {
    const sizes = new Map<string, number>();
    for (const part of chunksOf(keys)) {
      for (const row of await this.prisma.dedupKey.groupBy({ by: ['key'], where: { key: { in: part } }, _count: { _all: true } }))
        sizes.set(row.key, row._count._all);
    }
    return sizes;
  }

  /** The contacts that carry any of these keys. */
  async contactsWith(keys: string[]): Promise<number[]> {
    const ids = new Set<number>();
    for (const part of chunksOf(keys)) {
      for (const row of await this.prisma.dedupKey.findMany({ where: { key: { in: part } }, select: { contactId: true } })) ids.add(row.contactId);
    }
    return [...ids];
  }
}
