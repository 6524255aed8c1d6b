// The SQLite store on a thread of its own (writer-thread.ts): while the thread writes one batch, the
// import's thread maps and plans the next.
import { RequestThread } from '../../../server/request-thread.js';
import type { BatchPlan } from './batch.js';
import { SqliteImportStore } from './store.sqlite.js';
import { LostClaimError, type BatchResult, type ImportStore } from './write.js';

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
 * The import writer thread (writer-thread.ts), started on first use and kept for the imports after:
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
      this.thread = new RequestThread(new URL('./writer-thread.ts', import.meta.url), { file: this.file }, (error) =>
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
