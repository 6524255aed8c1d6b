// Cron expressions as people read them: "every day at 03:15", "every 5 minutes". The common shapes
// are spelled out; anything else is shown as the expression itself.

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const isNumber = (field: string, max: number) => /^\d{1,2}$/.test(field) && Number(field) <= max;
const step = (field: string): number | null => (/^\*\/\d{1,2}$/.test(field) ? Number(field.slice(2)) : null);
const pad = (n: string) => n.padStart(2, '0');
const plural = (n: number, unit: string) => (n === 1 ? `every ${unit}` : `every ${n} ${unit}s`);

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/** A five-field expression (minute hour day-of-month month day-of-week), or null when it is not a common shape. */
function describeFields([minute, hour, dayOfMonth, month, dayOfWeek]: string[]): string | null {
  if (month !== '*') return null;
  const everyDay = dayOfMonth === '*' && dayOfWeek === '*';
  if (everyDay && hour === '*') {
    if (minute === '*') return 'every minute';
    const minutes = step(minute!);
    if (minutes) return plural(minutes, 'minute');
    if (isNumber(minute!, 59)) return `every hour at :${pad(minute!)}`;
    return null;
  }
  if (!isNumber(minute!, 59)) return null;
  const hours = step(hour!);
  if (everyDay && hours) return `${plural(hours, 'hour')} at :${pad(minute!)}`;
  if (!isNumber(hour!, 23)) return null;
  const at = `at ${pad(hour!)}:${pad(minute!)}`;
  if (everyDay) return `every day ${at}`;
  if (dayOfMonth === '*' && dayOfWeek === '1-5') return `every weekday ${at}`;
  if (dayOfMonth === '*' && isNumber(dayOfWeek!, 7)) return `every ${DAYS[Number(dayOfWeek)]} ${at}`;
  if (dayOfWeek === '*' && isNumber(dayOfMonth!, 31) && Number(dayOfMonth) > 0) return `every month on the ${ordinal(Number(dayOfMonth))} ${at}`;
  return null;
}

/** "every day at 03:15" for `15 3 * * *`; the expression itself when it is not a common shape. */
export function describeSchedule(expression: string): string {
  const fields = expression.trim().split(/\s+/);
  if (fields.length === 6) {
    const [second, ...rest] = fields;
    if (rest.every((f) => f === '*')) {
      if (second === '*') return 'every second';
      const seconds = step(second!);
      if (seconds) return plural(seconds, 'second');
    }
    if (second !== '0') return expression;
    return describeFields(rest) ?? expression;
  }
  if (fields.length !== 5) return expression;
  return describeFields(fields) ?? expression;
}

/** "Resume imports" for `contacts.resume-imports`. */
export function jobTitle(name: string): string {
  const words = name.slice(name.indexOf('.') + 1).replace(/[-_]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
