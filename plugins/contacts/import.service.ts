import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Prisma, type Contact, type ContactImport, type CustomFieldDefinition } from '@prisma/client';
import type { Logger } from 'pino';
import type { Database } from '../../server/db.js';
import type { EventBus } from '../../server/events.js';
import { ConflictError, NotFoundError, PayloadTooLargeError, ValidationError } from '../../server/errors.js';
import { ADDRESS_FIELDS, contactCreateInput, contactShape, IMPORTABLE_FIELDS, parseContactStrings } from './people/contact.schemas.js';
import type { CustomFieldService } from './people/custom-field.service.js';
import { decodeCsv, MAX_CELL_LENGTH, readCsv, type CsvRecords } from './csv-decode.js';
import { autoMap, CUSTOM_PREFIX, enumWord, headerLabels, SPECIAL_FIELDS } from './field-mapping.js';
import { contactValues, inIndexOrder, LostClaimError, type BatchPlan, type BatchResult, type ContactColumns, type ImportStore, type ImportStores, type PlannedOther } from './import-store.js';
import { normalizeEmail, normalizePhone, searchTextOf, sortNameOf } from './people/normalize.js';

declare module '../../server/events.js' {
  interface EventMap {
    'contacts.imported': { importId: number; createdIds: number[]; updatedIds: number[] };
  }
}

export const MAX_IMPORT_ROWS = 1_000_000;
/** A running import that has not reported for this long is taken to have died, and is resumed. */
const STALE_AFTER_MS = 60_000;
const DRY_RUN_SAMPLE = 500;
const FIRST_BATCH_ROWS = 1_000;
/** An email, a comma and a line break at the least. */
const SHORTEST_ROW_BYTES = 8;

const ENUM_FIELDS = new Set(['type', 'status', 'lifecycleStage', 'buyingRole', 'intentLevel']);
const UPDATABLE = new Set(IMPORTABLE_FIELDS.filter((f) => f !== 'email' && f !== 'tags'));

export const importSettingsInput = z.strictObject({
  /** Header text (or `#<column index>`) → target field, or null to leave the column out. */
  mapping: z.record(z.string(), z.string().nullable()).optional(),
  /** Values for fields no column fills, e.g. { "leadSource": "Trade fair 2026" }. */
  defaults: z.record(z.string(), z.string().max(1000)).optional(),
  onDuplicate: z.enum(['FLAG', 'SKIP', 'UPDATE']).optional(),
});

interface MappedRow {
  rowNumber: number;
  cells: string[];
  email: string | null;
  columns: ContactColumns;
  companyName: string | null;
  tags: string[];
  ownerEmail: string | null;
  error: string | null;
}

export interface RowPreview {
  rowNumber: number;
  values: Record<string, string>;
  outcome: 'CREATE' | 'UPDATE' | 'FLAG' | 'SKIP' | 'FAIL';
  error: string | null;
  existingContactId: number | null;
}

/**
 * How an imported row settles the fields of a contact it updates: KEEP the contact's value, USE the
 * file's, or COMBINE (notes joined; tags and custom fields are always added to). Keys are contact
 * fields, with `address` for street, city, region, postal code and country together. A field left
 * out takes the file's value. Another plugin may supply it (dedup's merge rules do).
 */
export type ImportUpdateRule = (existing: Contact, incoming: Contact) => Partial<Record<string, 'KEEP' | 'USE' | 'COMBINE'>>;

function targets(definitions: CustomFieldDefinition[]): string[] {
  return [...IMPORTABLE_FIELDS, ...SPECIAL_FIELDS, ...definitions.map((d) => `${CUSTOM_PREFIX}${d.key}`)];
}

/**
 * CSV import: upload (encoding detected, headers auto-mapped), mapping and defaults, preview with
 * per-row errors, then a background run in batches that each commit with the import's counts,
 * so a crashed run resumes where it stopped. Existing emails are flagged, skipped or updated as
 * chosen; a dry run reports without writing; a finished import can be reverted.
 */
export class ImportService {
  private readonly runnerId = randomUUID();
  private readonly active = new Map<number, Promise<void>>();
  /** Records read at upload, kept until this instance runs the import (saves reading the file twice). */
  private readonly parsed = new Map<number, CsvRecords>();
  private loadUpdateRule: (() => Promise<ImportUpdateRule>) | null = null;
  private readonly revertGuards: RevertGuard[] = [];

  constructor(
    private readonly prisma: Database,
    private readonly events: EventBus,
    private readonly customFields: CustomFieldService,
    /** A store for one upload or run; the writes of a run with several batches may go to a thread of their own. */
    private readonly stores: ImportStores,
    private readonly logger: Logger,
    readonly limits: { batchSize: number; maxBytes: number } = { batchSize: 10_000, maxBytes: 50 * 1024 * 1024 },
  ) {}

  /** Lets another plugin decide how imported rows update existing contacts; read once per import run. */
  setUpdateRule(load: () => Promise<ImportUpdateRule>): void {
    this.loadUpdateRule = load;
  }

  /**
   * Lets another plugin keep contacts an import created when the import is reverted: ones that have
   * since taken in other records (a merge's surviving contact, say) are no longer the import's alone.
   */
  keepOnRevert(guard: RevertGuard): void {
    this.revertGuards.push(guard);
  }

  async upload(file: { buffer: Buffer; originalName: string }, userId?: number) {
    if (file.buffer.length > this.limits.maxBytes) throw new PayloadTooLargeError(`file: larger than ${this.limits.maxBytes} bytes`);
    if (file.buffer.length === 0) throw new ValidationError('file: the file is empty', [{ path: 'file', message: 'is empty' }]);
    // The writer thread takes a moment to start: a file that may hold more than one batch starts it now,
    // while the file is read, rather than when its import runs.
    if (file.buffer.length > this.limits.batchSize * SHORTEST_ROW_BYTES) this.stores.expectLargeImport();
    const { text, encoding } = decodeCsv(file.buffer);
    const records = readCsv(text);
    if (records.length < 1) throw ValidationError.field('file', 'needs a header line and at least one row');
    if (records.length > MAX_IMPORT_ROWS) throw new PayloadTooLargeError(`file: more than ${MAX_IMPORT_ROWS} rows`);
    const headers = headerLabels(records.header);
    const definitions = await this.customFields.list();
    const mapping = autoMap(records.header, definitions);
    // The text is written by the store: through the Prisma client a file of several megabytes
    // costs hundreds of milliseconds.
    const record = await this.prisma.contactImport.create({
      data: {
        fileName: file.originalName.slice(0, 255),
        encoding,
        headers,
        mapping,
        totalRows: records.length,
        createdById: userId,
      },
    });
    const store = this.stores.open({ onWorkerThread: false });
    try {
      await store.saveContent(record.id, text);
    } catch (err) {
      await this.prisma.contactImport.deleteMany({ where: { id: record.id } });
      throw err;
    } finally {
      store.close();
    }
    this.parsed.set(record.id, records);
    // Uploads that are never run must not pile up in memory.
    for (const stale of [...this.parsed.keys()].slice(0, -3)) this.parsed.delete(stale);
    return this.describe(record, definitions);
  }

  /** The import's record (its file is kept apart, in ContactImportFile). */
  async get(id: number): Promise<ImportRecord> {
    const record = await this.prisma.contactImport.findUnique({ where: { id } });
    if (!record) throw new NotFoundError('Import', id);
    return record;
  }

  /** The file's records (kept from the upload on this instance), or its first lines up to `toLine`. */
  private async records(id: number, range: { toLine?: number } = {}): Promise<CsvRecords> {
    const cached = this.parsed.get(id);
    if (cached) return cached;
    const file = await this.prisma.contactImportFile.findUnique({ where: { importId: id } });
    return readCsv(file?.content ?? '', range);
  }

  async describe(record: ImportRecord, definitions?: CustomFieldDefinition[]) {
    const defs = definitions ?? (await this.customFields.list());
    const headers = record.headers as string[];
    const mapping = record.mapping as (string | null)[];
    return {
      ...record,
      columns: headers.map((header, index) => ({ index, header, field: mapping[index] ?? null })),
      availableFields: targets(defs),
    };
  }

  async configure(id: number, input: z.input<typeof importSettingsInput>) {
    const parsed = importSettingsInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const record = await this.get(id);
    if (record.status !== 'UPLOADED' && record.status !== 'COMPLETED') throw new ConflictError(`Import ${id} is ${record.status.toLowerCase()}`);
    const definitions = await this.customFields.list();
    const allowed = new Set(targets(definitions));
    const headers = record.headers as string[];
    const mapping = [...(record.mapping as (string | null)[])];
    const issues: { path: string; message: string }[] = [];
    for (const [key, field] of Object.entries(parsed.data.mapping ?? {})) {
      const index = /^#\d+$/.test(key) ? Number(key.slice(1)) : headers.indexOf(key);
      if (index < 0 || index >= headers.length) issues.push({ path: `mapping.${key}`, message: 'is not a column of the file' });
      else if (field !== null && !allowed.has(field)) issues.push({ path: `mapping.${key}`, message: `unknown field ${field}` });
      else mapping[index] = field;
    }
    const seen = new Set<string>();
    mapping.forEach((field, index) => {
      if (!field) return;
      if (seen.has(field)) issues.push({ path: `mapping.#${index}`, message: `${field} is mapped twice` });
      seen.add(field);
    });
    for (const [field, value] of Object.entries(parsed.data.defaults ?? {})) {
      if (!allowed.has(field) || field === 'email') issues.push({ path: `defaults.${field}`, message: 'is not a field that can have a default' });
      else if (field in contactShape) {
        const check = (contactShape as Record<string, z.ZodType>)[field]!.safeParse(ENUM_FIELDS.has(field) ? enumWord(value) : value);
        if (!check.success) issues.push({ path: `defaults.${field}`, message: check.error.issues[0]!.message });
      }
    }
    if (issues.length) throw new ValidationError(`Invalid import settings: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
    const updated = await this.prisma.contactImport.update({
      where: { id },
      data: {
        mapping,
        ...(parsed.data.defaults ? { defaults: parsed.data.defaults } : {}),
        ...(parsed.data.onDuplicate ? { onDuplicate: parsed.data.onDuplicate } : {}),
      },
    });
    return this.describe(updated, definitions);
  }

  /** The first rows as they would be imported, with what would happen to each and why a row fails. */
  async preview(id: number, limit = 20): Promise<{ rows: RowPreview[]; mappedFields: string[] }> {
    const record = await this.get(id);
    if (!(record.mapping as (string | null)[]).includes('email')) {
      throw ValidationError.field('mapping', 'no column is mapped to email');
    }
    const context = await this.context(record);
    const cells = (await this.records(id, { toLine: 1 + limit })).rows(0, limit);
    const mapped = cells.map((row, i) => this.mapRow(row, i + 1, context));
    const existing = await this.existingByEmail(mapped.flatMap((m) => (m.email ? [m.email] : [])));
    const seen = new Set<string>();
    const rows = mapped.map((m, i): RowPreview => {
      const values = Object.fromEntries(
        (record.mapping as (string | null)[]).flatMap((field, col) => (field ? [[field, cells[i]![col] ?? '']] : [])),
      );
      const found = m.email ? existing.get(m.email) : undefined;
      const repeated = m.email ? seen.has(m.email) : false;
      if (m.email) seen.add(m.email);
      const outcome: RowPreview['outcome'] = m.error
        ? 'FAIL'
        : repeated
          ? 'FLAG'
          : found
            ? ({ FLAG: 'FLAG', SKIP: 'SKIP', UPDATE: 'UPDATE' } as const)[record.onDuplicate]
            : 'CREATE';
      return { rowNumber: m.rowNumber, values, outcome, error: m.error ?? (repeated ? 'email appears earlier in this file' : null), existingContactId: found?.id ?? null };
    });
    return { rows, mappedFields: (record.mapping as (string | null)[]).filter((f): f is string => !!f) };
  }

  /** Queues the import (or a dry run); it runs in the background. */
  async start(id: number, options: { dryRun?: boolean } = {}) {
    const record = await this.get(id);
    if (!(record.mapping as (string | null)[]).includes('email')) {
      throw ValidationError.field('mapping', 'no column is mapped to email');
    }
    if (record.status !== 'UPLOADED') throw new ConflictError(`Import ${id} is already ${record.status.toLowerCase()}`);
    await this.prisma.contactImport.updateMany({
      where: { id },
      data: { status: 'QUEUED', dryRun: options.dryRun ?? false },
    });
    this.kick(id);
    return this.get(id);
  }

  /** The host is stopping: the writer thread ends once no import is writing. */
  stop(): Promise<void> {
    return this.stores.stop();
  }

  /** Resolves when the import has finished (for the CLI and tests). */
  async waitFor(id: number, timeoutMs = 600_000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      await this.active.get(id);
      const record = await this.get(id);
      if (['COMPLETED', 'FAILED', 'REVERTED', 'UPLOADED'].includes(record.status)) return record;
      if (Date.now() > until) throw new Error(`Import ${id} still ${record.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Picks up queued imports and running ones whose runner stopped reporting (a crash). */
  async resumeInterrupted(): Promise<number[]> {
    const stale = new Date(Date.now() - STALE_AFTER_MS);
    const waiting = await this.prisma.contactImport.findMany({
      where: { OR: [{ status: 'QUEUED', runnerId: null }, { status: { in: ['QUEUED', 'RUNNING'] }, heartbeatAt: { lt: stale } }] },
      select: { id: true },
    });
    for (const { id } of waiting) this.kick(id);
    return waiting.map((w) => w.id);
  }

  private kick(id: number): void {
    if (this.active.has(id)) return;
    const run = this.process(id)
      .catch((err) => this.logger.error({ err, importId: id }, 'import failed'))
      .finally(() => this.active.delete(id));
    this.active.set(id, run);
  }

  /** Claims the import for this instance, unless another live instance has it. */
  private async claim(id: number): Promise<boolean> {
    const stale = new Date(Date.now() - STALE_AFTER_MS);
    const { count } = await this.prisma.contactImport.updateMany({
      where: { id, OR: [{ status: 'QUEUED', runnerId: null }, { runnerId: this.runnerId }, { status: { in: ['QUEUED', 'RUNNING'] }, heartbeatAt: { lt: stale } }] },
      data: { status: 'RUNNING', runnerId: this.runnerId, heartbeatAt: new Date() },
    });
    return count === 1;
  }

  async process(id: number): Promise<void> {
    if (!(await this.claim(id))) return;
    const record = await this.get(id);
    const { batchSize } = this.limits;
    const store = this.stores.open({ onWorkerThread: record.totalRows > batchSize });
    let writing: { plan: BatchPlan; result: Promise<BatchResult> } | undefined;
    try {
      const context = await this.context(record);
      // Batches cover the file's rows in order, each committed with its counts.
      const resumeAfter = record.dryRun ? 0 : record.processed;
      const records = await this.records(id);
      // Emails of rows already handled, so later repeats in the file are recognised after a resume too.
      const fileEmails = new Map<string, number>();
      for (let i = 0; i < resumeAfter && i < records.length; i++) {
        const email = this.emailOf(records.row(i)!, context);
        if (email && !fileEmails.has(email)) fileEmails.set(email, i + 1);
      }
      const report = { created: 0, updated: 0, flagged: 0, skipped: 0, failed: 0, sample: [] as unknown[] };
      const batchAt = (start: number, size: number) => records.rows(start, start + size).map((row, i) => this.mapRow(row, start + i + 1, context));
      const settle = async (batch: { plan: BatchPlan; result: Promise<BatchResult> }) => {
        const result = await batch.result;
        if (record.dryRun) this.addToReport(report, batch.plan);
        else if (result.createdIds.length || result.updatedIds.length) {
          await this.events.emit('contacts.imported', { importId: id, ...result });
        }
      };
      // The first batches are short and each half again the one before, so the writer starts after a
      // moment's mapping instead of a whole batch's.
      let size = Math.min(FIRST_BATCH_ROWS, batchSize);
      let start = resumeAfter;
      let mapped = batchAt(start, size);
      while (mapped.length) {
        // Planned while the batch before is still being written (on the store's thread, or by the
        // database), so the writer never waits; rows repeating an email of that batch are caught by
        // fileEmails, and one whose email another writer adds meanwhile meets that contact.
        const plan = await this.plan(record, mapped, fileEmails, context, store);
        const previous = writing;
        writing = { plan, result: store.applyBatch(plan, { rollback: record.dryRun }) };
        writing.result.catch(() => undefined); // settled below, possibly after an earlier batch has failed
        start += mapped.length;
        size = Math.min(Math.round(size * 1.5), batchSize);
        mapped = batchAt(start, size);
        if (previous) await settle(previous);
      }
      if (writing) await settle(writing);
      await this.prisma.contactImport.updateMany({
        where: { id },
        data: {
          status: record.dryRun ? 'UPLOADED' : 'COMPLETED',
          finishedAt: new Date(),
          runnerId: null,
          ...(record.dryRun ? { dryRunReport: report as Prisma.InputJsonValue } : {}),
        },
      });
      if (!record.dryRun) {
        const final = await this.get(id);
        await this.prisma.auditLog.create({
          data: {
            action: 'CREATE',
            entity: 'ContactImport',
            entityId: String(id),
            actorId: record.createdById,
            via: 'import',
            changes: { fileName: record.fileName, created: final.created, updated: final.updated, flagged: final.flagged, skipped: final.skipped, failed: final.failed },
          },
        });
      }
    } catch (err) {
      // A failure ends the import only once the last batch handed over is settled (batches are written
      // in order), so nothing lands after it.
      await writing?.result.catch(() => undefined);
      // Another instance took over (this one stalled): the import is theirs to finish.
      if (err instanceof LostClaimError) return;
      await this.prisma.contactImport.updateMany({
        where: { id },
        data: { status: 'FAILED', error: (err as Error).message.slice(0, 2000), runnerId: null, finishedAt: new Date() },
      });
      throw err;
    } finally {
      store.close();
      if (!record.dryRun) this.parsed.delete(id);
    }
  }

  private addToReport(report: { created: number; updated: number; flagged: number; skipped: number; failed: number; sample: unknown[] }, plan: BatchPlan) {
    report.created += plan.creates.length;
    report.updated += plan.updates.length;
    for (const other of plan.others) report[other.outcome.toLowerCase() as 'flagged' | 'skipped' | 'failed']++;
    const entries = [
      ...plan.creates.map((c) => ({ rowNumber: c.rowNumber, outcome: 'CREATE', email: c.email })),
      ...plan.updates.map((u) => ({ rowNumber: u.rowNumber, outcome: 'UPDATE', contactId: u.contactId, changes: Object.keys(u.before) })),
      ...plan.others.map((o) => ({ rowNumber: o.rowNumber, outcome: o.outcome, contactId: o.contactId, error: o.error })),
    ].sort((a, b) => a.rowNumber - b.rowNumber);
    report.sample.push(...entries.slice(0, Math.max(0, DRY_RUN_SAMPLE - report.sample.length)));
  }

  private async plan(record: ImportRecord, mapped: MappedRow[], fileEmails: Map<string, number>, context: ImportContext, store: ImportStore): Promise<BatchPlan> {
    // The store finds emails that are already contacts as it inserts, and records those rows as
    // flagged or skipped; only an update run (to plan the changes) and a dry run (to report them)
    // look them up first: a cheap existence check, then full rows for the emails that exist.
    const lookUp = record.dryRun || record.onDuplicate === 'UPDATE';
    const ids = lookUp ? await store.existingIds([...new Set(mapped.flatMap((m) => (m.email && !m.error ? [m.email] : [])))]) : new Map<string, number>();
    const existing = await this.existingByEmail([...ids.keys()]);
    const owners = await this.ownerIds(mapped);
    const plan: BatchPlan = {
      importId: record.id,
      creates: [],
      updates: [],
      others: [],
      latecomer: record.onDuplicate === 'SKIP' ? 'SKIPPED' : 'FLAGGED',
      heartbeat: { runnerId: this.runnerId, at: new Date() },
    };
    for (const row of mapped) {
      const fail = (error: string): PlannedOther => ({ rowNumber: row.rowNumber, outcome: 'FAILED', contactId: null, error });
      if (row.error || !row.email) {
        plan.others.push(fail(row.error ?? 'email: is required'));
        continue;
      }
      if (row.ownerEmail) {
        const ownerId = owners.get(row.ownerEmail);
        if (!ownerId) {
          plan.others.push(fail(`owner: no user with email ${row.ownerEmail}`));
          continue;
        }
        row.columns.ownerId = ownerId;
      }
      const firstRow = fileEmails.get(row.email);
      if (firstRow !== undefined) {
        plan.others.push({ rowNumber: row.rowNumber, outcome: 'FLAGGED', contactId: existing.get(row.email)?.id ?? null, email: row.email, error: `email appears earlier in this file (row ${firstRow})` });
        continue;
      }
      fileEmails.set(row.email, row.rowNumber);
      const found = existing.get(row.email);
      if (!found) {
        plan.creates.push({ rowNumber: row.rowNumber, email: row.email, values: contactValues(row.columns), companyName: row.companyName, tags: row.tags });
      } else if (record.onDuplicate === 'UPDATE') {
        const update = this.updateFor(row, found, context);
        if (update.error) plan.others.push(fail(update.error));
        else plan.updates.push(update.plan!);
      } else {
        plan.others.push({ rowNumber: row.rowNumber, outcome: record.onDuplicate === 'SKIP' ? 'SKIPPED' : 'FLAGGED', contactId: found.id, error: null });
      }
    }
    plan.creates = inIndexOrder(plan.creates);
    return plan;
  }

  /**
   * Only fields the row fills are changed, and only where the update rule (if any) lets the file's
   * value in; the previous values are kept for a revert.
   */
  private updateFor(row: MappedRow, found: ExistingContact, context: ImportContext) {
    const present = this.filledFields(row, context);
    const incoming = { ...found, ...Object.fromEntries(present.map((f) => [f, row.columns[f] ?? null])), updatedAt: new Date() } as unknown as Contact;
    const choices = context.updateRule?.(found as unknown as Contact, incoming) ?? {};
    const choiceFor = (field: string) => choices[(ADDRESS_FIELDS as readonly string[]).includes(field) ? 'address' : field] ?? 'USE';
    const columns: ContactColumns = {};
    const before: Record<string, unknown> = {};
    for (const field of present) {
      if (!UPDATABLE.has(field) && field !== 'ownerId') continue;
      const choice = choiceFor(field);
      if (choice === 'KEEP') continue;
      const fileValue = row.columns[field] ?? null;
      const value = choice === 'COMBINE' && field === 'notes' ? [found.notes, fileValue].filter(Boolean).join('\n\n') || null : fileValue;
      if (found[field] !== value) {
        columns[field] = value;
        before[field] = found[field] ?? null;
      }
    }
    if (present.includes('customFields') && choiceFor('customFields') !== 'KEEP') {
      const merged = context.customFields.validate(context.definitions, JSON.parse(String(row.columns.customFields)), {
        requireAll: false,
        existing: found.customFields ? JSON.parse(String(found.customFields)) : null,
      });
      if (merged.issues.length) return { error: merged.issues.map((i) => `${i.path}: ${i.message}`).join('; ') };
      columns.customFields = JSON.stringify(merged.values);
      before.customFields = found.customFields ? JSON.parse(String(found.customFields)) : null;
    }
    const companyName = choiceFor('companyId') === 'KEEP' ? null : row.companyName;
    if (companyName) before.companyId = found.companyId ?? null;
    const addTags = choiceFor('tags') === 'KEEP' ? [] : row.tags.filter((t) => !found.tags.includes(t));
    if (addTags.length) before.tags = found.tags;
    const nameChanged = ['firstName', 'lastName'].some((f) => f in columns);
    const firstName = (columns.firstName ?? found.firstName) as string | null;
    const lastName = (columns.lastName ?? found.lastName) as string | null;
    if (nameChanged || companyName) {
      columns.searchText = searchTextOf([firstName, lastName, found.email, companyName ?? found.companyName]);
    }
    if (nameChanged) columns.sortName = sortNameOf(firstName, lastName, found.email);
    return { plan: { rowNumber: row.rowNumber, contactId: found.id, columns, companyName, addTags, before } };
  }

  private async context(record: ImportRecord): Promise<ImportContext> {
    const definitions = await this.customFields.list();
    return {
      updateRule: record.onDuplicate === 'UPDATE' && this.loadUpdateRule ? await this.loadUpdateRule() : null,
      mapping: record.mapping as (string | null)[],
      columns: (record.mapping as (string | null)[]).flatMap((field, index) => (field ? [{ index, field }] : [])),
      defaults: Object.entries((record.defaults as Record<string, string> | null) ?? {}),
      definitions,
      customFields: this.customFields,
    };
  }

  private emailOf(cells: string[], context: ImportContext): string | null {
    const index = context.mapping.indexOf('email');
    const raw = index >= 0 ? cells[index] : undefined;
    return raw ? normalizeEmail(raw) : null;
  }

  /** What one CSV row fills: its non-blank mapped cells, then the defaults for the fields those leave blank. */
  private rowValues(cells: string[], context: ImportContext): RowValues | { error: string } {
    const values: RowValues = { input: {}, companyName: null, ownerEmail: null };
    for (const { index, field } of context.columns) {
      const cell = cells[index]?.trim() ?? '';
      if (cell === '') continue;
      if (cell.length > MAX_CELL_LENGTH) return { error: `${field}: longer than ${MAX_CELL_LENGTH} characters` };
      fill(values, field, cell);
    }
    for (const [field, value] of context.defaults) if (!isFilled(values, field)) fill(values, field, value);
    return values;
  }

  /** The contact fields a row sets, which are all an update may change. */
  private filledFields(row: MappedRow, context: ImportContext): string[] {
    const values = this.rowValues(row.cells, context) as RowValues;
    return [...Object.keys(values.input), ...(values.ownerEmail ? ['ownerId'] : [])];
  }

  /** One CSV row → contact columns, validated by the same schema the API uses. */
  private mapRow(cells: string[], rowNumber: number, context: ImportContext): MappedRow {
    const result: MappedRow = { rowNumber, cells, email: null, columns: {}, companyName: null, tags: [], ownerEmail: null, error: null };
    const values = this.rowValues(cells, context);
    if ('error' in values) {
      result.error = values.error;
      return result;
    }
    result.companyName = values.companyName;
    result.ownerEmail = values.ownerEmail;
    const { input } = values;
    const quick = parseContactStrings(input);
    const parsed = quick ? { success: true as const, data: quick } : contactCreateInput.safeParse({ ...input });
    if (!parsed.success) {
      result.email = typeof input.email === 'string' ? normalizeEmail(input.email) : null;
      result.error = parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ');
      return result;
    }
    const data = parsed.data;
    const columns: ContactColumns = {};
    for (const key of Object.keys(data) as (keyof typeof data)[]) {
      if (key !== 'tags' && key !== 'customFields' && data[key] !== undefined) columns[key] = data[key];
    }
    if (context.definitions.length || data.customFields) {
      const checked = context.customFields.validate(context.definitions, data.customFields, { requireAll: true });
      if (checked.issues.length) {
        result.email = data.email;
        result.error = checked.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
        return result;
      }
      if (Object.keys(checked.values).length) columns.customFields = JSON.stringify(checked.values);
    }
    if (columns.phone) columns.phone = normalizePhone(String(columns.phone), data.country);
    if (columns.mobile) columns.mobile = normalizePhone(String(columns.mobile), data.country);
    columns.searchText = searchTextOf([data.firstName, data.lastName, data.email, result.companyName]);
    columns.sortName = sortNameOf(data.firstName, data.lastName, data.email);
    result.email = data.email;
    result.columns = columns;
    result.tags = data.tags ?? [];
    return result;
  }

  private async ownerIds(rows: MappedRow[]): Promise<Map<string, number>> {
    const emails = [...new Set(rows.flatMap((r) => (r.ownerEmail ? [r.ownerEmail] : [])))];
    if (!emails.length) return new Map();
    const users = await this.prisma.user.findMany({ where: { email: { in: emails }, active: true }, select: { id: true, email: true } });
    return new Map(users.map((u) => [u.email, u.id]));
  }

  private async existingByEmail(emails: string[]): Promise<Map<string, ExistingContact>> {
    if (!emails.length) return new Map();
    const found = await this.prisma.contact.findMany({
      where: { email: { in: [...new Set(emails)] } },
      include: { tags: { select: { tag: { select: { name: true } } } }, company: { select: { name: true } } },
    });
    return new Map(
      found.map((c) => {
        const { tags, company, ...columns } = c;
        const row: ExistingContact = {
          ...columns,
          id: c.id,
          email: c.email,
          tags: tags.map((t) => t.tag.name),
          companyName: company?.name ?? null,
          customFields: c.customFields === null ? null : JSON.stringify(c.customFields),
        };
        return [c.email, row];
      }),
    );
  }

  /** Rows with one outcome (flagged ones to review, say), with their cells and the contact they met. */
  async rowsWithOutcome(id: number, outcome: 'CREATED' | 'UPDATED' | 'FLAGGED' | 'SKIPPED' | 'FAILED', page: { page: number; pageSize: number }) {
    const record = await this.get(id);
    const [rows, total] = outcome === 'CREATED' ? await this.createdRows(id, page) : await this.recordedRows(id, outcome, page);
    const records = await this.records(id);
    const headers = record.headers as string[];
    return {
      data: rows.map((row) => {
        const cells = records.row(row.rowNumber - 1) ?? [];
        return {
          rowNumber: row.rowNumber,
          outcome: row.outcome,
          contactId: row.contactId,
          reason: row.error,
          cells: Object.fromEntries(headers.map((header, i) => [header, cells[i] ?? ''])),
        };
      }),
      page: page.page,
      pageSize: page.pageSize,
      total,
    };
  }

  /** Created rows are marked on their contacts; the other outcomes have an ImportRow each. */
  private createdRows(importId: number, page: { page: number; pageSize: number }) {
    const where = { importId };
    return Promise.all([
      this.prisma.contact
        .findMany({ where, orderBy: { importRowNumber: 'asc' }, skip: (page.page - 1) * page.pageSize, take: page.pageSize, select: { id: true, importRowNumber: true } })
        .then((contacts) => contacts.map((c) => ({ rowNumber: c.importRowNumber!, outcome: 'CREATED' as const, contactId: c.id, error: null }))),
      this.prisma.contact.count({ where }),
    ]);
  }

  private recordedRows(importId: number, outcome: 'UPDATED' | 'FLAGGED' | 'SKIPPED' | 'FAILED', page: { page: number; pageSize: number }) {
    const where = { importId, outcome };
    return Promise.all([
      this.prisma.importRow.findMany({ where, orderBy: { rowNumber: 'asc' }, skip: (page.page - 1) * page.pageSize, take: page.pageSize }),
      this.prisma.importRow.count({ where }),
    ]);
  }

  /** Failed rows with their reason and original cells, as CSV. */
  async errorReport(id: number): Promise<string> {
    const record = await this.get(id);
    const failed = await this.prisma.importRow.findMany({ where: { importId: id, outcome: 'FAILED' }, orderBy: { rowNumber: 'asc' } });
    const records = await this.records(id);
    const lines = [['row', 'error', ...(record.headers as string[])]];
    for (const row of failed) lines.push([String(row.rowNumber), row.error ?? '', ...(records.row(row.rowNumber - 1) ?? [])]);
    return lines.map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n';
  }

  /** Removes the contacts this import created and restores the ones it updated, in one transaction. */
  async revert(id: number) {
    const record = await this.get(id);
    if (record.status !== 'COMPLETED') throw new ConflictError(`Only a completed import can be reverted; import ${id} is ${record.status.toLowerCase()}`);
    const removedIds: number[] = [];
    const result = await this.prisma.$transaction(
      async (tx) => {
        const created = await tx.contact.findMany({ where: { importId: id }, select: { id: true } });
        let removed = 0;
        let kept = 0;
        const ids = created.map((c) => c.id);
        for (let i = 0; i < ids.length; i += 5_000) {
          const chunk = ids.slice(i, i + 5_000);
          const keep = new Set((await Promise.all(this.revertGuards.map((guard) => guard(chunk, tx)))).flat());
          const remove = chunk.filter((contactId) => !keep.has(contactId));
          kept += chunk.length - remove.length;
          removed += (await tx.contact.deleteMany({ where: { id: { in: remove } } })).count;
          removedIds.push(...remove);
        }
        const updated = await tx.importRow.findMany({ where: { importId: id, outcome: 'UPDATED' }, orderBy: { rowNumber: 'desc' } });
        let restored = 0;
        for (const row of updated) {
          const before = (row.before ?? {}) as Record<string, unknown>;
          const { tags, customFields, ...fields } = before;
          const exists = await tx.contact.findUnique({ where: { id: row.contactId! }, select: { id: true, firstName: true, lastName: true, email: true } });
          if (!exists) continue;
          await tx.contact.update({
            where: { id: row.contactId! },
            data: { ...fields, ...(customFields !== undefined ? { customFields: customFields === null ? Prisma.DbNull : (customFields as Prisma.InputJsonValue) } : {}) },
          });
          if (Array.isArray(tags)) {
            await tx.contactTag.deleteMany({ where: { contactId: row.contactId!, tag: { name: { notIn: tags as string[] } } } });
          }
          const contact = await tx.contact.findUnique({ where: { id: row.contactId! }, include: { company: { select: { name: true } } } });
          await tx.contact.update({
            where: { id: row.contactId! },
            data: {
              searchText: searchTextOf([contact!.firstName, contact!.lastName, contact!.email, contact!.company?.name]),
              sortName: sortNameOf(contact!.firstName, contact!.lastName, contact!.email),
            },
          });
          restored++;
        }
        await tx.contactImport.updateMany({ where: { id }, data: { status: 'REVERTED', revertedAt: new Date() } });
        return { removed, restored, kept };
      },
      { timeout: 300_000 },
    );
    if (removedIds.length) await this.events.emit('contact.deleted', { contactIds: removedIds });
    return result;
  }
}

type ImportRecord = ContactImport;

/** A row's values by field: contact fields as the schema takes them, plus the two looked up by name. */
interface RowValues {
  input: Record<string, unknown>;
  companyName: string | null;
  ownerEmail: string | null;
}

function fill(values: RowValues, field: string, value: string): void {
  if (field === 'company') values.companyName = value.slice(0, 200);
  else if (field === 'owner') values.ownerEmail = normalizeEmail(value);
  else if (field === 'tags') values.input.tags = value.split(/[;,|]/).map((t) => t.trim()).filter(Boolean);
  else if (field.startsWith(CUSTOM_PREFIX)) ((values.input.customFields ??= {}) as Record<string, string>)[field.slice(CUSTOM_PREFIX.length)] = value;
  else values.input[field] = ENUM_FIELDS.has(field) ? enumWord(value) : value;
}

function isFilled(values: RowValues, field: string): boolean {
  if (field === 'company') return values.companyName !== null;
  if (field === 'owner') return values.ownerEmail !== null;
  if (field.startsWith(CUSTOM_PREFIX)) return (values.input.customFields as Record<string, string> | undefined)?.[field.slice(CUSTOM_PREFIX.length)] !== undefined;
  return values.input[field] !== undefined;
}

/** Of the contacts an import created, the ids that a revert must leave in place. */
export type RevertGuard = (contactIds: number[], tx: Prisma.TransactionClient) => Promise<number[]>;

interface ImportContext {
  updateRule: ImportUpdateRule | null;
  mapping: (string | null)[];
  /** The mapped columns of the file, in order. */
  columns: { index: number; field: string }[];
  defaults: [field: string, value: string][];
  definitions: CustomFieldDefinition[];
  customFields: CustomFieldService;
}

interface ExistingContact {
  id: number;
  email: string;
  tags: string[];
  companyName: string | null;
  customFields: string | null;
  [column: string]: unknown;
}

/** Quotes a CSV cell and neutralises formula starters (= + - @ tab CR) against spreadsheet injection. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}
