import type { Actor } from '../../app/accounts.js';
import type { FaceCaller } from '../../app/credentials.js';
import type { Services } from '../../api/services.js';
import type { Scope } from '../../core/access/scopes.js';
import { formatAmount, parseAmount } from '../../core/accounts/money.js';
import { SwitchboardError } from '../../core/errors.js';
import { parisStamp } from '../../providers/smspartner/wire.js';
import type { AnswerValue } from './answer.js';
import { nested } from './nested.js';

/** What an SMSPartner apiKey may do for its account, as SMSPartner's keys do: send, read, its STOP list, its sub-accounts. */
const SCOPES: readonly Scope[] = ['send', 'read', 'opt_outs', 'accounts'];
/** Sub-accounts a page of /v1/subaccount/list, as SMSPartner pages it. */
const PAGE_SIZE = 20;

export const actorOf = (caller: FaceCaller): Actor => ({ accountId: caller.payer.accountId, path: caller.path, scopes: SCOPES });

type Params = Readonly<Record<string, string>>;

/** /v1/me: the account and its credit (its balance, in its currency). */
export async function me(services: Services, caller: FaceCaller): Promise<Record<string, AnswerValue>> {
  const account = await services.accounts.balance(actorOf(caller), undefined);
  const balance = formatAmount(account.balance);
  return { user: { username: account.name }, credits: { solde: balance, currency: account.currency, balance } };
}

function credit(value: string | undefined, param: string): number {
  if (value === undefined || value === '') throw new SwitchboardError('missing_parameter', `The ${param} field is required: an amount in the account's currency.`, { param });
  const amount = parseAmount(value, param);
  if (amount <= 0) throw new SwitchboardError('invalid_parameter', `The ${param} must be greater than 0.`, { param });
  return amount;
}

/** Moves credit to a sub-account named by its token; a token that names none under this account is code 6. */
async function transfer(services: Services, caller: FaceCaller, token: string, amount: number): Promise<void> {
  try {
    await services.accounts.transfer(actorOf(caller), token, amount, 'SMSPartner sub-account credit');
  } catch (error) {
    if (error instanceof SwitchboardError && error.code === 'not_found') throw new SwitchboardError('not_found', `The sub-account ${token} is not found.`, { param: 'tokenSubaccount' });
    throw error;
  }
}

/**
 * /v1/subaccount/create: an account under this one, priced as this one, with an SMSPartner
 * credential of its own; `creditToAttribute` is moved to it from this account. Its token is its
 * account id; its apiKey is in this answer only.
 */
export async function createSubaccount(services: Services, caller: FaceCaller, params: Params): Promise<Record<string, AnswerValue>> {
  const type = params.type;
  if (!type) throw new SwitchboardError('missing_parameter', 'The type is required: simple or advanced.', { param: 'type' });
  if (type !== 'simple' && type !== 'advanced') throw new SwitchboardError('invalid_parameter', 'The sub-account type is simple or advanced.', { param: 'type' });
  const details = nested(params, 'parameters') ?? {};
  if (typeof details !== 'object' || Array.isArray(details)) throw new SwitchboardError('invalid_parameter', 'parameters is an object: email, creditToAttribute, firstname, lastname.', { param: 'parameters' });
  const fields = details as Record<string, unknown>;
  const text = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : undefined);
  const email = text('email') ?? null;
  if (type === 'advanced' && email === null) throw new SwitchboardError('missing_parameter', 'An advanced sub-account needs parameters.email.', { param: 'email' });
  const gift = fields.creditToAttribute === undefined ? undefined : credit(String(fields.creditToAttribute), 'creditToAttribute');
  const name = [text('firstname'), text('lastname')].filter(Boolean).join(' ') || email || 'SMSPartner sub-account';
  const child = await services.accounts.create(actorOf(caller), { name, prices: caller.payer.prices });
  const key = await services.credentials.create(child.id, 'smspartner', { name: email, settings: {} });
  if (gift !== undefined) await transfer(services, caller, child.id, gift);
  return { subaccount: { email, token: child.id, apiKey: key.secret } };
}

/** /v1/subaccount/list: the accounts right under this one, twenty a page (`page`, from 1). */
export async function listSubaccounts(services: Services, caller: FaceCaller, params: Params): Promise<Record<string, AnswerValue>> {
  const page = params.page === undefined ? 1 : /^\d{1,6}$/.test(params.page) ? Number(params.page) : 0;
  if (page < 1) throw new SwitchboardError('invalid_parameter', 'page is a page number, from 1.', { param: 'page' });
  const children = (await services.accounts.list(actorOf(caller), undefined)).filter((a) => a.parentId === caller.payer.accountId);
  return {
    total: children.length,
    page,
    subaccountList: children.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((a) => ({
      token: a.id,
      name: a.name,
      status: a.status,
      creationDate: parisStamp(a.createdAt),
      solde: formatAmount(a.balance),
      currency: a.currency,
    })),
  };
}

/** /v1/subaccount/credit/add: `credit` moved from this account to the sub-account `tokenSubaccount`. */
export async function addCredit(services: Services, caller: FaceCaller, params: Params): Promise<Record<string, AnswerValue>> {
  const amount = credit(params.credit, 'credit');
  const token = params.tokenSubaccount;
  if (!token) throw new SwitchboardError('missing_parameter', 'The tokenSubaccount field is required.', { param: 'tokenSubaccount' });
  await transfer(services, caller, token, amount);
  return { message: `${formatAmount(amount)} ${caller.currency} added to ${token}.` };
}
