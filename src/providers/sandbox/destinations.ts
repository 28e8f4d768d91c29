import { Type } from 'typebox';
import type { Random } from '../../core/quality/random.js';
import { behaviourFor, MAGIC_NUMBERS } from './numbers.js';

/**
 * How a simulated carrier treats the numbers under one E.164 prefix: a carrier route that delivers
 * some of them, slowly, not at all, or that fakes its receipts (as grey routes do). The magic
 * numbers keep their own behaviour.
 */
export interface DestinationProfile {
  /** Share delivered (0-1); the others end in `error`. Default 1. */
  readonly deliveryRate?: number;
  /** Delay before the receipt; default the connection's receipt delay. */
  readonly latencyMs?: number;
  /** Every message reported delivered, whatever happened, after `latencyMs` (default 0). */
  readonly fakeReceipts?: boolean;
  /** False: no receipt ever comes. Default true. */
  readonly receipts?: boolean;
  /** The receipt code of an undelivered one. Default UNKNOWN_SUBSCRIBER. */
  readonly error?: string;
}

/** Profiles by E.164 prefix ("+33", "+4477"); the longest prefix that matches applies. */
export type DestinationProfiles = Readonly<Record<string, DestinationProfile>>;

/** The settings of profiles in a connection's configuration, as snake_case keys under `destinations`. */
export const DestinationsSetting = Type.Optional(
  Type.Record(
    Type.String({ pattern: '^\\+[0-9]{1,15}$' }),
    Type.Object(
      {
        delivery_rate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
        latency_ms: Type.Optional(Type.Integer({ minimum: 0 })),
        fake_receipts: Type.Optional(Type.Boolean()),
        receipts: Type.Optional(Type.Boolean()),
        error: Type.Optional(Type.String({ minLength: 1 })),
      },
      { additionalProperties: false },
    ),
    { description: 'per E.164 prefix: delivery_rate, latency_ms, fake_receipts, receipts, error (a simulated carrier route)' },
  ),
);

type DestinationsInput = Readonly<Record<string, { delivery_rate?: number; latency_ms?: number; fake_receipts?: boolean; receipts?: boolean; error?: string }>>;

export function profilesOf(input: DestinationsInput | undefined): DestinationProfiles {
  return Object.fromEntries(
    Object.entries(input ?? {}).map(([prefix, p]) => [
      prefix,
      {
        ...(p.delivery_rate !== undefined && { deliveryRate: p.delivery_rate }),
        ...(p.latency_ms !== undefined && { latencyMs: p.latency_ms }),
        ...(p.fake_receipts !== undefined && { fakeReceipts: p.fake_receipts }),
        ...(p.receipts !== undefined && { receipts: p.receipts }),
        ...(p.error !== undefined && { error: p.error }),
      },
    ]),
  );
}

/** The receipt a number gets (null: none) and after how long, by its magic number or its destination's profile. */
export function receiptFor(to: string, profiles: DestinationProfiles, random: Random, delayMs: number): { receipt: string | null; delayMs: number } {
  const prefix = MAGIC_NUMBERS[to] ? undefined : Object.keys(profiles).filter((p) => to.startsWith(p)).sort((a, b) => b.length - a.length)[0];
  const profile = prefix === undefined ? undefined : profiles[prefix]!;
  if (!profile) return { receipt: behaviourFor(to).receipt, delayMs };
  if (profile.fakeReceipts) return { receipt: 'DELIVERED', delayMs: profile.latencyMs ?? 0 };
  if (profile.receipts === false) return { receipt: null, delayMs };
  const delivered = random() < (profile.deliveryRate ?? 1);
  return { receipt: delivered ? 'DELIVERED' : (profile.error ?? 'UNKNOWN_SUBSCRIBER'), delayMs: profile.latencyMs ?? delayMs };
}
