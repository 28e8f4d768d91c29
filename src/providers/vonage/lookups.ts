import type { LookupOutcome, NumberLookups } from '../../app/connector.js';
import { parseJsonBody } from '../http/params.js';
import { httpRequest, statusCode } from '../http/transport.js';

/** The fields of a Number Insight Advanced answer that are read (the whole answer is kept). */
interface Advanced {
  readonly status?: number;
  readonly status_message?: string;
  readonly current_carrier?: { readonly network_code?: string };
  /** `ported`, `not_ported`, `assumed_ported`, `assumed_not_ported` or `unknown`. */
  readonly ported?: string;
  readonly reachable?: string;
  readonly roaming?: { readonly status?: string } | string;
}

/** Statuses with an answer about the number: success, and 43-45 (the live lookup was not returned; what is known is). */
const ANSWERED = new Set([0, 43, 44, 45]);

/**
 * Vonage Number Insight Advanced, synchronous (`GET /ni/advanced/json?number=447700900000` on
 * api.nexmo.com, with the account's key and secret as Basic credentials), one number per request.
 */
export function vonageLookups(s: { readonly apiKey: string; readonly apiSecret: string; readonly insightUrl: string; readonly timeoutMs: number }): NumberLookups {
  const authorization = `Basic ${Buffer.from(`${s.apiKey}:${s.apiSecret}`).toString('base64')}`;
  return {
    batch: 1,
    async lookup(numbers) {
      const number = numbers[0]!;
      const url = `${s.insightUrl}/ni/advanced/json?${new URLSearchParams({ number: number.slice(1) })}`;
      const outcome = await httpRequest(url, { method: 'GET', headers: { authorization, accept: 'application/json' } }, s.timeoutMs);
      if (outcome.kind === 'unknown') return outcome;
      if (outcome.kind === 'not_sent') return { kind: 'refused', code: outcome.code };
      return readInsightAnswer(number, outcome.response.status, outcome.response.text);
    },
  };
}

/** The answer for `number`: its `reachable` read through the catalogue, with the current carrier's network. */
export function readInsightAnswer(number: string, httpStatus: number, text: string): LookupOutcome {
  const body = parseJsonBody(text) as Advanced | undefined;
  if (typeof body?.status !== 'number') {
    if (httpStatus >= 200 && httpStatus < 300) return { kind: 'unknown', reason: `HTTP ${httpStatus} without a status` };
    return { kind: 'refused', code: statusCode(httpStatus), raw: text.slice(0, 2000) };
  }
  if (!ANSWERED.has(body.status)) {
    const message = body.status_message;
    return { kind: 'refused', code: { provider: 'vonage', context: 'number-insight-status', code: String(body.status), ...(message !== undefined && { message }) }, raw: body };
  }
  const network = body.current_carrier?.network_code;
  const roaming = typeof body.roaming === 'string' ? body.roaming : body.roaming?.status;
  const ported = body.ported === 'ported' || body.ported === 'assumed_ported' ? true : body.ported === 'not_ported' || body.ported === 'assumed_not_ported' ? false : undefined;
  return {
    kind: 'answered',
    reports: [
      {
        number,
        status: { provider: 'vonage', context: 'number-insight-reachable', code: body.reachable ?? 'unknown' },
        ...(typeof network === 'string' && /^\d{5,6}$/.test(network) && { network }),
        ...(ported !== undefined && { ported }),
        ...(roaming === 'roaming' || roaming === 'not_roaming' ? { roaming: roaming === 'roaming' } : {}),
        raw: body,
      },
    ],
  };
}
