// Step 5 of an import, resume: an import is claimed by one runner, which keeps reporting (each batch
// it writes renews the claim); one whose runner stops reporting is taken over by another instance,
// which goes on from the import's `processed` count (each batch commits with that count).
import type { Database } from '../../../server/db.js';
import type { CsvRecords } from './decode.js';
import { emailOf, type MapContext } from './map.js';

/** A running import that has not reported for this long is taken to have died, and is resumed. */
export const STALE_AFTER_MS = 60_000;

/** Queued imports that no runner has, and queued or running ones whose runner stopped reporting. */
function waitingOrStale() {
  const stale = new Date(Date.now() - STALE_AFTER_MS);
  return [
    { status: 'QUEUED' as const, runnerId: null },
    { status: { in: ['QUEUED' as const, 'RUNNING' as const] }, heartbeatAt: { lt: stale } },
  ];
}

/** The imports to start or resume now. */
export async function interruptedImports(prisma: Database): Promise<number[]> {
  const waiting = await prisma.contactImport.findMany({ where: { OR: waitingOrStale() }, select: { id: true } });
  return waiting.map((w) => w.id);
}

/** Claims the import for `runnerId`, unless another live runner has it. */
export async function claim(prisma: Database, id: number, runnerId: string): Promise<boolean> {
  const { count } = await prisma.contactImport.updateMany({
    where: { id, OR: [...waitingOrStale(), { runnerId }] },
    data: { status: 'RUNNING', runnerId, heartbeatAt: new Date() },
  });
  return count === 1;
}

/**
 * The emails of the rows before `resumeAfter` (each with the first row that has it), so that later
 * repeats in the file are recognised after a resume as in a run from the start.
 */
export function emailsBefore(records: CsvRecords, resumeAfter: number, context: MapContext): Map<string, number> {
  const fileEmails = new Map<string, number>();
  for (let i = 0; i < resumeAfter && i < records.length; i++) {
    const email = emailOf(records.row(i)!, context);
    if (email && !fileEmails.has(email)) fileEmails.set(email, i + 1);
  }
  return fileEmails;
}
