import type { LookupOutcome, NumberLookups } from '../../app/connector.js';
import type { LiveReport } from '../../core/lookups/live.js';
import { parseJsonBody } from '../http/params.js';
import { httpRequest, statusCode } from '../http/transport.js';
import { coded, KNOWN, requestError, type Coded, type RequestError } from './wire.js';

/** One entry of Number Lookup's `results[]` (the fields read; the whole entry is kept). */
interface NumberContext {
  readonly to?: string;
  /** The MCC-MNC of the network the number is on now. */
  readonly mccMnc?: string;
  readonly ported?: boolean;
  readonly roaming?: boolean;
  readonly status?: Coded;
  readonly error?: Coded;
}

/**
 * Infobip Number Lookup, synchronous (`POST /number/1/query`, `{"to": ["41793026727", ...]}`, at
 * most 1,000 numbers), authorized as the SMS API is (`Authorization: App <key>`). Each result
 * carries the HLR's `status` and `error` in Infobip's general status and error codes, read
 * through the same tables as delivery reports.
 */
export function infobipLookups(s: { readonly apiKey: string; readonly baseUrl: string; readonly timeoutMs: number }): NumberLookups {
  return {
    batch: 1000,
    async lookup(numbers) {
      const outcome = await httpRequest(
        `${s.baseUrl}/number/1/query`,
        {
          method: 'POST',
          headers: { authorization: `App ${s.apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ to: numbers.map((n) => n.slice(1)) }),
        },
        s.timeoutMs,
      );
      if (outcome.kind === 'unknown') return outcome;
      if (outcome.kind === 'not_sent') return { kind: 'refused', code: outcome.code };
      return readLookupAnswer(outcome.response.status, outcome.response.text);
    },
  };
}

/** The answer: `results[]`, or a request error read by its code where Infobip's table has it, else by the HTTP status. */
export function readLookupAnswer(httpStatus: number, text: string): LookupOutcome {
  const body = parseJsonBody(text) as ({ results?: NumberContext[] } & RequestError) | undefined;
  if (httpStatus >= 200 && httpStatus < 300 && Array.isArray(body?.results)) return { kind: 'answered', reports: body.results.flatMap(report) };
  const error = requestError(body);
  if (error && KNOWN.request.has(error.code)) return { kind: 'refused', code: error, raw: body };
  if (httpStatus >= 200 && httpStatus < 300) return { kind: 'unknown', reason: `HTTP ${httpStatus} without results[]` };
  return { kind: 'refused', code: { ...statusCode(httpStatus), ...(error?.message !== undefined && { message: error.message }) }, raw: body ?? text.slice(0, 2000) };
}

function report(r: NumberContext): LiveReport[] {
  if (typeof r.to !== 'string' || !/^\d+$/.test(r.to)) return [];
  const status = coded('status', r.status);
  const error = coded('error', r.error);
  return [
    {
      number: `+${r.to}`,
      ...(status && { status }),
      ...(error && { error }),
      ...(typeof r.mccMnc === 'string' && /^\d{5,6}$/.test(r.mccMnc) && { network: r.mccMnc }),
      ...(typeof r.ported === 'boolean' && { ported: r.ported }),
      ...(typeof r.roaming === 'boolean' && { roaming: r.roaming }),
      raw: r,
    },
  ];
}
