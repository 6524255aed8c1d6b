// The SQLite store of step 4 (write): prepared statements on a better-sqlite3 connection of its own.
import Sqlite from 'better-sqlite3';
import { openSqliteConnection } from '../../../server/sqlite.js';
import { CONTACT_COLUMNS, type BatchPlan, type ContactColumns } from './batch.js';
import { counts, LostClaimError, RolledBack, type AddedNote, type BatchResult, type ImportStore } from './write.js';

/** The writer's checkpoint interval in pages (see SqliteImportStore). */
export const WAL_PAGES_BEFORE_CHECKPOINT = 4_000;

/** Prisma keeps SQLite DateTime values as ISO text with an explicit offset. */
function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

/** SQLite: prepared statements on a dedicated better-sqlite3 connection (one process-wide SQLite library). */
export class SqliteImportStore implements ImportStore {
  private db: Sqlite.Database;
  private readonly companyIds = new Map<string, number>();
  private readonly tagIds = new Map<string, number>();
  private readonly updateStatements = new Map<string, Sqlite.Statement>();
  private readonly statements;
  private failure: Error | undefined;

  constructor(file: string) {
    this.db = openSqliteConnection(file, 'write');
    // A checkpoint after every ~16 MB of log rather than SQLite's ~4 MB: batches rewrite the same
    // index pages, which a checkpoint then copies (and syncs) once for several batches.
    this.db.pragma(`wal_autocheckpoint = ${WAL_PAGES_BEFORE_CHECKPOINT}`);
    const columns = [...CONTACT_COLUMNS, 'companyId', 'importId', 'importRowNumber', 'createdAt', 'updatedAt'];
    this.statements = {
      insertContact: this.db.prepare(
        `INSERT INTO "Contact" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
         ON CONFLICT (email) DO NOTHING`,
      ),
      findCompany: this.db.prepare('SELECT id FROM "Company" WHERE name = ? ORDER BY id LIMIT 1'),
      insertCompany: this.db.prepare('INSERT INTO "Company" (name, createdAt, updatedAt) VALUES (?, ?, ?)'),
      findTag: this.db.prepare('SELECT id FROM "Tag" WHERE name = ?'),
      insertTag: this.db.prepare('INSERT INTO "Tag" (name) VALUES (?)'),
      saveContent: this.db.prepare('INSERT INTO "ContactImportFile" (importId, content) VALUES (?, ?)'),
      existing: this.db.prepare('SELECT id, email FROM "Contact" WHERE email IN (SELECT value FROM json_each(?))'),
      linkTag: this.db.prepare('INSERT OR IGNORE INTO "ContactTag" (contactId, tagId) VALUES (?, ?)'),
      findContactId: this.db.prepare('SELECT id FROM "Contact" WHERE email = ?'),
      insertNote: this.db.prepare('INSERT INTO "Note" (contactId, body, authorId, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?)'),
      insertNoteActivity: this.db.prepare(
        `INSERT INTO "Activity" (contactId, type, occurredAt, userId, body, metadata, createdAt) VALUES (?, 'NOTE', ?, ?, ?, ?, ?)`,
      ),
      insertRow: this.db.prepare('INSERT INTO "ImportRow" (importId, rowNumber, outcome, contactId, before, error) VALUES (?, ?, ?, ?, ?, ?)'),
      holdClaim: this.db.prepare('UPDATE "ContactImport" SET heartbeatAt = ? WHERE id = ? AND runnerId = ?'),
      bumpCounts: this.db.prepare(
        `UPDATE "ContactImport" SET processed = processed + ?, created = created + ?, updated = updated + ?,
         flagged = flagged + ?, skipped = skipped + ?, failed = failed + ? WHERE id = ?`,
      ),
    };
  }

  private companyId(name: string, now: string): number {
    const cached = this.companyIds.get(name);
    if (cached !== undefined) return cached;
    const found = this.statements.findCompany.get(name) as { id: number } | undefined;
    const id = found?.id ?? Number(this.statements.insertCompany.run(name, now, now).lastInsertRowid);
    this.companyIds.set(name, id);
    return id;
  }

  private tagId(name: string): number {
    const cached = this.tagIds.get(name);
    if (cached !== undefined) return cached;
    const found = this.statements.findTag.get(name) as { id: number } | undefined;
    const id = found?.id ?? Number(this.statements.insertTag.run(name).lastInsertRowid);
    this.tagIds.set(name, id);
    return id;
  }

  private contactIdOf(email: string): number | null {
    return (this.statements.findContactId.get(email) as { id: number } | undefined)?.id ?? null;
  }

  /** A note on the contact, with its NOTE activity on the timeline (as the note service writes them). */
  private addNote(contactId: number, body: string, authorId: number | null, now: string): AddedNote {
    const noteId = Number(this.statements.insertNote.run(contactId, body, authorId, now, now).lastInsertRowid);
    const activityId = Number(this.statements.insertNoteActivity.run(contactId, now, authorId, body, JSON.stringify({ noteId }), now).lastInsertRowid);
    return { noteId, activityId };
  }

  private update(contactId: number, columns: ContactColumns, now: string): void {
    const names = Object.keys(columns);
    const key = names.join(',');
    let statement = this.updateStatements.get(key);
    if (!statement) {
      statement = this.db.prepare(`UPDATE "Contact" SET ${names.map((n) => `"${n}" = ?`).join(', ')}, "updatedAt" = ? WHERE id = ?`);
      this.updateStatements.set(key, statement);
    }
    statement.run(...names.map((n) => columns[n]), now, contactId);
  }

  async applyBatch(plan: BatchPlan, options: { rollback: boolean }): Promise<BatchResult> {
    if (this.failure) throw this.failure;
    const now = sqliteTimestamp(new Date());
    const result: BatchResult = { createdIds: [], updatedIds: [] };
    const run = this.db.transaction(() => {
      // Before anything is written: this runner must still hold the import.
      const held = this.statements.holdClaim.run(sqliteTimestamp(plan.heartbeat.at), plan.importId, plan.heartbeat.runnerId);
      if (held.changes !== 1) throw new LostClaimError(`Import ${plan.importId} is no longer claimed by this runner`);
      let latecomers = 0;
      for (const create of plan.creates) {
        const companyId = create.companyName ? this.companyId(create.companyName, now) : null;
        // run() and lastInsertRowid: a RETURNING clause makes each insert about three times slower here.
        const inserted = this.statements.insertContact.run(...create.values, companyId, plan.importId, create.rowNumber, now, now);
        if (inserted.changes === 0) {
          this.statements.insertRow.run(plan.importId, create.rowNumber, plan.latecomer, this.contactIdOf(create.email), null, null);
          latecomers++;
          continue;
        }
        const id = Number(inserted.lastInsertRowid);
        for (const tag of create.tags) this.statements.linkTag.run(id, this.tagId(tag));
        if (create.note) this.addNote(id, create.note, plan.authorId, now);
        if (create.warnings) this.statements.insertRow.run(plan.importId, create.rowNumber, 'CREATED', id, null, create.warnings);
        result.createdIds.push(id);
      }
      for (const change of plan.updates) {
        const columns = { ...change.columns };
        if (change.companyName) columns.companyId = this.companyId(change.companyName, now);
        if (Object.keys(columns).length) this.update(change.contactId, columns, now);
        for (const tag of change.addTags) this.statements.linkTag.run(change.contactId, this.tagId(tag));
        const before = change.note ? { ...change.before, addedNote: this.addNote(change.contactId, change.note, plan.authorId, now) } : change.before;
        this.statements.insertRow.run(plan.importId, change.rowNumber, 'UPDATED', change.contactId, JSON.stringify(before), change.warnings);
        result.updatedIds.push(change.contactId);
      }
      for (const other of plan.others) {
        const contactId = other.contactId ?? (other.email ? this.contactIdOf(other.email) : null);
        this.statements.insertRow.run(plan.importId, other.rowNumber, other.outcome, contactId, null, other.error);
      }
      const c = counts(plan, latecomers);
      this.statements.bumpCounts.run(c.processed, c.created, c.updated, c.flagged, c.skipped, c.failed, plan.importId);
      if (options.rollback) throw new RolledBack();
    });
    try {
      run();
    } catch (err) {
      if (!(err instanceof RolledBack)) {
        this.companyIds.clear();
        this.tagIds.clear();
        this.failure = err as Error;
        throw err;
      }
    }
    if (options.rollback) {
      // Ids made inside the rolled-back transaction are gone.
      this.companyIds.clear();
      this.tagIds.clear();
    }
    return result;
  }

  async saveContent(importId: number, content: string): Promise<void> {
    this.statements.saveContent.run(importId, content);
  }

  async existingIds(emails: string[]): Promise<Map<string, number>> {
    const rows = this.statements.existing.all(JSON.stringify(emails)) as { id: number; email: string }[];
    return new Map(rows.map((r) => [r.email, r.id]));
  }

  close(): void {
    this.db.close();
  }
}
