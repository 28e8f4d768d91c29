import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LEDGER_TYPES, type LedgerEntry, type LedgerFilter, type LedgerType } from '../../app/store.js';
import { formatAmount } from '../../core/accounts/money.js';
import { SwitchboardError } from '../../core/errors.js';
import { parseIsoDateTime } from '../../core/validation/datetime.js';
import { csvField } from '../csv.js';
import { errorResponses, KEYED } from '../schemas.js';
import type { Services } from '../services.js';


export const LedgerEntryView = Type.Object({
  id: Type.String(),
  at: Type.String(),
  type: Type.Unsafe<LedgerType>({ type: 'string', enum: [...LEDGER_TYPES] }),
  amount: Type.String({ description: 'signed: credits positive, debits negative' }),
  balance_after: Type.String(),
  message_id: Type.Union([Type.String(), Type.Null()]),
  messages: Type.Union([Type.Integer(), Type.Null()]),
  counterparty: Type.Union([Type.String(), Type.Null()]),
  description: Type.Union([Type.String(), Type.Null()]),
});

export const ledgerView = (e: LedgerEntry) => ({
  id: e.id,
  at: new Date(e.at).toISOString(),
  type: e.type,
  amount: formatAmount(e.amount),
  balance_after: formatAmount(e.balanceAfter),
  message_id: e.messageId,
  messages: e.messages,
  counterparty: e.counterparty,
  description: e.description,
});

const CSV_COLUMNS = ['id', 'at', 'type', 'amount', 'currency', 'balance_after', 'message_id', 'messages', 'counterparty', 'description'] as const;

function time(value: string | undefined, param: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseIsoDateTime(value, { dateOnly: true });
  if (ms === undefined) throw new SwitchboardError('invalid_parameter', `${param} must be an ISO-8601 date-time with a time zone or a date (UTC).`, { param });
  return ms;
}

/** The balance and the ledger of the caller's account, or of one under it (`?account=`). */
export const ledgerRoutes = ({ accounts }: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/balance',
      {
        schema: {
          summary: 'The account\'s balance (the sum of its ledger), what nodes hold of it for sends under way, and what it may still spend',
          querystring: Type.Object({ account: Type.Optional(Type.String()) }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              account: Type.String(),
              currency: Type.String(),
              balance: Type.String({ description: 'the sum of the ledger entries' }),
              credit_limit: Type.String(),
              pending: Type.String({ description: 'charged to messages accepted and not yet entered in the ledger (within seconds)' }),
              reserved: Type.String({ description: 'set aside by nodes for the sends they accept, not charged yet: still available' }),
              available: Type.String({ description: 'what it may still spend: balance - pending + credit_limit' }),
            }),
            ...errorResponses(...KEYED, 400, 404),
          },
        },
      },
      async (request) => {
        const a = await accounts.balance(request.caller!, request.query.account);
        return {
          account: a.id,
          currency: a.currency,
          balance: formatAmount(a.balance),
          credit_limit: formatAmount(a.creditLimit),
          pending: formatAmount(a.pending),
          reserved: formatAmount(a.reserved),
          available: formatAmount(a.balance - a.pending + a.creditLimit),
        };
      },
    );

    app.get(
      '/v1/ledger',
      {
        schema: {
          summary: 'The ledger, newest first: top-ups, transfers, charges, refunds. CSV with `Accept: text/csv` or `?format=csv`',
          querystring: Type.Object(
            {
              account: Type.Optional(Type.String()),
              type: Type.Optional(Type.Unsafe<LedgerType>({ type: 'string', enum: [...LEDGER_TYPES] })),
              since: Type.Optional(Type.String({ description: 'ISO-8601: at or after' })),
              until: Type.Optional(Type.String({ description: 'ISO-8601: before' })),
              limit: Type.Optional(Type.String({ pattern: '^[0-9]+$', description: '1 to 1000 (CSV: 100000), default 100' })),
              cursor: Type.Optional(Type.String({ pattern: '^[0-9]+$', description: 'next_cursor of the previous page' })),
              format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ account: Type.String(), currency: Type.String(), entries: Type.Array(LedgerEntryView), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses(...KEYED, 400, 404) },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const csv = q.format === 'csv' || (q.format === undefined && /\btext\/csv\b/.test(request.headers.accept ?? ''));
        const limit = q.limit === undefined ? 100 : Number(q.limit);
        const max = csv ? 100_000 : 1000;
        if (limit < 1 || limit > max) throw new SwitchboardError('invalid_parameter', `limit must be from 1 to ${max}.`, { param: 'limit' });
        const since = time(q.since, 'since');
        const until = time(q.until, 'until');
        const filter: LedgerFilter = {
          ...(q.type && { type: q.type }),
          ...(since !== undefined && { since }),
          ...(until !== undefined && { until }),
          ...(q.cursor !== undefined && { before: Number(q.cursor) }),
        };
        const page = await accounts.ledger(request.caller!, q.account, filter, limit);
        const next = page.next === null ? null : String(page.next);
        if (!csv) return { account: page.account.id, currency: page.account.currency, entries: page.entries.map(ledgerView), next_cursor: next };
        const lines = page.entries.map((e) => {
          const v = ledgerView(e);
          return CSV_COLUMNS.map((c) => csvField(c === 'currency' ? page.account.currency : v[c])).join(',');
        });
        if (next !== null) reply.header('x-next-cursor', next);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="ledger-${page.account.id}.csv"`)
          .serializer((payload: string) => payload)
          .send([CSV_COLUMNS.join(','), ...lines, ''].join('\r\n') as never);
      },
    );
  };
