import type { Prisma } from '@prisma/client';
import { SqlBuilder, type SqlRunner } from '../../server/sql-runner.js';

/** Ledger rows per insert statement (19 parameters each: well under both databases' limits). */
const ROWS_PER_STATEMENT = 500;

/** The ledger's columns, with their PostgreSQL types where a bound text needs a cast. */
const EVENT_COLUMNS = [
  ['contactId', 'int'],
  ['channel', undefined],
  ['purpose', undefined],
  ['status', '"ConsentStatus"'],
  ['type', '"ConsentType"'],
  ['basis', '"LawfulBasis"'],
  ['jurisdiction', '"Jurisdiction"'],
  ['source', undefined],
  ['occurredAt', 'timestamp(3)'],
  ['recordedAt', 'timestamp(3)'],
  ['actorId', 'int'],
  ['via', undefined],
  ['ip', undefined],
  ['userAgent', undefined],
  ['wordingSha256', undefined],
  ['reference', undefined],
  ['importId', 'int'],
  ['importRow', 'int'],
  ['reason', undefined],
] as const satisfies readonly (readonly [keyof Prisma.ConsentEventUncheckedCreateInput, string | undefined])[];

const STATE_COLUMNS = ['status', 'type', 'basis', 'jurisdiction', 'source', 'occurredAt', 'expiresAt', 'lastEventId', 'updatedAt'];

export type ImportedEvent = Prisma.ConsentEventUncheckedCreateInput & { occurredAt: Date; recordedAt: Date };

/**
 * An import's consent in bulk SQL: which of its contacts still lack their imported event, and one
 * transaction per batch that adds the wordings, the ledger rows and the states derived from them.
 * Imported consent is never implied, so the states it writes never expire.
 */
export class ImportLedgerStore {
  constructor(private readonly runner: SqlRunner) {}

  close(): void {
    this.runner.close();
  }

  /** Of these contacts, those that exist and have no event from this import yet, with their country. */
  async unrecorded(importId: number, contactIds: number[]): Promise<Map<number, string | null>> {
    const q = new SqlBuilder(this.runner.dialect);
    const rows = await this.runner.query<{ id: number | bigint; country: string | null }>(
      q.done(
        `SELECT c."id", c."country" FROM "Contact" c WHERE c."id" IN ${q.ids(contactIds)}
         AND NOT EXISTS (SELECT 1 FROM "ConsentEvent" e WHERE e."contactId" = c."id" AND e."importId" = ${q.param(importId, 'int')})`,
      ),
    );
    return new Map(rows.map((r) => [Number(r.id), r.country]));
  }

  /** The wordings, the events and each contact's new state, in one transaction. */
  async write(importId: number, events: ImportedEvent[], wordings: { sha256: string; text: string }[], now: Date): Promise<void> {
    if (events.some((e) => e.type === 'IMPLIED')) throw new Error('imported consent is never implied');
    const statements = wordings.map(({ sha256, text }) => {
      const q = new SqlBuilder(this.runner.dialect);
      return q.done(
        `INSERT INTO "ConsentWording" ("sha256", "text", "createdAt") VALUES (${q.param(sha256)}, ${q.param(text)}, ${q.timestamp(now)}) ON CONFLICT ("sha256") DO NOTHING`,
      );
    });
    for (let i = 0; i < events.length; i += ROWS_PER_STATEMENT) {
      const q = new SqlBuilder(this.runner.dialect);
      const values = events.slice(i, i + ROWS_PER_STATEMENT).map(
        (event) =>
          `(${EVENT_COLUMNS.map(([column, pgType]) => {
            const value = event[column];
            return value instanceof Date ? q.timestamp(value) : q.param(value ?? null, pgType);
          }).join(', ')})`,
      );
      statements.push(q.done(`INSERT INTO "ConsentEvent" (${EVENT_COLUMNS.map(([c]) => `"${c}"`).join(', ')}) VALUES ${values.join(', ')}`));
    }
    const q = new SqlBuilder(this.runner.dialect);
    statements.push(
      q.done(
        `INSERT INTO "ConsentState" ("contactId", "channel", "purpose", ${STATE_COLUMNS.map((c) => `"${c}"`).join(', ')})
         SELECT e."contactId", e."channel", e."purpose", e."status", e."type", e."basis", e."jurisdiction", e."source", e."occurredAt", NULL, e."id", ${q.timestamp(now)}
         FROM "ConsentEvent" e WHERE e."importId" = ${q.param(importId, 'int')} AND e."contactId" IN ${q.ids(events.map((e) => e.contactId))}
         ON CONFLICT ("contactId", "channel", "purpose") DO UPDATE SET ${STATE_COLUMNS.map((c) => `"${c}" = excluded."${c}"`).join(', ')}`,
      ),
    );
    await this.runner.transaction(statements);
  }
}
