import type { ConsentChangeInput, ConsentStatusName } from './consent.schemas.js';

/** The file columns consent reads, by header (case and spacing ignored). */
const HEADERS = {
  status: ['consent', 'consent status', 'marketing consent', 'email consent', 'opt in', 'opt-in'],
  date: ['consent date', 'opt in date', 'opt-in date', 'opted in at', 'consent given at'],
  source: ['consent source', 'opt in source', 'opt-in source'],
  wording: ['consent wording', 'consent text', 'opt in wording', 'opt-in wording'],
} as const;

const STATUS_WORDS: Record<string, ConsentStatusName> = {
  yes: 'OPTED_IN',
  y: 'OPTED_IN',
  true: 'OPTED_IN',
  '1': 'OPTED_IN',
  'opted in': 'OPTED_IN',
  opted_in: 'OPTED_IN',
  subscribed: 'OPTED_IN',
  'opt in': 'OPTED_IN',
  no: 'OPTED_OUT',
  n: 'OPTED_OUT',
  false: 'OPTED_OUT',
  '0': 'OPTED_OUT',
  'opted out': 'OPTED_OUT',
  opted_out: 'OPTED_OUT',
  unsubscribed: 'OPTED_OUT',
  'opt out': 'OPTED_OUT',
  pending: 'PENDING',
  unknown: 'UNKNOWN',
};

const key = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, ' ');

function column(cells: Record<string, string>, names: readonly string[]): string {
  for (const [header, value] of Object.entries(cells)) if ((names as readonly string[]).includes(key(header))) return value.trim();
  return '';
}

/** Whether a file's headers carry explicit consent columns. */
export const hasConsentColumns = (headers: string[]) => headers.some((h) => (HEADERS.status as readonly string[]).includes(key(h)));

/**
 * The consent an imported row records (email marketing): type IMPORTED and PENDING by default; the
 * file's own status, date, source and wording when it carries them. An opt-in needs its date and
 * source: without them the row is recorded PENDING, and the note says so.
 */
export function consentOfRow(
  cells: Record<string, string>,
  file: { fileName: string; importId: number; rowNumber: number },
): { change: ConsentChangeInput; notes: string[] } {
  const raw = column(cells, HEADERS.status);
  const date = column(cells, HEADERS.date);
  const source = column(cells, HEADERS.source).slice(0, 100);
  const wording = column(cells, HEADERS.wording).slice(0, 20_000);
  const notes: string[] = [];
  const base = {
    channel: 'EMAIL' as const,
    purpose: 'MARKETING',
    reference: file.fileName.slice(0, 200),
    importId: file.importId,
    importRow: file.rowNumber,
    ...(wording ? { wording } : {}),
  };
  const pending = (reason?: string): { change: ConsentChangeInput; notes: string[] } => ({
    change: { ...base, status: 'PENDING', type: 'IMPORTED', source: source || 'import', ...(reason ? { reason } : {}) },
    notes,
  });
  if (!raw) return pending();
  const status = STATUS_WORDS[key(raw)];
  if (!status) {
    notes.push(`consent: "${raw.slice(0, 40)}" is not a consent status; imported as PENDING`);
    return pending(notes[0]);
  }
  const occurredAt = date ? new Date(date) : undefined;
  if (occurredAt && (Number.isNaN(occurredAt.getTime()) || occurredAt.getTime() > Date.now())) {
    notes.push(`consent date: "${date.slice(0, 40)}" is not a past date; imported as PENDING`);
    return pending(notes[0]);
  }
  if (status === 'OPTED_IN' && (!occurredAt || !source)) {
    notes.push(
      `consent: OPTED_IN needs ${[!occurredAt && 'a consent date', !source && 'a consent source'].filter(Boolean).join(' and ')}; imported as PENDING`,
    );
    return pending(notes[0]);
  }
  return { change: { ...base, status, type: 'EXPLICIT', source: source || 'import', ...(occurredAt ? { occurredAt } : {}) }, notes };
}
