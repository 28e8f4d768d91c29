import { Type, type Static } from 'typebox';
import { CANONICAL_ERRORS, type CanonicalCode } from '../../core/catalogue/canonical.js';
import type { ProviderCodeTable } from '../../core/catalogue/types.js';
import { httpConnection, httpConnectionFields, webhookUrl } from '../http/settings.js';
import type { ProviderPlugin } from '../plugin.js';
import { GenericHttpConnector, OUTCOMES } from './connector.js';
import { unknownPlaceholders } from './template.js';

/** Defaults for this provider's connections. */
const DEFAULTS = { tps: 10, window: 10 };

const Canonical = Type.Union(CANONICAL_ERRORS.map((e) => Type.Literal(e.code)) as unknown as [ReturnType<typeof Type.Literal>]);
const Pattern = Type.String({ minLength: 1, description: 'a regular expression, matched against the answer body' });

const Settings = Type.Object(
  {
    ...httpConnectionFields('generic-http', DEFAULTS),
    request: Type.Object(
      {
        method: Type.Optional(Type.Union([Type.Literal('GET'), Type.Literal('POST'), Type.Literal('PUT')])),
        url: Type.String({ minLength: 1 }),
        headers: Type.Optional(Type.Record(Type.String(), Type.String())),
        body: Type.Optional(Type.String()),
      },
      { additionalProperties: false },
    ),
    response: Type.Optional(
      Type.Object(
        {
          success: Type.Optional(Pattern),
          permanent_failure: Type.Optional(Pattern),
          temporary_failure: Type.Optional(Pattern),
          message_id: Type.Optional(Type.Union([Type.Object({ json: Type.String() }, { additionalProperties: false }), Type.Object({ regex: Pattern }, { additionalProperties: false })])),
          permanent_error: Type.Optional(Canonical),
          temporary_error: Type.Optional(Canonical),
        },
        { additionalProperties: false },
      ),
    ),
    receipts: Type.Optional(
      Type.Object(
        {
          id: Type.String({ minLength: 1 }),
          status: Type.String({ minLength: 1 }),
          token: Type.Optional(Type.String({ minLength: 16, description: 'a secret the callback URL carries' })),
          header: Type.Optional(
            Type.Object({ name: Type.String({ minLength: 1 }), value: Type.String({ minLength: 16 }) }, { additionalProperties: false, description: 'a header every callback must carry, and its secret value' }),
          ),
          error: Type.Optional(
            Type.Object({ field: Type.String({ minLength: 1 }), codes: Type.Record(Type.String(), Canonical) }, { additionalProperties: false, description: "the provider's error code field, and the canonical error of each code" }),
          ),
          occurred_at: Type.Optional(Type.String({ minLength: 1, description: 'the event time field: ISO 8601 with its offset, or Unix seconds or milliseconds' })),
          inbound: Type.Optional(
            Type.Object({ from: Type.String({ minLength: 1 }), to: Type.String({ minLength: 1 }), text: Type.String({ minLength: 1 }) }, { additionalProperties: false, description: 'the fields of a message a subscriber sent' }),
          ),
          statuses: Type.Record(
            Type.String(),
            Type.Object(
              {
                state: Type.Union(['sent', 'delivered', 'read', 'undelivered', 'expired', 'rejected', 'failed', 'unknown'].map((s) => Type.Literal(s)) as unknown as [ReturnType<typeof Type.Literal>]),
                error: Type.Optional(Canonical),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    receipts_unauthenticated: Type.Optional(Type.Boolean({ description: 'take callbacks without a token or header (default false)' })),
  },
  { additionalProperties: false },
);

type GenericSettings = Static<typeof Settings> & {
  response?: { permanent_error?: CanonicalCode; temporary_error?: CanonicalCode };
  receipts?: {
    statuses: Record<string, { state: 'sent' | 'delivered' | 'read' | 'undelivered' | 'expired' | 'rejected' | 'failed' | 'unknown'; error?: CanonicalCode }>;
    error?: { field: string; codes: Record<string, CanonicalCode> };
  };
};

function regex(source: string | undefined, setting: string): RegExp | undefined {
  if (source === undefined) return undefined;
  try {
    return new RegExp(source);
  } catch (error) {
    throw new Error(`${setting} is not a valid regular expression: ${(error as Error).message}`);
  }
}

/** A provider added by configuration alone: a request template, Kannel-style answer rules, authenticated callbacks read by field. */
export const genericHttpPlugin: ProviderPlugin = {
  provider: 'generic-http',
  settings: Settings,
  create(raw, { clock, publicUrl }) {
    const s = raw as GenericSettings;
    const unknown = unknownPlaceholders([s.request.url, s.request.body ?? '', ...Object.values(s.request.headers ?? {})].join('\n'));
    if (unknown.length > 0) throw new Error(`unknown template values: ${unknown.join(', ')}`);
    const r = s.receipts;
    if (r && r.token === undefined && r.header === undefined && !s.receipts_unauthenticated) {
      throw new Error('receipts need a token or a header to authenticate callbacks (or receipts_unauthenticated: true)');
    }
    const id = s.response?.message_id;
    const callback = webhookUrl(publicUrl, 'generic-http', s.name);
    return new GenericHttpConnector(
      {
        ...httpConnection(s, DEFAULTS),
        request: { method: s.request.method ?? 'POST', url: s.request.url, headers: s.request.headers ?? {}, body: s.request.body },
        response: {
          success: regex(s.response?.success, 'response.success'),
          permanentFailure: regex(s.response?.permanent_failure, 'response.permanent_failure'),
          temporaryFailure: regex(s.response?.temporary_failure, 'response.temporary_failure'),
          messageId: id === undefined ? undefined : 'json' in id ? { json: id.json } : { regex: regex(id.regex, 'response.message_id.regex')! },
        },
        receipts: r && { id: r.id, status: r.status, error: r.error?.field, occurredAt: r.occurred_at, token: r.token, header: r.header, inbound: r.inbound },
        callbackUrl: r?.token ? `${callback}?token=${encodeURIComponent(r.token)}` : callback,
      },
      clock,
    );
  },
  tables(raw): ProviderCodeTable[] {
    const s = raw as GenericSettings;
    const tables: ProviderCodeTable[] = [
      {
        provider: 'generic-http',
        context: s.name,
        title: `Answers of connection ${s.name}`,
        rows: [
          { code: OUTCOMES.permanent, message: 'The answer matched response.permanent_failure', canonical: s.response?.permanent_error ?? 'carrier_rejected', state: 'rejected' },
          { code: OUTCOMES.temporary, message: 'The answer matched response.temporary_failure', canonical: s.response?.temporary_error ?? 'provider_error' },
          { code: OUTCOMES.unrecognised, message: 'The answer matched no rule', canonical: 'unknown_error' },
        ],
      },
    ];
    if (s.receipts) {
      tables.push({
        provider: 'generic-http',
        context: `${s.name}-receipts`,
        title: `Receipt statuses of connection ${s.name}`,
        rows: Object.entries(s.receipts.statuses).map(([code, { state, error }]) => ({
          code,
          message: `Receipt status ${code}`,
          canonical: error ?? (state === 'sent' || state === 'delivered' || state === 'read' ? null : state === 'unknown' ? 'delivery_unknown' : 'delivery_failed'),
          state,
        })),
      });
    }
    if (s.receipts?.error) {
      tables.push({
        provider: 'generic-http',
        context: `${s.name}-receipt-errors`,
        title: `Receipt error codes of connection ${s.name}`,
        rows: Object.entries(s.receipts.error.codes).map(([code, canonical]) => ({ code, message: `Receipt error ${code}`, canonical })),
      });
    }
    return tables;
  },
};
