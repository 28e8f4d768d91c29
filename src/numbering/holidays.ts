import Holidays from 'date-holidays';
import type { HolidayCalendar } from '../core/compliance/holidays.js';

/**
 * Public holidays from `date-holidays` (its maintained rules per country, national ones only:
 * regional holidays need the recipient's region, which a number does not tell). A country's year
 * is computed once and kept.
 */
export class DateHolidaysCalendar implements HolidayCalendar {
  readonly #years = new Map<string, ReadonlySet<string>>();

  isHoliday(country: string, date: string): boolean {
    const key = `${country}:${date.slice(0, 4)}`;
    let days = this.#years.get(key);
    if (!days) {
      const rules = new Holidays(country);
      const list = rules.getHolidays(Number(date.slice(0, 4))) || [];
      days = new Set(list.filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10)));
      this.#years.set(key, days);
    }
    return days.has(date);
  }
}
