import type { MessageService } from '../../app/messages.js';
import { SwitchboardError } from '../../core/errors.js';
import { messageResource, messagesUri } from './resource.js';
import { messageIdOf, messageSid } from './sid.js';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

function whole(params: Readonly<Record<string, string>>, name: string, min: number, max: number, byDefault: number): number {
  const text = params[name];
  if (text === undefined) return byDefault;
  const n = /^\d{1,7}$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw new SwitchboardError('invalid_parameter', `${name} must be a whole number from ${min} to ${max}.`, { param: name });
  return n;
}

/**
 * One page of the account's messages, newest first, as Twilio pages its list: `PageSize` (50,
 * at most 1,000), `Page` and the `PageToken` of `next_page_uri` (`PA` and the SID of the last
 * message of the page before), filtered by `To` and `From` (`DateSent` is refused, not ignored). A page past the first is reached by
 * its token only, so a page never shifts when new messages come.
 */
export async function messagePage(messages: MessageService, accountId: string, accountSid: string, params: Readonly<Record<string, string>>) {
  const dateFilter = Object.keys(params).find((name) => name.startsWith('DateSent'));
  if (dateFilter !== undefined) throw new SwitchboardError('invalid_parameter', `${dateFilter} is not supported here: filter by To and From.`, { param: dateFilter });
  const pageSize = whole(params, 'PageSize', 1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
  const page = whole(params, 'Page', 0, 1_000_000, 0);
  const token = params.PageToken;
  const before = token === undefined ? undefined : messageIdOf(token.slice(2));
  if (token !== undefined && (!token.startsWith('PA') || before === undefined)) throw new SwitchboardError('invalid_parameter', 'PageToken is not one of this list.', { param: 'PageToken' });
  if (page > 0 && token === undefined) throw new SwitchboardError('invalid_parameter', 'A page past the first is reached with the PageToken of next_page_uri.', { param: 'PageToken' });
  const filter = { ...(params.To !== undefined && { to: params.To }), ...(params.From !== undefined && { from: params.From }) };
  const found = await messages.list(accountId, { ...filter, ...(before !== undefined && { before }) }, pageSize);
  const uri = (p: number, pageToken?: string) =>
    `${messagesUri(accountSid)}.json?${new URLSearchParams({ ...(params.To !== undefined && { To: params.To }), ...(params.From !== undefined && { From: params.From }), PageSize: String(pageSize), Page: String(p), ...(pageToken !== undefined && { PageToken: pageToken }) })}`;
  const start = page * pageSize;
  return {
    end: start + Math.max(found.messages.length - 1, 0),
    first_page_uri: uri(0),
    next_page_uri: found.next === null ? null : uri(page + 1, `PA${messageSid(found.next)}`),
    page,
    page_size: pageSize,
    previous_page_uri: null,
    messages: found.messages.map((m) => messageResource(m, accountSid)),
    start,
    uri: uri(page, token),
  };
}
