const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-](\d{2}):?(\d{2})))?$/i;

/**
 * An ISO-8601 date-time with a time zone (or, where `dateOnly` allows it, a date, read as UTC
 * midnight) as epoch milliseconds; undefined when it is not one. Stricter than Date.parse, which
 * reads "2027-02-30" as 2 March and "0" as the year 2000.
 */
export function parseIsoDateTime(value: string, options: { dateOnly?: boolean } = {}): number | undefined {
  const m = ISO.exec(value);
  if (!m || (m[4] === undefined && !options.dateOnly)) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((part) => (part === undefined ? undefined : Number(part)));
  const [offsetHours, offsetMinutes] = [Number(m[8] ?? 0), Number(m[9] ?? 0)];
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth || hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) {
    return undefined;
  }
  return Date.parse(m[4] === undefined ? `${value}T00:00:00Z` : value);
}
