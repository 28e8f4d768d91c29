/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, its quotes doubled.
 * A field a spreadsheet would run as a formula (leading = + - @) is defused with a leading quote;
 * numbers are left as they are, signed ones and E.164 phone numbers included.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@]/.test(text) && !/^[+-][0-9.]+$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
