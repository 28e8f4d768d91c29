import type { SendRequest } from '../../app/accept.js';
import { SwitchboardError } from '../../core/errors.js';
import { MIN_VALIDITY_SECONDS } from '../../core/message.js';
import { CALLBACK_EVENTS } from './codes.js';

/** Twilio's bounds of `ValidityPeriod`, in seconds. */
const MAX_VALIDITY_PERIOD = 36_000;
/** Parameters Twilio documents that Switchboard cannot honour: refused rather than dropped. */
const UNSUPPORTED = ['MediaUrl', 'ContentSid', 'PersistentAction'] as const;

function required(params: Readonly<Record<string, string>>, name: string, why: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw new SwitchboardError('missing_parameter', why, { param: name });
  return value;
}

/**
 * A Messages API request as a send request of the native API: `To`, `From`, `Body`,
 * `StatusCallback` (every status after queued), `ValidityPeriod` (seconds, 1 to 36,000; under a
 * minute is a minute) and `SendAt` with `ScheduleType=fixed`.
 */
export function sendRequest(params: Readonly<Record<string, string>>): SendRequest {
  const to = required(params, 'To', "A 'To' phone number is required.");
  const unsupported = UNSUPPORTED.find((name) => params[name] !== undefined);
  if (unsupported) throw new SwitchboardError('invalid_parameter', `${unsupported} is not supported here: only text messages are sent.`, { param: unsupported });
  // Switchboard has no Messaging Services to pick a sender: a MessagingServiceSid goes with a From.
  const from = required(params, 'From', "A 'From' phone number is required (Switchboard chooses no sender for a MessagingServiceSid).");
  const body = required(params, 'Body', 'Message body is required.');
  const callback = params.StatusCallback;
  return {
    from,
    to,
    text: body,
    ...(params.ValidityPeriod !== undefined && { validity: validity(params.ValidityPeriod) }),
    ...(schedule(params) ?? {}),
    ...(callback !== undefined && callback !== '' && { callback_url: callback, callback_events: CALLBACK_EVENTS }),
  };
}

function validity(text: string): number {
  const seconds = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(seconds >= 1 && seconds <= MAX_VALIDITY_PERIOD)) {
    throw new SwitchboardError('invalid_parameter', `ValidityPeriod must be a whole number of seconds from 1 to ${MAX_VALIDITY_PERIOD}.`, { param: 'ValidityPeriod' });
  }
  return Math.max(MIN_VALIDITY_SECONDS, seconds);
}

function schedule(params: Readonly<Record<string, string>>): { send_at: string } | undefined {
  const { SendAt: sendAt, ScheduleType: type } = params;
  if (sendAt === undefined && type === undefined) return undefined;
  if (type !== 'fixed') throw new SwitchboardError('invalid_parameter', 'ScheduleType must be fixed to schedule a message.', { param: 'ScheduleType' });
  if (sendAt === undefined) throw new SwitchboardError('missing_parameter', 'SendAt is required with ScheduleType.', { param: 'SendAt' });
  return { send_at: sendAt };
}
