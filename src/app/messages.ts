import { SwitchboardError } from '../core/errors.js';
import { acceptedEvent, type Message, type MessageEvent } from '../core/message.js';
import type { Clock } from './clock.js';
import type { MessageFilter, Store } from './store.js';
import type { TransitionWriter } from './transitions.js';

/** Reading an account's messages, and canceling one. */
export class MessageService {
  constructor(
    private readonly store: Store,
    private readonly writer: TransitionWriter,
    private readonly clock: Clock,
  ) {}

  async get(accountId: string, id: string): Promise<{ message: Message; events: MessageEvent[] }> {
    const message = await this.store.getMessage(accountId, id);
    if (!message) {
      throw new SwitchboardError('message_not_found', `No message ${JSON.stringify(id)} exists on this account.`, { param: 'id' });
    }
    const accepted = acceptedEvent(message);
    const events = await this.store.listEvents(accountId, id);
    return { message, events: accepted ? [accepted, ...events] : events };
  }

  /** One page, newest first, and the cursor of the next page (null on the last). */
  async list(accountId: string, filter: MessageFilter, limit: number): Promise<{ messages: Message[]; next: string | null }> {
    const rows = await this.store.listMessages(accountId, filter, limit + 1);
    const page = rows.slice(0, limit);
    return { messages: page, next: rows.length > limit ? page[page.length - 1]!.id : null };
  }

  /** Cancels a message not yet handed to a provider. */
  async cancel(accountId: string, id: string): Promise<Message> {
    await this.get(accountId, id);
    const now = this.clock.now();
    const applied = await this.writer.apply({
      messageId: id,
      from: ['scheduled', 'queued'],
      to: 'canceled',
      event: { at: now, type: 'canceled', status: 'canceled', error: null, detail: { by: 'api' }, payload: null },
      dueAt: null,
    });
    const current = (await this.store.getMessage(accountId, id))!;
    if (!applied) {
      throw new SwitchboardError(
        'message_not_cancelable',
        `The message is ${current.status}: only a scheduled or queued message can be canceled.`,
        { param: 'id' },
      );
    }
    return current;
  }
}
