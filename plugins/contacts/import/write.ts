// Step 4 of an import, write: batches of rows are planned and handed to a store, which writes each
// in one transaction with the import's counts. The store is one per dialect: store.sqlite.ts (and
// store.thread.ts, the same on a thread of its own), store.prisma.ts for PostgreSQL.
import type { BatchPlan, PlannedUpdate } from './batch.js';

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

/** Opens the store each import run (and each upload) writes through. */
export interface ImportStores {
  open(options: { onWorkerThread: boolean }): ImportStore;
  /** An upload that may hold more than one batch: its run will want the writer thread. */
  expectLargeImport(): void;
  /** The host is stopping. */
  stop(): Promise<void>;
}

/** The note (and its timeline activity) an update added, kept in the row's `before` for a revert. */
export interface AddedNote {
  noteId: number;
  activityId: number;
}

/** The import was claimed by another instance after this one stopped reporting. */
export class LostClaimError extends Error {}

/** Thrown inside a store's transaction to undo a dry run's batch. */
export class RolledBack extends Error {}

/** The batch's counts, `latecomers` of its creates having met a contact with their email. */
export function counts(plan: BatchPlan, latecomers: number) {
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

/** The first batch's rows: short, so the writer starts after a moment's mapping instead of a whole batch's. */
export const FIRST_BATCH_ROWS = 1_000;

/**
 * Writes the file's rows from `from` on, in batches that each commit with their counts. The first
 * batches are short and each half again the one before. A batch is planned while the one before is
 * still being written (on the store's thread, or by the database), so the writer never waits; rows
 * repeating an email of that batch are caught by the planner's file emails, and one whose email
 * another writer adds meanwhile meets that contact. On a failure the last batch handed over is
 * settled before the error goes on (batches are written in order), so nothing lands after it.
 */
export async function writeBatches<Row>(steps: {
  store: ImportStore;
  from: number;
  batchSize: number;
  rollback: boolean;
  /** The mapped rows `start` to `start + size` (fewer at the end, none past it). */
  rows: (start: number, size: number) => Row[] | Promise<Row[]>;
  plan: (rows: Row[]) => Promise<BatchPlan>;
  /** After a batch is written (in order): report it, tell others. */
  settle: (plan: BatchPlan, result: BatchResult) => Promise<void>;
}): Promise<void> {
  const { store, batchSize } = steps;
  let writing: { plan: BatchPlan; result: Promise<BatchResult> } | undefined;
  const settle = async (batch: { plan: BatchPlan; result: Promise<BatchResult> }) => steps.settle(batch.plan, await batch.result);
  try {
    let size = Math.min(FIRST_BATCH_ROWS, batchSize);
    let start = steps.from;
    let mapped = await steps.rows(start, size);
    while (mapped.length) {
      const plan = await steps.plan(mapped);
      const previous = writing;
      writing = { plan, result: store.applyBatch(plan, { rollback: steps.rollback }) };
      writing.result.catch(() => undefined); // settled below, possibly after an earlier batch has failed
      start += mapped.length;
      size = Math.min(Math.round(size * 1.5), batchSize);
      mapped = await steps.rows(start, size);
      if (previous) await settle(previous);
    }
    if (writing) await settle(writing);
  } catch (err) {
    await writing?.result.catch(() => undefined);
    throw err;
  }
}

const DRY_RUN_SAMPLE = 500;

export interface DryRunReport {
  created: number;
  updated: number;
  flagged: number;
  skipped: number;
  failed: number;
  sample: unknown[];
}

export const emptyReport = (): DryRunReport => ({ created: 0, updated: 0, flagged: 0, skipped: 0, failed: 0, sample: [] });

const TARGET_OF: Record<string, string> = { companyId: 'company', ownerId: 'owner' };

/** The import fields an update changes (company and owner by their import names, the note as notes). */
function changedFields(update: PlannedUpdate): string[] {
  return [...Object.keys(update.before).map((column) => TARGET_OF[column] ?? column), ...(update.note ? ['notes'] : [])];
}

/** What a dry run's batch would have done: its counts, and the first rows' outcomes as a sample. */
export function addToReport(report: DryRunReport, plan: BatchPlan): void {
  report.created += plan.creates.length;
  report.updated += plan.updates.length;
  for (const other of plan.others) report[other.outcome.toLowerCase() as 'flagged' | 'skipped' | 'failed']++;
  const entries = [
    ...plan.creates.map((c) => ({ rowNumber: c.rowNumber, outcome: 'CREATE', email: c.email })),
    ...plan.updates.map((u) => ({ rowNumber: u.rowNumber, outcome: 'UPDATE', contactId: u.contactId, changes: changedFields(u) })),
    ...plan.others.map((o) => ({ rowNumber: o.rowNumber, outcome: o.outcome, contactId: o.contactId, error: o.error })),
  ].sort((a, b) => a.rowNumber - b.rowNumber);
  report.sample.push(...entries.slice(0, Math.max(0, DRY_RUN_SAMPLE - report.sample.length)));
}
