import { keywordOf } from '../core/compliance/keywords.js';
import { SwitchboardError } from '../core/errors.js';
import { classifySender } from '../core/validation/sender.js';
import type { Clock } from './clock.js';
import { parseDoNotContact } from './do-not-contact.js';
import type { InboundMessage, OptOut, Store } from './store.js';

/** The numbers the list holds: E.164, 7 to 15 digits. */
export const OPT_OUT_NUMBER_PATTERN = '^\\+[1-9][0-9]{6,14}$';
const NUMBER = new RegExp(OPT_OUT_NUMBER_PATTERN);
const ALL_SENDERS = '*';

/**
 * The account's opt-out and do-not-contact list: a subscriber texting STOP (or its equivalents) to a sender stops
 * that sender's messages to them, START lifts it; the API adds and lifts entries too, `*` as
 * sender meaning every sender of the account. Accept refuses an opted-out recipient.
 */
export class OptOuts {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Applies the keyword an inbound message is, if it is one. */
  async onInbound(m: InboundMessage): Promise<void> {
    const keyword = keywordOf(m.text);
    if (keyword !== 'stop' && keyword !== 'start') return;
    await this.store.setOptOut(m.accountId, { sender: m.to, number: m.from, createdAt: this.clock.now(), source: 'keyword' }, keyword === 'stop');
  }

  #entry(sender: string, number: string): OptOut {
    if (!NUMBER.test(number)) throw new SwitchboardError('invalid_phone_number', 'number must be an E.164 number, e.g. +447700900000.', { param: 'number' });
    if (sender.length === 0 || sender.length > 32) throw new SwitchboardError('invalid_parameter', 'sender must be a sender of 1 to 32 characters, or "*" for all.', { param: 'sender' });
    return { sender, number, createdAt: this.clock.now(), source: 'api' };
  }

  /** A new entry names a sender a message could have (or `*`); lifting one takes any stored sender. */
  async add(accountId: string, sender: string, number: string): Promise<OptOut> {
    if (sender !== ALL_SENDERS) classifySender(sender, 'sender');
    const entry = this.#entry(sender, number);
    await this.store.setOptOut(accountId, entry, true);
    return entry;
  }

  async remove(accountId: string, sender: string, number: string): Promise<void> {
    if (!(await this.store.setOptOut(accountId, this.#entry(sender, number), false))) {
      throw new SwitchboardError('not_found', `${number} is not opted out of ${sender}.`, { param: 'number' });
    }
  }

  list(accountId: string, filter: { sender?: string; number?: string }, limit: number): Promise<OptOut[]> {
    return this.store.listOptOuts(accountId, filter, limit);
  }

  /** Adds a do-not-contact list (CSV) in one call; returns how many entries were new and how many it held. */
  async import(accountId: string, csv: string): Promise<{ added: number; entries: number }> {
    const entries = parseDoNotContact(csv, this.clock.now());
    return { added: entries.length === 0 ? 0 : await this.store.importOptOuts(accountId, entries), entries: entries.length };
  }
}
