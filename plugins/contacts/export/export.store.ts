import Sqlite from 'better-sqlite3';
import type { Database } from '../../../server/db.js';
import { openSqliteConnection } from '../../../server/sqlite.js';
import { findInChunks } from '../../../server/id-lists.js';
import { CONTACT_DATE_FIELDS, TAG_NAMES_SQL } from '../people/contact-view.js';

/** The exported columns, in order. */
export const COLUMNS = [
  'id',
  'email',
  'firstName',
  'lastName',
  'phone',
  'mobile',
  'jobTitle',
  'department',
  'company',
  'type',
  'status',
  'lifecycleStage',
  'buyingRole',
  'intentLevel',
  'leadSource',
  'owner',
  'tags',
  'street',
  'city',
  'region',
  'postalCode',
  'country',
  'timezone',
  'linkedinUrl',
  'twitterHandle',
  'notes',
  'lastActivityAt',
  'lastContactedAt',
  'createdAt',
  'updatedAt',
] as const;

/** Where a row holds its custom values (an object, or null): after the values of COLUMNS. */
export const CUSTOM_VALUES = COLUMNS.length;
export const ID = COLUMNS.indexOf('id');
export const TAGS = COLUMNS.indexOf('tags');
const DATE_INDEXES = COLUMNS.flatMap((column, i) => (CONTACT_DATE_FIELDS.includes(column) ? [i] : []));

/**
 * One exported contact: the values of COLUMNS in order (company name, owner email and tag names
 * among them), then its custom values. Arrays, because building an object per row took longer than
 * reading the row.
 */
export type ExportRow = unknown[];

/** Loads full rows for a chunk of ids, in id order. */
export interface ExportReader {
  rows(ids: number[]): Promise<ExportRow[]>;
  close(): void;
}

/** SQLite: one statement per chunk on a read connection (company, owner and tags joined in SQL). */
export class SqliteExportReader implements ExportReader {
  private readonly db: Sqlite.Database;
  private readonly statement: Sqlite.Statement;

  constructor(file: string) {
    this.db = openSqliteConnection(file, 'read');
    const values = COLUMNS.map((column) =>
      column === 'company' ? 'co.name' : column === 'owner' ? 'u.email' : column === 'tags' ? TAG_NAMES_SQL : `c."${column}"`,
    );
    this.statement = this.db
      .prepare(
        `SELECT ${values.join(', ')}, c."customFields"
         FROM "Contact" c LEFT JOIN "Company" co ON co.id = c.companyId LEFT JOIN "User" u ON u.id = c.ownerId
         WHERE c.id IN (SELECT value FROM json_each(?)) ORDER BY c.id`,
      )
      .raw(true);
  }

  async rows(ids: number[]): Promise<ExportRow[]> {
    return (this.statement.all(JSON.stringify(ids)) as ExportRow[]).map((row) => {
      // Prisma keeps SQLite timestamps as text; export them as the API shows them (ISO 8601, UTC).
      for (const i of DATE_INDEXES) if (typeof row[i] === 'string') row[i] = new Date(row[i]);
      row[TAGS] = (JSON.parse(row[TAGS] as string) as string[]).sort().join('; ');
      row[CUSTOM_VALUES] = typeof row[CUSTOM_VALUES] === 'string' ? JSON.parse(row[CUSTOM_VALUES]) : null;
      return row;
    });
  }

  close(): void {
    this.db.close();
  }
}

/** Any database: the same rows through the Prisma client. */
export class PrismaExportReader implements ExportReader {
  constructor(private readonly prisma: Database) {}

  async rows(ids: number[]): Promise<ExportRow[]> {
    // Ids come in ascending order, so the chunks' rows do too.
    const rows = await findInChunks(ids, (chunk) =>
      this.prisma.contact.findMany({
        where: { id: { in: chunk } },
        include: { company: { select: { name: true } }, owner: { select: { email: true } }, tags: { select: { tag: { select: { name: true } } } } },
        orderBy: { id: 'asc' },
      }),
    );
    return rows.map((r) => {
      const values: Record<string, unknown> = {
        ...r,
        company: r.company?.name ?? null,
        owner: r.owner?.email ?? null,
        tags: r.tags
          .map((t) => t.tag.name)
          .sort()
          .join('; '),
      };
      return [...COLUMNS.map((column) => values[column]), r.customFields ?? null];
    });
  }

  close(): void {}
}
