import { SwitchboardError } from '../core/errors.js';
import { classifySender } from '../core/validation/sender.js';
import type { OptOut } from './store.js';

/** At most this many lines in one import: a megabyte of body holds about 50,000. */
export const MAX_IMPORT_LINES = 100_000;
const NUMBER = /^\+[1-9][0-9]{6,14}$/;

/** A CSV cell: unquoted, and without the ' an export puts before a leading + (spreadsheets read it as a formula). */
const cell = (value: string | undefined) => (value ?? '').trim().replace(/^"(.*)"$/su, '$1').trim().replace(/^'(?=[=+@-])/u, '');

/**
 * A do-not-contact list as CSV: a number per line, optionally its sender (`*`, every sender of
 * the account, when left out), after an optional `number,sender` header; more columns (an
 * export's source and date) are ignored. A bad line refuses the whole import, naming it: nothing is added.
 */
export function parseDoNotContact(csv: string, now: number): OptOut[] {
  const lines = csv.split(/\r?\n/u);
  if (lines.length > MAX_IMPORT_LINES + 1) throw new SwitchboardError('invalid_parameter', `An import holds at most ${MAX_IMPORT_LINES} lines; split the list.`, { param: 'body' });
  const entries: OptOut[] = [];
  lines.forEach((line, i) => {
    const [first, second] = line.split(',');
    const number = cell(first);
    if (number === '' && line.trim() === '') return;
    if (i === 0 && number.toLowerCase() === 'number') return;
    const sender = cell(second) || '*';
    const bad = (why: string) => new SwitchboardError('invalid_parameter', `Line ${i + 1}: ${why}.`, { param: 'body' });
    if (!NUMBER.test(number)) throw bad(`${JSON.stringify(number)} is not an E.164 number (+447700900000)`);
    if (sender !== '*') {
      try {
        classifySender(sender, 'body');
      } catch {
        throw bad(`${JSON.stringify(sender)} is not a sender, nor "*"`);
      }
    }
    entries.push({ sender, number, createdAt: now, source: 'import' });
  });
  return entries;
}
