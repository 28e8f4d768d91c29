import { SwitchboardError } from '../../core/errors.js';
import { parisTime } from '../../providers/smspartner/wire.js';

/**
 * A scheduled send as SMSPartner takes it, in Paris time: `scheduledDeliveryDate` (dd/mm/YYYY)
 * with `time` (the hour, 0-23) and `minute` (0 to 55 in steps of 5), the three together. Its
 * instant, in epoch milliseconds; undefined for a send now. Whether it lies ahead is accept's
 * to say, as for every send.
 */
export function scheduledAt(params: Readonly<Record<string, string>>): number | undefined {
  const { scheduledDeliveryDate: date, time, minute } = params;
  if (!date) {
    if (time || minute) throw new SwitchboardError('missing_parameter', 'The date is required with time and minute: give scheduledDeliveryDate (dd/mm/YYYY).', { param: 'scheduledDeliveryDate' });
    return undefined;
  }
  if (!time) throw new SwitchboardError('missing_parameter', 'The time is required with scheduledDeliveryDate: give the hour, 0 to 23.', { param: 'time' });
  if (!minute) throw new SwitchboardError('missing_parameter', 'The minute is required with scheduledDeliveryDate: 0 to 55, in steps of 5.', { param: 'minute' });
  if (!/^\d{1,2}$/.test(minute)) throw new SwitchboardError('invalid_parameter', 'The minute must be a number: 0 to 55, in steps of 5.', { param: 'minute' });
  if (Number(minute) > 55 || Number(minute) % 5 !== 0) throw new SwitchboardError('invalid_schedule', 'Minutes go from 0 to 55 in steps of 5.', { param: 'minute' });
  const hour = /^\d{1,2}$/.test(time) ? Number(time) : NaN;
  if (!(hour <= 23)) throw new SwitchboardError('invalid_schedule', 'The time is the hour of the send, 0 to 23.', { param: 'time' });
  const d = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(date);
  const day = d && new Date(Date.UTC(Number(d[3]), Number(d[2]) - 1, Number(d[1])));
  if (!d || !day || day.getUTCDate() !== Number(d[1]) || day.getUTCMonth() !== Number(d[2]) - 1) {
    throw new SwitchboardError('invalid_schedule', 'The date is invalid: scheduledDeliveryDate is dd/mm/YYYY.', { param: 'scheduledDeliveryDate' });
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return parisTime(`${d[3]}-${d[2]}-${d[1]} ${pad(hour)}:${pad(Number(minute))}:00`)!;
}
