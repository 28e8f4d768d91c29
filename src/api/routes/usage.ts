import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { UsageGroup, UsageLine, UsageTotals } from '../../app/usage.js';
import { formatAmount } from '../../core/accounts/money.js';
import { errorResponses, KEYED } from '../schemas.js';
import type { Services } from '../services.js';
import { csvField } from '../csv.js';

const dayText = { pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' };
const Totals = {
  messages: Type.Integer(),
  segments: Type.Integer(),
  delivered: Type.Integer(),
  failed: Type.Integer({ description: 'undelivered, failed, rejected or expired' }),
  delivery_rate: Type.Union([Type.Number(), Type.Null()], { description: 'delivered / (delivered + failed); null while none has finished' }),
  charged: Type.String({ description: 'what the account was charged, refunds taken off, in its currency' }),
  cost: Type.Optional(Type.String({ description: 'admin only: what the connections cost, at the route prices of switchboard.yaml' })),
  margin: Type.Optional(Type.String({ description: 'admin only: charged less cost' })),
};
const ConnectionLine = Type.Object({ connection: Type.String(), ...Totals });
const Line = Type.Object({
  day: Type.Optional(Type.String({ description: 'group=day: the UTC day' })),
  country: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'group=country: ISO 3166 alpha-2; null when not known' })),
  account: Type.Optional(Type.String({ description: 'group=account: the account whose own traffic the line is' })),
  ...Totals,
  connections: Type.Optional(Type.Array(ConnectionLine, { description: 'admin only: the same per connection' })),
});

function totals(t: UsageTotals, admin: boolean) {
  const finished = t.delivered + t.failed;
  return {
    messages: t.messages,
    segments: t.segments,
    delivered: t.delivered,
    failed: t.failed,
    delivery_rate: finished === 0 ? null : Math.round((t.delivered / finished) * 10_000) / 10_000,
    charged: formatAmount(t.charged),
    ...(admin && { cost: formatAmount(t.cost), margin: formatAmount(t.charged - t.cost) }),
  };
}

function lineView(l: UsageLine, group: UsageGroup | null, admin: boolean) {
  return {
    ...(group === 'day' && { day: l.key! }),
    ...(group === 'country' && { country: l.key }),
    ...(group === 'account' && { account: l.key! }),
    ...totals(l, admin),
    ...(admin && { connections: l.connections.map((c) => ({ connection: c.connection, ...totals(c, admin) })) }),
  };
}

/** Usage per day or destination country; admins also see each connection's cost beside what was charged. */
export const usageRoutes = ({ usage }: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/usage',
      {
        schema: {
          summary: 'Messages, segments, delivered, failed and amount charged per day or destination country. CSV with `Accept: text/csv` or `?format=csv`',
          querystring: Type.Object(
            {
              from: Type.Optional(Type.String({ ...dayText, description: 'first day, YYYY-MM-DD (UTC); default 29 days before `to`' })),
              to: Type.Optional(Type.String({ ...dayText, description: 'last day, included; default today (UTC)' })),
              group: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('country'), Type.Literal('account')], { description: 'day (default), country, or account: the account and each one under it, each its own traffic' })),
              account: Type.Optional(Type.String({ description: 'an account under the caller\'s: its usage instead' })),
              format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ account: Type.String(), currency: Type.String(), from: Type.String(), to: Type.String(), group: Type.String(), usage: Type.Array(Line), total: Line }),
            ...errorResponses(...KEYED, 400, 404),
          },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const admin = request.caller!.scopes.includes('admin');
        const report = await usage.report(request.caller!, { ...(q.account && { account: q.account }), ...(q.from && { from: q.from }), ...(q.to && { to: q.to }), ...(q.group && { group: q.group }) });
        const csv = q.format === 'csv' || (q.format === undefined && /\btext\/csv\b/.test(request.headers.accept ?? ''));
        if (!csv) {
          return {
            account: report.account.id,
            currency: report.account.currency,
            from: report.from,
            to: report.to,
            group: report.group,
            usage: report.lines.map((l) => lineView(l, report.group, admin)),
            total: lineView(report.total, null, admin),
          };
        }
        const columns = [report.group, 'messages', 'segments', 'delivered', 'failed', 'delivery_rate', 'charged', 'currency', ...(admin ? ['cost', 'margin'] : [])];
        const lines = report.lines.map((l) => {
          const t = totals(l, admin);
          return [l.key, t.messages, t.segments, t.delivered, t.failed, t.delivery_rate, t.charged, report.account.currency, ...(admin ? [t.cost!, t.margin!] : [])].map(csvField).join(',');
        });
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="usage-${report.account.id}-${report.from}-${report.to}.csv"`)
          .serializer((payload: string) => payload)
          .send([columns.join(','), ...lines, ''].join('\r\n') as never);
      },
    );
  };
