/**
 * A value that starts like a formula but is plainly a number or a phone number ("-12", "+1 737 564
 * 3889"): a spreadsheet reads it as that value, and an apostrophe would only spoil it.
 */
const NUMBER_OR_PHONE = /^(?:[+-]\d+(?:[.,]\d+)*|\+(?=(?:[^\d]*\d){6})[\d ().-]+)$/;

/**
 * Quotes a CSV cell and neutralises formula starters (= @ tab CR, and + or - unless a number or
 * phone number follows) against spreadsheet injection.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text) && !NUMBER_OR_PHONE.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}
