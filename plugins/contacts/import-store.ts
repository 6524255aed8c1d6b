import Sqlite from 'better-sqlite3';
import type { Prisma } from '@prisma/client';
import type { Database } from '../../server/db.js';
import { openSqliteConnection } from '../../server/sqlite.js';
import { OneAtATime } from '../../server/one-at-a-time.js';
import { RequestThread } from '../../server/request-thread.js';

/** Opens the store each import run (and each upload) writes through. */
export interface ImportStores {
  open(options: { onWorkerThread: boolean }): ImportStore;
  /** An upload that may hold more than one batch: its run will want the writer thread. */
  expectLargeImport(): void;
  /** The host is stopping. */
  stop(): Promise<void>;
}

/** The column values of one contact, as the import writes them. */
export type ContactValue = string | number | null;
export type ContactColumns = Record<string, ContactValue>;

export interface PlannedCreate {
  rowNumber: number;
  email: string;
  /** The contact's columns in CONTACT_COLUMNS order, as `contactValues` lays them out. */
  values: ContactValue[];
  companyName: string | null;
  tags: string[];
}

export interface PlannedUpdate {
  rowNumber: number;
  contactId: number;
  columns: ContactColumns;
  companyName: string | null;
  addTags: string[];
  /** The changed fields' previous values (and tags), restored by a revert. */
  before: Record<string, unknown>;
}

export interface PlannedOther {
  rowNumber: number;
  outcome: 'FLAGGED' | 'SKIPPED' | 'FAILED';
  contactId: number | null;
  /** For in-file duplicates: the email whose contact (created by an earlier row) the row points at. */
  email?: string;
  error: string | null;
}

export interface BatchPlan {
  importId: number;
  /** In `inIndexOrder`, which the SQLite store inserts them in. */
  creates: PlannedCreate[];
  updates: PlannedUpdate[];
  others: PlannedOther[];
  /** What a create becomes when its email is a contact already (not looked up, or added after planning). */
  latecomer: 'FLAGGED' | 'SKIPPED';
  heartbeat: { runnerId: string; at: Date };
}

export interface BatchResult {
  createdIds: number[];
  updatedIds: number[];
}

/**
 * Writes one batch of an import in one transaction: contacts (each created one marked with the
 * import and its row), their companies and tags, an ImportRow for every other row, and the import's
 * counts (whose `processed` is the resume point). `rollback` runs it all and undoes
 * it, which is how a dry run learns exactly what would happen. Batches may be handed over before the
 * one before is written: they are written in order, and once one fails the later ones are refused,
 * so the resume point never passes rows that were not written.
 */
export interface ImportStore {
  /** Keeps the uploaded file's text (in ContactImportFile), for resuming on any instance. */
  saveContent(importId: number, content: string): Promise<void>;
  /** Ids of the contacts that already have these (normalized) emails. */
  existingIds(emails: string[]): Promise<Map<string, number>>;
  applyBatch(plan: BatchPlan, options: { rollback: boolean }): Promise<BatchResult>;
  close(): void;
}

/** The columns an import fills from a row (the company is looked up by name as it is written). */
const CONTACT_COLUMNS = [
  'email', 'firstName', 'lastName', 'phone', 'mobile', 'jobTitle', 'department', 'type', 'status',
  'lifecycleStage', 'buyingRole', 'intentLevel', 'leadSource', 'ownerId', 'notes', 'linkedinUrl', 'twitterHandle',
  'street', 'city', 'region', 'postalCode', 'country', 'timezone', 'customFields', 'searchText', 'sortName',
] as const;

/** The writer's checkpoint interval in pages (see SqliteImportStore). */
export const WAL_PAGES_BEFORE_CHECKPOINT = 4_000;
const DEFAULTS: ContactColumns = { type: 'LEAD', status: 'ACTIVE', lifecycleStage: 'NEW' };
const SORT_NAME = CONTACT_COLUMNS.indexOf('sortName');

/**
 * A new contact's columns as an array: it travels to the writer thread without a key per value, and
 * is bound to the insert as it is.
 */
export function contactValues(columns: ContactColumns): ContactValue[] {
  return CONTACT_COLUMNS.map((column) => columns[column] ?? DEFAULTS[column] ?? null);
}

/** The columns `contactValues` laid out that have a value. */
function valuedColumns(values: ContactValue[]): ContactColumns {
  const columns: ContactColumns = {};
  CONTACT_COLUMNS.forEach((column, i) => {
    if (values[i] !== null) columns[column] = values[i]!;
  });
  return columns;
}

/** Prisma keeps SQLite DateTime values as ISO text with an explicit offset. */
function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

class RolledBack extends Error {}

/** The import was claimed by another instance after this one stopped reporting. */
export class LostClaimError extends Error {}

/** The batch's counts, `latecomers` of its creates having met a contact with their email. */
function counts(plan: BatchPlan, latecomers: number) {
  const of = (outcome: string) => plan.others.filter((o) => o.outcome === outcome).length + (plan.latecomer === outcome ? latecomers : 0);
  return {
    processed: plan.creates.length + plan.updates.length + plan.others.length,
    created: plan.creates.length - latecomers,
    updated: plan.updates.length,
    flagged: of('FLAGGED'),
    skipped: of('SKIPPED'),
    failed: of('FAILED'),
  };
}

/**
 * The creates ordered by sort name, as a plan hands them over: the SQLite store then walks the name
 * index (the widest of the contact indexes) from start to end instead of jumping around it, which
 * makes inserting a sixth cheaper. (Sorted by the planner, which has time to spare while the writer
 * thread writes.)
 */
export function inIndexOrder(creates: PlannedCreate[]): PlannedCreate[] {
  return [...creates].sort((a, b) => {
    const x = a.values[SORT_NAME] as string;
    const y = b.values[SORT_NAME] as string;
    return x < y ? -1 : x > y ? 1 : 0;
  });
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
      insertRow: this.db.prepare(
        'INSERT INTO "ImportRow" (importId, rowNumber, outcome, contactId, before, error) VALUES (?, ?, ?, ?, ?, ?)',
      ),
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
        result.createdIds.push(id);
      }
      for (const change of plan.updates) {
        const columns = { ...change.columns };
        if (change.companyName) columns.companyId = this.companyId(change.companyName, now);
        if (Object.keys(columns).length) this.update(change.contactId, columns, now);
        for (const tag of change.addTags) this.statements.linkTag.run(change.contactId, this.tagId(tag));
        this.statements.insertRow.run(plan.importId, change.rowNumber, 'UPDATED', change.contactId, JSON.stringify(change.before), null);
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

/** A request to the writer thread: a batch of one import's session, or the end of that session. */
export type WriterRequest = { session: number; plan: string; options: { rollback: boolean } } | { session: number; close: true };

/**
 * A plan as the writer thread receives it: JSON text, which the thread parses in about half the
 * time it takes to rebuild the same plan sent as objects (and the writer is the slower side).
 */
export function planToText(plan: BatchPlan): string {
  return JSON.stringify(plan);
}

export function planFromText(text: string): BatchPlan {
  const plan = JSON.parse(text) as BatchPlan;
  plan.heartbeat.at = new Date(plan.heartbeat.at);
  return plan;
}

/**
 * The import writer thread (import-writer.ts), started on first use and kept for the imports after:
 * a thread takes about a third of a second to start, which an import would otherwise wait for. Each
 * import writes through a session of its own (its own connection, its own failure); `stop` ends the
 * thread once no import is writing.
 */
export class ImportWriter {
  private thread: RequestThread<WriterRequest, BatchResult | null> | undefined;
  private nextSession = 0;
  private openSessions = 0;
  private stopping = false;

  constructor(private readonly file: string) {}

  /** Starts the thread ahead of an import (at its upload), so the import's first batch need not wait. */
  warm(): void {
    if (!this.stopping) this.current();
  }

  session(): ThreadedImportStore {
    const thread = this.current();
    const session = this.nextSession++;
    this.openSessions++;
    return new ThreadedImportStore(this.file, {
      write: (plan, options) => thread.request({ session, plan: planToText(plan), options }) as Promise<BatchResult>,
      close: () => {
        this.openSessions--;
        void thread.request({ session, close: true }).catch(() => undefined);
        if (this.stopping && !this.openSessions) void thread.terminate();
      },
    });
  }

  /** Ends the thread now if no import is writing, or else when the last one closes its session. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.thread && !this.openSessions) await this.thread.terminate();
  }

  private current(): RequestThread<WriterRequest, BatchResult | null> {
    if (!this.thread || this.thread.stopped) {
      this.thread = new RequestThread(new URL('./import-writer.ts', import.meta.url), { file: this.file }, (error) =>
        error.name === LostClaimError.name ? new LostClaimError(error.message) : new Error(error.message),
      );
    }
    return this.thread;
  }
}

/**
 * SqliteImportStore on the writer thread for the batches: while it writes one, this thread maps the
 * next rows, and requests are served meanwhile. Reads stay on this thread's own connection, which
 * takes them off the writer.
 */
export class ThreadedImportStore implements ImportStore {
  private readonly local: SqliteImportStore;

  constructor(
    file: string,
    private readonly session: {
      write: (plan: BatchPlan, options: { rollback: boolean }) => Promise<BatchResult>;
      close: () => void;
    },
  ) {
    this.local = new SqliteImportStore(file);
  }

  saveContent(importId: number, content: string): Promise<void> {
    return this.local.saveContent(importId, content);
  }

  existingIds(emails: string[]): Promise<Map<string, number>> {
    return this.local.existingIds(emails);
  }

  applyBatch(plan: BatchPlan, options: { rollback: boolean }): Promise<BatchResult> {
    return this.session.write(plan, options);
  }

  /** The session's connection on the writer thread closes once the batches before are written. */
  close(): void {
    this.session.close();
    this.local.close();
  }
}

/** PostgreSQL (or any Prisma database): the same batch through the Prisma client in one transaction. */
export class PrismaImportStore implements ImportStore {
  private readonly batches = new OneAtATime();
  private failure: Error | undefined;

  constructor(private readonly prisma: Database) {}

  async saveContent(importId: number, content: string): Promise<void> {
    await this.prisma.$executeRaw`INSERT INTO "ContactImportFile" ("importId", "content") VALUES (${importId}, ${content})`;
  }

  async existingIds(emails: string[]): Promise<Map<string, number>> {
    const rows = await this.prisma.contact.findMany({ where: { email: { in: emails } }, select: { id: true, email: true } });
    return new Map(rows.map((r) => [r.email, r.id]));
  }

  applyBatch(plan: BatchPlan, options: { rollback: boolean }): Promise<BatchResult> {
    return this.batches.run(() => this.write(plan, options));
  }

  private async write(plan: BatchPlan, options: { rollback: boolean }): Promise<BatchResult> {
    if (this.failure) throw this.failure;
    const result: BatchResult = { createdIds: [], updatedIds: [] };
    try {
      await this.prisma.$transaction(
        async (tx) => {
          // Before anything is written: this runner must still hold the import.
          const held = await tx.contactImport.updateMany({ where: { id: plan.importId, runnerId: plan.heartbeat.runnerId }, data: { heartbeatAt: plan.heartbeat.at } });
          if (held.count !== 1) throw new LostClaimError(`Import ${plan.importId} is no longer claimed by this runner`);
          const companies = new Map<string, number>();
          const companyId = async (name: string) => {
            if (!companies.has(name)) {
              const found = await tx.company.findFirst({ where: { name }, orderBy: { id: 'asc' }, select: { id: true } });
              companies.set(name, found?.id ?? (await tx.company.create({ data: { name }, select: { id: true } })).id);
            }
            return companies.get(name)!;
          };
          const tagIds = async (names: string[]) => {
            const ids: number[] = [];
            for (const name of names) ids.push((await tx.tag.upsert({ where: { name }, create: { name }, update: {}, select: { id: true } })).id);
            return ids;
          };
          // Emails that are contacts already (added by another writer after the batch was planned, or
          // not looked up while planning) meet those contacts instead; so do later rows repeating them.
          const emails = [...plan.creates.map((c) => c.email), ...plan.others.flatMap((o) => (o.email ? [o.email] : []))];
          const lateIds = new Map((await tx.contact.findMany({ where: { email: { in: emails } }, select: { id: true, email: true } })).map((c) => [c.email, c.id]));
          const creates = plan.creates.filter((create) => !lateIds.has(create.email));
          const data: Prisma.ContactCreateManyInput[] = [];
          for (const create of creates) {
            const columns = { ...valuedColumns(create.values), importId: plan.importId, importRowNumber: create.rowNumber } as Record<string, unknown>;
            if (create.companyName) columns.companyId = await companyId(create.companyName);
            if (typeof columns.customFields === 'string') columns.customFields = JSON.parse(columns.customFields);
            data.push(columns as unknown as Prisma.ContactCreateManyInput);
          }
          const created = data.length ? await tx.contact.createManyAndReturn({ data, select: { id: true, email: true } }) : [];
          const idByEmail = new Map(created.map((c) => [c.email, c.id]));
          const links: { contactId: number; tagId: number }[] = [];
          const rows: Prisma.ImportRowCreateManyInput[] = [];
          for (const create of plan.creates) {
            const late = lateIds.get(create.email);
            if (late !== undefined) {
              rows.push({ importId: plan.importId, rowNumber: create.rowNumber, outcome: plan.latecomer, contactId: late });
              continue;
            }
            const id = idByEmail.get(create.email)!;
            for (const tagId of await tagIds(create.tags)) links.push({ contactId: id, tagId });
            result.createdIds.push(id);
          }
          for (const change of plan.updates) {
            const columns = { ...change.columns } as Record<string, unknown>;
            if (change.companyName) columns.companyId = await companyId(change.companyName);
            if (typeof columns.customFields === 'string') columns.customFields = JSON.parse(columns.customFields);
            if (Object.keys(columns).length) await tx.contact.update({ where: { id: change.contactId }, data: columns as Prisma.ContactUncheckedUpdateInput });
            for (const tagId of await tagIds(change.addTags)) links.push({ contactId: change.contactId, tagId });
            rows.push({ importId: plan.importId, rowNumber: change.rowNumber, outcome: 'UPDATED', contactId: change.contactId, before: change.before as Prisma.InputJsonValue });
            result.updatedIds.push(change.contactId);
          }
          for (const other of plan.others) {
            const contactId = other.contactId ?? (other.email ? (idByEmail.get(other.email) ?? lateIds.get(other.email) ?? null) : null);
            rows.push({ importId: plan.importId, rowNumber: other.rowNumber, outcome: other.outcome, contactId, error: other.error });
          }
          const uniqueLinks = [...new Map(links.map((l) => [`${l.contactId}:${l.tagId}`, l])).values()];
          if (uniqueLinks.length) await tx.contactTag.createMany({ data: uniqueLinks });
          if (rows.length) await tx.importRow.createMany({ data: rows });
          const c = counts(plan, plan.creates.length - creates.length);
          await tx.contactImport.updateMany({
            where: { id: plan.importId },
            data: {
              processed: { increment: c.processed },
              created: { increment: c.created },
              updated: { increment: c.updated },
              flagged: { increment: c.flagged },
              skipped: { increment: c.skipped },
              failed: { increment: c.failed },
            },
          });

          if (options.rollback) throw new RolledBack();
        },
        { timeout: 120_000 },
      );
    } catch (err) {
      if (!(err instanceof RolledBack)) {
        this.failure = err as Error;
        throw err;
      }
    }
    return result;
  }

  close(): void {}
}
