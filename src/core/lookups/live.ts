import type { Catalogue } from '../catalogue/catalogue.js';
import { interpret, type ReportedCode } from '../catalogue/interpret.js';
import type { MessageError } from '../message.js';

/**
 * What a live lookup says of the subscriber (`pending` until a provider that answers later has):
 * - `reachable`: the network knows the subscriber and would deliver now;
 * - `absent`: it knows the number but cannot reach it now (phone off, busy, barred for a while);
 * - `unreachable`: a permanent error (the number is not in service, not provisioned, blocked);
 * - `unknown`: the lookup could not tell.
 */
export type Reachability = 'reachable' | 'absent' | 'unreachable' | 'unknown' | 'pending';

/** A provider's live answer for one number, in its own codes: the catalogue reads them. */
export interface LiveReport {
  /** E.164. */
  readonly number: string;
  /** What the network said of the subscriber, as the provider's status code; absent when it said nothing. */
  readonly status?: ReportedCode;
  /** The provider's error code beside it, where it gave one. */
  readonly error?: ReportedCode;
  /** The MCC-MNC of the network the number is on now (its ported network for a ported number). */
  readonly network?: string;
  readonly ported?: boolean;
  readonly roaming?: boolean;
  /** The provider's answer for this number, as received. */
  readonly raw: unknown;
}

/** A live answer as Switchboard reads it. */
export interface LiveReading {
  readonly reachability: Reachability;
  readonly network: string | null;
  readonly ported: boolean | null;
  readonly roaming: boolean | null;
  /** The canonical error the answer means (with the provider's code kept), or null. */
  readonly error: MessageError | null;
}

/**
 * Reads a live answer through the catalogue: the provider's own permanence wins (SMSPartner's and
 * Infobip's HLR error groups carry a Permanent flag), so a permanent error is `unreachable`.
 */
export function readLive(catalogue: Catalogue, report: LiveReport): LiveReading {
  const said = report.status ?? report.error;
  const { state, error } = said ? interpret(catalogue, said, report.status && report.error) : { state: undefined, error: null };
  // A status saying nobody knows is unknown, whatever error it carries (delivery_unknown). Without
  // a status, an HLR error code saying there is no error (NO_ERROR) means the subscriber is there.
  const reached = report.status ? state === 'delivered' : report.error !== undefined;
  const reachability: Reachability = state === 'unknown' ? 'unknown' : error ? (error.permanent ? 'unreachable' : 'absent') : reached ? 'reachable' : 'unknown';
  return { reachability, network: report.network ?? null, ported: report.ported ?? null, roaming: report.roaming ?? null, error };
}

/** A number a live lookup found not to exist: the network does not know the subscriber, permanently. */
export function foundDead(reading: Pick<LiveReading, 'error'>): boolean {
  return reading.error?.code === 'unknown_subscriber' && reading.error.permanent;
}
