/**
 * The port to public-holiday data. Synchronous: an adapter computes a country's year once and
 * keeps it.
 */
export interface HolidayCalendar {
  /** Whether `date` (YYYY-MM-DD, the recipient's local date) is a public holiday in `country` (ISO 3166 alpha-2). */
  isHoliday(country: string, date: string): boolean;
}
