const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const MOMENT = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/** "2 Dec 2026", and the time for a title on hover. */
export function day(value: string | null | undefined): { text: string; title?: string } {
  if (!value) return { text: '—' };
  const date = new Date(value);
  return { text: DAY.format(date), title: MOMENT.format(date) };
}

const NUMBER = new Intl.NumberFormat('en-GB');
export const count = (value: number) => NUMBER.format(value);
