import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Policies } from '../../core/compliance/policy.js';
import { PoliciesSchema, policiesToJson, toPolicies, type PoliciesInput } from '../../config/compliance.js';
import { Type } from 'typebox';
import type { Account } from '../../app/store.js';
import { formatAmount, parseAmount } from '../../core/accounts/money.js';
import type { PriceEntry, PriceList } from '../../core/accounts/prices.js';
import { SwitchboardError } from '../../core/errors.js';
import { parseAllowlist } from '../../app/ip-allowlist.js';
import { PROTOCOLS, type Protocol } from '../../core/access/protocols.js';
import { BODY, errorResponses, IdParams, KEYED } from '../schemas.js';
import type { Services } from '../services.js';
import { CreatedKeyView, KeyView, keyView, NewKeyBody } from './keys.js';
import { LedgerEntryView, ledgerView } from './ledger.js';

const Amount = Type.String({ pattern: '^-?[0-9]+(\\.[0-9]+)?$', description: 'a decimal amount in the account currency, as a string: "0.035"' });
const AMOUNT_PATTERN = '^[0-9]+(\\.[0-9]+)?$';
const PositiveAmount = Type.String({ pattern: AMOUNT_PATTERN, description: 'a decimal amount in the account currency, as a string: "10.00"' });

const PriceEntrySchema = Type.Object(
  {
    country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166 alpha-2' })),
    prefix: Type.Optional(Type.String({ pattern: '^\\+[0-9]{1,14}$', description: 'an E.164 prefix' })),
    network: Type.Optional(Type.String({ pattern: '^[0-9]{5,6}$', description: 'MCC-MNC, with its number ranges' })),
    ranges: Type.Optional(Type.Array(Type.String({ pattern: '^\\+[0-9]{1,14}$' }), { minItems: 1, maxItems: 1000 })),
    price: PositiveAmount,
  },
  { additionalProperties: false },
);
const PricesSchema = Type.Object(
  {
    default: Type.Optional(PositiveAmount),
    lookup: Type.Optional(Type.String({ pattern: AMOUNT_PATTERN, description: 'the price of one live number lookup; none: the account may not make live lookups' })),
    entries: Type.Array(PriceEntrySchema, { maxItems: 10_000, description: 'per-segment prices; the most specific match wins' }),
  },
  { additionalProperties: false, description: 'the price list; null: the account is not charged' },
);
const AllowedSenders = Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 1000, uniqueItems: true, description: 'the senders (from) the account may use; null: any' });
const IpAllowlist = Type.Array(Type.String({ minLength: 1, maxLength: 49 }), {
  maxItems: 1000,
  description: 'CIDRs (IPv4 or IPv6; a bare address is itself alone) its keys may be used from, besides those of the accounts above it; null: any',
});
const Trial = Type.Boolean({ description: 'in trial, the account (and every account under it) sends only to its verified numbers' });
const ApiRate = Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000, description: 'API requests per second (a burst of twice that); null: the operator\'s default' });
const limitsInput = {
  trial: Type.Optional(Trial),
  ip_allowlist: Type.Optional(Type.Union([IpAllowlist, Type.Null()])),
  api_rate: Type.Optional(Type.Union([ApiRate, Type.Null()])),
};

/** The limits of an account as given on create or change. */
function limits(b: { trial?: boolean; ip_allowlist?: string[] | null; api_rate?: number | null }) {
  return {
    ...(b.trial !== undefined && { trial: b.trial }),
    ...(b.ip_allowlist !== undefined && { ipAllowlist: b.ip_allowlist && parseAllowlist(b.ip_allowlist, 'ip_allowlist') }),
    ...(b.api_rate !== undefined && { apiRate: b.api_rate }),
  };
}
const Protocols = Type.Array(Type.Unsafe<Protocol>({ type: 'string', enum: [...PROTOCOLS] }), {
  uniqueItems: true,
  description: 'the ways the account may send: api (this API), vonage, twilio, smspartner (compatible APIs), smpp; null: every one',
});
type PricesInput = { default?: string; lookup?: string; entries: { country?: string; prefix?: string; network?: string; ranges?: string[]; price: string }[] };

const RefuseDeadNumbers = Type.Boolean({ description: 'accept refuses a recipient a fresh live lookup found dead (unknown_subscriber, permanent)' });
const AccountView = Type.Object({
  id: Type.String(),
  parent_id: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled'), Type.Literal('blocked')]),
  currency: Type.String(),
  balance: Amount,
  credit_limit: Amount,
  prices: Type.Union([Type.Unknown(), Type.Null()]),
  allowed_senders: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'the senders (from) the account may use; null: any' }),
  trial: Trial,
  ip_allowlist: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'CIDRs its keys may be used from; null: any' }),
  api_rate: Type.Union([Type.Number(), Type.Null()], { description: 'API requests per second; null: the operator\'s default' }),
  protocols: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'the ways the account may send; null: every one' }),
  daily_quota: Type.Union([Type.Integer(), Type.Null()], { description: 'messages it may send per UTC day; null: no quota' }),
  low_balance_threshold: Type.Union([Amount, Type.Null()], { description: 'under this (balance plus credit limit) it gets an account.low_balance event and a notice; null: never' }),
  refuse_dead_numbers: RefuseDeadNumbers,
  compliance: Type.Union([PoliciesSchema, Type.Null()], { description: 'compliance policies per message type; null: the operator\'s' }),
  created_at: Type.String(),
});
const DailyQuota = Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'messages per UTC day; null: no quota' });

/** Compliance policies as the API takes them; a window that ends before it starts names its field. */
function policies(input: PoliciesInput): Policies {
  return toPolicies(input, (path, message) => {
    const param = `compliance.${path.join('.')}`;
    throw new SwitchboardError('invalid_parameter', `${param}: ${message}.`, { param });
  });
}

/** A price list as the API takes it: each entry matches on one thing, amounts exact. */
function priceList(input: PricesInput | null | undefined): PriceList | null | undefined {
  if (input === null || input === undefined) return input;
  const entries = input.entries.map((e, i): PriceEntry => {
    const param = `prices.entries[${i}]`;
    const keys = [e.country, e.prefix, e.network].filter((k) => k !== undefined).length;
    if (keys !== 1) throw new SwitchboardError('invalid_parameter', `${param} must match on exactly one of country, prefix or network.`, { param });
    if ((e.network !== undefined) !== (e.ranges !== undefined)) throw new SwitchboardError('invalid_parameter', `${param}: a network entry gives its number ranges, and only it does.`, { param });
    return { ...(e.country && { country: e.country }), ...(e.prefix && { prefix: e.prefix }), ...(e.network && { network: e.network, ranges: e.ranges! }), price: parseAmount(e.price, `${param}.price`) };
  });
  return {
    entries,
    ...(input.default !== undefined && { default: parseAmount(input.default, 'prices.default') }),
    ...(input.lookup !== undefined && { lookup: parseAmount(input.lookup, 'prices.lookup') }),
  };
}

function pricesView(list: PriceList | null) {
  if (!list) return null;
  return {
    ...(list.default !== undefined && { default: formatAmount(list.default) }),
    ...(list.lookup !== undefined && { lookup: formatAmount(list.lookup) }),
    entries: list.entries.map((e) => ({ ...e, ...(e.ranges && { ranges: [...e.ranges] }), price: formatAmount(e.price) })),
  };
}

export const accountView = (a: Account) => ({
  id: a.id,
  parent_id: a.parentId,
  name: a.name,
  status: a.status,
  currency: a.currency,
  balance: formatAmount(a.balance),
  credit_limit: formatAmount(a.creditLimit),
  prices: pricesView(a.prices),
  allowed_senders: a.allowedSenders && [...a.allowedSenders],
  trial: a.trial,
  ip_allowlist: a.ipAllowlist && [...a.ipAllowlist],
  api_rate: a.apiRate,
  protocols: a.protocols && [...a.protocols],
  daily_quota: a.dailyQuota,
  low_balance_threshold: a.lowBalanceThreshold === null ? null : formatAmount(a.lowBalanceThreshold),
  refuse_dead_numbers: a.refuseDeadNumbers,
  compliance: a.compliance && policiesToJson(a.compliance),
  created_at: new Date(a.createdAt).toISOString(),
});

/** Sub-accounts: the operator's (admin) or a parent's (the `accounts` scope), each acting on the accounts under its own. */
export const accountRoutes = ({ accounts }: Services): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/accounts',
      {
        schema: {
          summary: 'Create a sub-account, under the caller\'s account or one under it',
          body: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 200 }),
              currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217; default: the parent\'s' })),
              parent: Type.Optional(Type.String({ description: 'default: the caller\'s account' })),
              prices: Type.Optional(Type.Union([PricesSchema, Type.Null()])),
              allowed_senders: Type.Optional(Type.Union([AllowedSenders, Type.Null()])),
              ...limitsInput,
              protocols: Type.Optional(Type.Union([Protocols, Type.Null()])),
            },
            { additionalProperties: false },
          ),
          response: { 201: AccountView, ...errorResponses(...KEYED, ...BODY, 404) },
        },
      },
      async (request, reply) => {
        const { name, currency, parent, prices, allowed_senders, protocols } = request.body;
        const created = await accounts.create(request.caller!, {
          name,
          ...(currency && { currency }),
          ...(parent && { parent }),
          prices: priceList(prices as PricesInput | null | undefined) ?? null,
          allowedSenders: allowed_senders ?? null,
          ...limits(request.body),
          protocols: protocols ?? null,
        });
        return reply.code(201).send(accountView(created));
      },
    );

    app.get(
      '/v1/accounts',
      {
        schema: {
          summary: 'The sub-accounts directly under the caller\'s account (or under `parent`)',
          querystring: Type.Object({ parent: Type.Optional(Type.String()) }, { additionalProperties: false }),
          response: { 200: Type.Object({ accounts: Type.Array(AccountView) }), ...errorResponses(...KEYED, 400, 404) },
        },
      },
      async (request) => ({ accounts: (await accounts.list(request.caller!, request.query.parent)).map(accountView) }),
    );

    app.get('/v1/accounts/:id', { schema: { summary: 'An account: status, balance, prices', params: IdParams, response: { 200: AccountView, ...errorResponses(...KEYED, 400, 404) } } }, async (request) =>
      accountView(await accounts.get(request.caller!, request.params.id)),
    );

    app.patch(
      '/v1/accounts/:id',
      {
        schema: {
          summary: 'Change a sub-account: name, status (active, disabled, blocked), price list, allowed senders, trial, IP allowlist, API rate, protocols, daily quota, low-balance threshold, refusal of numbers found dead, compliance policies, credit limit (admin)',
          params: IdParams,
          body: Type.Object(
            {
              name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
              status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled'), Type.Literal('blocked')])),
              credit_limit: Type.Optional(PositiveAmount),
              prices: Type.Optional(Type.Union([PricesSchema, Type.Null()])),
              allowed_senders: Type.Optional(Type.Union([AllowedSenders, Type.Null()])),
              ...limitsInput,
              protocols: Type.Optional(Type.Union([Protocols, Type.Null()])),
              daily_quota: Type.Optional(Type.Union([DailyQuota, Type.Null()])),
              low_balance_threshold: Type.Optional(Type.Union([PositiveAmount, Type.Null()])),
              refuse_dead_numbers: Type.Optional(RefuseDeadNumbers),
              compliance: Type.Optional(Type.Union([PoliciesSchema, Type.Null()])),
            },
            { additionalProperties: false },
          ),
          response: { 200: AccountView, ...errorResponses(...KEYED, ...BODY, 404) },
        },
      },
      async (request) => {
        const b = request.body;
        const prices = priceList(b.prices as PricesInput | null | undefined);
        return accountView(
          await accounts.update(request.caller!, request.params.id, {
            ...(b.name !== undefined && { name: b.name }),
            ...(b.status !== undefined && { status: b.status }),
            ...(b.credit_limit !== undefined && { creditLimit: parseAmount(b.credit_limit, 'credit_limit') }),
            ...(prices !== undefined && { prices }),
            ...(b.allowed_senders !== undefined && { allowedSenders: b.allowed_senders }),
            ...limits(b),
            ...(b.protocols !== undefined && { protocols: b.protocols }),
            ...(b.daily_quota !== undefined && { dailyQuota: b.daily_quota }),
            ...(b.low_balance_threshold !== undefined && { lowBalanceThreshold: b.low_balance_threshold === null ? null : parseAmount(b.low_balance_threshold, 'low_balance_threshold') }),
            ...(b.refuse_dead_numbers !== undefined && { refuseDeadNumbers: b.refuse_dead_numbers }),
            ...(b.compliance !== undefined && { compliance: b.compliance && policies(b.compliance) }),
          }),
        );
      },
    );

    app.get(
      '/v1/accounts/:id/keys',
      { schema: { summary: 'A sub-account\'s API keys, revoked ones too', params: IdParams, response: { 200: Type.Object({ keys: Type.Array(KeyView) }), ...errorResponses(...KEYED, 400, 404) } } },
      async (request) => ({ keys: (await accounts.listKeys(request.caller!, request.params.id)).map(keyView) }),
    );

    app.post(
      '/v1/accounts/:id/keys',
      { schema: { summary: 'Create an API key for a sub-account; its secret is in this answer only', params: IdParams, body: NewKeyBody, response: { 201: CreatedKeyView, ...errorResponses(...KEYED, ...BODY, 404) } } },
      async (request, reply) => {
        const created = await accounts.createKey(request.caller!, request.params.id, { name: request.body?.name ?? null, ...(request.body?.scopes && { scopes: request.body.scopes }) });
        return reply.code(201).send({ ...keyView(created), key: created.key });
      },
    );

    app.post(
      '/v1/accounts/:id/top-ups',
      {
        schema: {
          summary: 'Credit an account (the operator\'s only)',
          params: IdParams,
          body: Type.Object({ amount: PositiveAmount, description: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
          response: { 201: LedgerEntryView, ...errorResponses(...KEYED, ...BODY, 404) },
        },
      },
      async (request, reply) => {
        const entry = await accounts.topUp(request.caller!, request.params.id, parseAmount(request.body.amount, 'amount'), request.body.description ?? null);
        return reply.code(201).send(ledgerView(entry));
      },
    );

    app.post(
      '/v1/accounts/:id/transfers',
      {
        schema: {
          summary: 'Move money from the caller\'s account to one of its direct sub-accounts',
          params: IdParams,
          body: Type.Object({ amount: PositiveAmount, description: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
          response: { 201: LedgerEntryView, ...errorResponses(...KEYED, ...BODY, 402, 404) },
        },
      },
      async (request, reply) => {
        const entry = await accounts.transfer(request.caller!, request.params.id, parseAmount(request.body.amount, 'amount'), request.body.description ?? null);
        return reply.code(201).send(ledgerView(entry));
      },
    );
  };
