// The CSV import as a pipeline of named steps: decode (decode.ts), map (map.ts), plan (plan.ts),
// write (write.ts and a store per dialect), resume (resume.ts) and revert (revert.ts). This file
// runs them in order and keeps the import's record; each step is a module of its own.
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { ContactImport, CustomFieldDefinition, Prisma } from '@prisma/client';
import type { Logger } from 'pino';
import type { Database } from '../../../server/db.js';
import type { EventBus } from '../../../server/events.js';
import type { FollowUps, FollowUpView } from '../../../server/follow-ups.js';
import { recordAudit } from '../../../server/audit.js';
import '../events.js';
import type { ContactsExtensions, ImportExtension } from '../extensions.js';
import { ConflictError, NotFoundError, PayloadTooLargeError, ValidationError } from '../../../server/errors.js';
import type { CustomFieldService } from '../people/custom-field.service.js';
import { decodeCsv, readCsv, type CsvRecords } from './decode.js';
import { fieldLabels } from './labels.js';
import { autoMap, headerLabels, mapContext, mapRow, targets, type MapContext } from './map.js';
import { lookUpAndPlan } from './plan.js';
import { previewRows, type RowPreview } from './preview.js';
import { errorReport, rowsWithOutcome, type RowOutcome } from './report.js';
import { claim, emailsBefore, interruptedImports } from './resume.js';
import { revertImport } from './revert.js';
import { applySettings, importSettingsInput } from './settings.js';
import { addToReport, emptyReport, LostClaimError, writeBatches, type ImportStores } from './write.js';
import { Slices } from '../../../server/slices.js';

export { importSettingsInput } from './settings.js';
export type { RowPreview } from './preview.js';

export const MAX_IMPORT_ROWS = 1_000_000;
/** An email, a comma and a line break at the least. */
const SHORTEST_ROW_BYTES = 8;
type ImportRecord = ContactImport;

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

  constructor(
    private readonly prisma: Database,
    private readonly events: EventBus,
    private readonly followUps: FollowUps,
    private readonly customFields: CustomFieldService,
    /** A store for one upload or run; the writes of a run with several batches may go to a thread of their own. */
    private readonly stores: ImportStores,
    private readonly logger: Logger,
    /**
     * Other plugins' import hooks (contacts' extension object): the update rule (the last one given,
     * read once per run), revert guards (contacts a revert must keep) and defaults for blank fields.
     */
    private readonly extensions: ContactsExtensions,
    readonly limits: { batchSize: number; maxBytes: number } = { batchSize: 10_000, maxBytes: 50 * 1024 * 1024 },
  ) {}

  private hooks(): ImportExtension[] {
    return this.extensions.of('import').map((e) => e.value);
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
    const definitions = await this.customFields.list();
    // The text is written by the store: through the Prisma client a file of several megabytes
    // costs hundreds of milliseconds.
    const record = await this.prisma.contactImport.create({
      data: {
        fileName: file.originalName.slice(0, 255),
        encoding,
        headers: headerLabels(records.header),
        mapping: autoMap(records.header, definitions),
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

  /** The work other plugins do after the import (checks, scoring): status, progress and lag. */
  downstream(id: number): Promise<FollowUpView[]> {
    return this.followUps.of(followUpKey(id));
  }

  /** The contacts the import created or updated: what the work that follows it reads. */
  async contactIdsOf(id: number): Promise<number[]> {
    const created = await this.prisma.contact.findMany({ where: { importId: id }, select: { id: true } });
    const updated = await this.prisma.importRow.findMany({
      where: { importId: id, outcome: 'UPDATED', contactId: { not: null } },
      select: { contactId: true },
    });
    return [...new Set([...created.map((c) => c.id), ...updated.map((r) => r.contactId!)])];
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
    const availableFields = targets(defs);
    return {
      ...record,
      downstream: await this.downstream(record.id),
      columns: headers.map((header, index) => ({ index, header, field: mapping[index] ?? null })),
      availableFields,
      fieldLabels: fieldLabels(availableFields, defs),
      /** Rows imported with values left out (their warnings are in the error report). */
      warned: await this.prisma.importRow.count({ where: { importId: record.id, outcome: { in: ['CREATED', 'UPDATED'] }, error: { not: null } } }),
    };
  }

  async configure(id: number, input: z.input<typeof importSettingsInput>) {
    const parsed = importSettingsInput.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const record = await this.get(id);
    if (record.status !== 'UPLOADED' && record.status !== 'COMPLETED') throw new ConflictError(`Import ${id} is ${record.status.toLowerCase()}`);
    const definitions = await this.customFields.list();
    const mapping = applySettings(parsed.data, { headers: record.headers as string[], mapping: record.mapping as (string | null)[] }, definitions);
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
    const record = await this.mappedImport(id);
    const cells = (await this.records(id, { toLine: 1 + limit })).rows(0, limit);
    const rows = await previewRows(this.prisma, cells, await this.context(record), record.onDuplicate);
    const noters = this.hooks().flatMap((h) => (h.rowNotes ? [h.rowNotes] : []));
    const headers = record.headers as string[];
    for (const [i, row] of rows.entries()) {
      const byHeader = Object.fromEntries(headers.map((header, col) => [header, cells[i]![col] ?? '']));
      row.notes = noters.flatMap((note) => note(byHeader));
    }
    return { rows, mappedFields: (record.mapping as (string | null)[]).filter((f): f is string => !!f) };
  }

  /** Queues the import (or a dry run); it runs in the background. */
  async start(id: number, options: { dryRun?: boolean } = {}) {
    const record = await this.mappedImport(id);
    if (record.status !== 'UPLOADED') throw new ConflictError(`Import ${id} is already ${record.status.toLowerCase()}`);
    await this.prisma.contactImport.updateMany({ where: { id }, data: { status: 'QUEUED', dryRun: options.dryRun ?? false } });
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
    const ids = await interruptedImports(this.prisma);
    for (const id of ids) this.kick(id);
    return ids;
  }

  private kick(id: number): void {
    if (this.active.has(id)) return;
    const run = this.process(id)
      .catch((err) => this.logger.error({ err, importId: id }, 'import failed'))
      .finally(() => this.active.delete(id));
    this.active.set(id, run);
  }

  /** Runs the import: map, plan and write its rows batch by batch, from where it stopped if resumed. */
  async process(id: number): Promise<void> {
    if (!(await claim(this.prisma, id, this.runnerId))) return;
    const record = await this.get(id);
    const store = this.stores.open({ onWorkerThread: record.totalRows > this.limits.batchSize });
    try {
      const context = await this.context(record);
      const resumeAfter = record.dryRun ? 0 : record.processed;
      const records = await this.records(id);
      const fileEmails = emailsBefore(records, resumeAfter, context);
      const report = emptyReport();
      const settings = {
        importId: id,
        runnerId: this.runnerId,
        onDuplicate: record.onDuplicate,
        lookUp: record.dryRun || record.onDuplicate === 'UPDATE',
        authorId: record.createdById,
      };
      await writeBatches({
        store,
        from: resumeAfter,
        batchSize: this.limits.batchSize,
        rollback: record.dryRun,
        // Mapped in slices: a batch of rows is long CPU work, and requests are answered in between.
        rows: (start, size) => new Slices().map(records.rows(start, start + size), (row, i) => mapRow(row, start + i + 1, context)),
        plan: (mapped) => lookUpAndPlan(this.prisma, store, mapped, fileEmails, settings, context),
        settle: async (plan, result) => {
          if (record.dryRun) addToReport(report, plan);
          else if (result.createdIds.length || result.updatedIds.length) await this.events.emit('contacts.imported', { importId: id, ...result });
        },
      });
      await this.finish(record, record.dryRun ? report : null);
    } catch (err) {
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

  /** A dry run goes back to UPLOADED with its report; a real run is COMPLETED and audited. */
  private async finish(record: ImportRecord, dryRunReport: object | null): Promise<void> {
    const id = record.id;
    // Recorded before the import reads as completed: a crash in between re-runs the (idempotent) last step.
    if (!dryRunReport) await this.followUps.record('import.completed', followUpKey(id), { importId: id });
    await this.prisma.contactImport.updateMany({
      where: { id },
      data: {
        status: dryRunReport ? 'UPLOADED' : 'COMPLETED',
        finishedAt: new Date(),
        runnerId: null,
        ...(dryRunReport ? { dryRunReport: dryRunReport as Prisma.InputJsonValue } : {}),
      },
    });
    if (dryRunReport) return;
    const final = await this.get(id);
    await recordAudit(this.prisma, {
      action: 'CREATE',
      entity: 'ContactImport',
      entityId: String(id),
      actorId: record.createdById,
      via: 'import',
      changes: {
        fileName: record.fileName,
        created: final.created,
        updated: final.updated,
        flagged: final.flagged,
        skipped: final.skipped,
        failed: final.failed,
      },
    });
    // The import is done; the work it owes (duplicate check, scoring, ...) starts now.
    this.followUps.start(followUpKey(id));
  }

  /** The import, which must have a column mapped to email. */
  private async mappedImport(id: number): Promise<ImportRecord> {
    const record = await this.get(id);
    if (!(record.mapping as (string | null)[]).includes('email')) throw ValidationError.field('mapping', 'no column is mapped to email');
    return record;
  }

  private async context(record: ImportRecord): Promise<MapContext> {
    const loadUpdateRule = this.hooks()
      .flatMap((h) => (h.updateRule ? [h.updateRule] : []))
      .at(-1);
    const updateRule = record.onDuplicate === 'UPDATE' && loadUpdateRule ? await loadUpdateRule() : null;
    const defaults = Object.assign({}, ...this.hooks().map((h) => h.defaults?.() ?? {}), (record.defaults as Record<string, string> | null) ?? {});
    const context = mapContext({ ...record, defaults }, await this.customFields.list(), this.customFields, updateRule);
    if (this.extensions.of('screen').length) context.screen = (people) => this.extensions.screen(people);
    return context;
  }

  /** Rows with one outcome (flagged ones to review, say), with their cells and the contact they met. */
  async rowsWithOutcome(id: number, outcome: RowOutcome, page: { page: number; pageSize: number }) {
    return rowsWithOutcome(this.prisma, await this.get(id), () => this.records(id), outcome, page);
  }

  /** Failed rows with their reason and original cells, as CSV. */
  async errorReport(id: number): Promise<string> {
    return errorReport(this.prisma, await this.get(id), () => this.records(id));
  }

  /** Removes the contacts this import created and restores the ones it updated, in one transaction. */
  async revert(id: number) {
    const record = await this.get(id);
    if (record.status !== 'COMPLETED') throw new ConflictError(`Only a completed import can be reverted; import ${id} is ${record.status.toLowerCase()}`);
    const guards = this.hooks().flatMap((h) => (h.keepOnRevert ? [h.keepOnRevert] : []));
    const { removedIds, ...result } = await revertImport(this.prisma, id, guards);
    if (removedIds.length) await this.events.emit('contact.deleted', { contactIds: removedIds });
    return result;
  }
}

function followUpKey(importId: number): string {
  return `import:${importId}`;
}
