import type Sqlite from 'better-sqlite3';
import type { Contact } from '@prisma/client';
import type { Database, SqlDialect } from '../../../server/db.js';
import { openSqliteConnection } from '../../../server/sqlite.js';
import { findInChunks } from '../../../server/id-lists.js';
import { contactColumnsFromSqlite, contactFields, fullName, listInclude, TAG_NAMES_SQL, toView, type ContactView } from '../people/contact-view.js';

/** Loads a list page's contacts (any order) with their company, owner, tags and deal count. */
export interface ContactPageReader {
  rows(ids: number[]): Promise<ContactView[]>;
}

/**
 * SQLite: one statement on a read connection of its own, about a sixth of the Prisma client's time
 * for the relations a page shows.
 */
export class SqliteContactPageReader implements ContactPageReader {
  private statement: Sqlite.Statement | undefined;

  constructor(private readonly file: string) {}

  async rows(ids: number[]): Promise<ContactView[]> {
    this.statement ??= this.prepare();
    return (this.statement.all(JSON.stringify(ids)) as Record<string, unknown>[]).map((row) => {
      const { companyName, ownerName, ownerEmail, tagNames, dealsCount, ...columns } = row;
      contactColumnsFromSqlite(columns);
      const contact = columns as unknown as Omit<Contact, 'searchText' | 'sortName'>;
      return {
        ...contact,
        company: companyName !== null ? { id: contact.companyId!, name: companyName as string } : null,
        owner: ownerEmail !== null ? { id: contact.ownerId!, name: ownerName as string, email: ownerEmail as string } : null,
        fullName: fullName(contact),
        tags: (JSON.parse(tagNames as string) as string[]).sort(),
        dealsCount: dealsCount as number,
      };
    });
  }

  private prepare(): Sqlite.Statement {
    const db = openSqliteConnection(this.file, 'read');
    const own = contactFields.filter((f) => f.name !== 'searchText' && f.name !== 'sortName').map((f) => `c."${f.name}"`);
    return db.prepare(
      `SELECT ${own.join(', ')}, co.name AS companyName, u.name AS ownerName, u.email AS ownerEmail,
              ${TAG_NAMES_SQL} AS tagNames,
              (SELECT count(*) FROM "Deal" d WHERE d.contactId = c.id) AS dealsCount
       FROM "Contact" c LEFT JOIN "Company" co ON co.id = c.companyId LEFT JOIN "User" u ON u.id = c.ownerId
       WHERE c.id IN (SELECT value FROM json_each(?))`,
    );
  }
}

/** Any database: the page through the Prisma client. */
export class PrismaContactPageReader implements ContactPageReader {
  constructor(private readonly prisma: Database) {}

  async rows(ids: number[]): Promise<ContactView[]> {
    return (await findInChunks(ids, (chunk) => this.prisma.contact.findMany({ where: { id: { in: chunk } }, include: listInclude }))).map(toView);
  }
}

/** The page reader for the database chosen at boot (`prisma` forces the client on SQLite too). */
export function pageReaderFor(prisma: Database, sql: SqlDialect, driver: 'auto' | 'prisma'): ContactPageReader {
  return sql.kind === 'sqlite' && driver === 'auto' ? new SqliteContactPageReader(sql.sqliteFile) : new PrismaContactPageReader(prisma);
}
