import type { Outcome } from '../core/compliance/rules.js';
import { encodeText } from '../core/encoding/segments.js';
import { SwitchboardError } from '../core/errors.js';
import { MAX_RECIPIENTS } from '../core/message.js';
import { parseDestination } from '../core/validation/phone.js';
import { classifySender } from '../core/validation/sender.js';
import { checkText } from '../core/validation/text.js';
import { parseSendAt } from '../core/validation/schedule.js';
import type { Payer, SendRequest } from './accept.js';
import type { Clock } from './clock.js';
import type { ComplianceGate } from './compliance.js';
import type { Store } from './store.js';

/** What one rule would do, as the dry run tells it. */
export type RuleOutcome = Outcome | { readonly rule: string; readonly action: 'refuse'; readonly code: string; readonly message: string };

/** What would become of a draft message to one recipient. */
export interface RecipientCheck {
  readonly to: string;
  readonly country: string | undefined;
  /** The account's policy that applies (`marketing`, `*`); null: none. */
  readonly policy: string | null;
  readonly outcome: 'send' | 'defer' | 'refuse';
  /** When it would go (a deferral's window start); null when refused. */
  readonly sendAt: number | null;
  readonly from: string;
  readonly text: string;
  readonly segments: number;
  readonly rules: readonly RuleOutcome[];
}

/**
 * The dry run of a send: every rule of the account's policy for each recipient, its opt-out and
 * do-not-contact lists and its guard and caps as they stand, and when the message would go.
 * Nothing is stored, counted or charged.
 */
export class CheckService {
  constructor(
    private readonly store: Store,
    private readonly gate: ComplianceGate,
    private readonly clock: Clock,
  ) {}

  async check(payer: Pick<Payer, 'accountId' | 'compliance'>, request: SendRequest): Promise<RecipientCheck[]> {
    const recipients = typeof request.to === 'string' ? [request.to] : request.to;
    if (recipients.length === 0) throw new SwitchboardError('missing_parameter', 'Give at least one recipient in `to`.', { param: 'to' });
    if (recipients.length > MAX_RECIPIENTS) throw new SwitchboardError('too_many_recipients', `A request may name at most ${MAX_RECIPIENTS} recipients.`, { param: 'to' });
    const senderKind = classifySender(request.from);
    checkText(request.text);
    const now = this.clock.now();
    const at = parseSendAt(request.send_at, now) ?? now;
    const named = this.gate.policy(request.type, payer.compliance);
    const destinations = recipients.map((to, i) => parseDestination(to, typeof request.to === 'string' ? 'to' : `to[${i}]`));
    const optedOut = await this.store.optedOut(payer.accountId, request.from, destinations.map((d) => d.e164));
    return Promise.all(
      destinations.map(async (d): Promise<RecipientCheck> => {
        const verdict = named && this.gate.judge(named, { from: request.from, senderKind, text: request.text, at }, d.e164, d.country);
        const text = verdict?.text ?? request.text;
        const rules: RuleOutcome[] = [...(verdict?.outcomes ?? [])];
        if (optedOut.has(d.e164)) rules.push({ rule: 'opt_outs', action: 'refuse', code: 'destination_opted_out', message: `${d.e164} is on the account's opt-out or do-not-contact list for ${request.from}.` });
        const full = named && (await this.gate.peek(payer.accountId, named, { to: d.e164, text }, request.allow_duplicate === true, now));
        if (full) rules.push({ ...full, action: 'refuse' });
        const refused = rules.some((r) => r.action === 'refuse');
        const deferred = rules.some((r) => r.action === 'defer');
        return {
          to: d.e164,
          country: d.country,
          policy: named?.name ?? null,
          outcome: refused ? 'refuse' : deferred ? 'defer' : 'send',
          sendAt: refused ? null : (verdict?.at ?? at),
          from: verdict?.from ?? request.from,
          text,
          segments: encodeText(text).parts.length,
          rules,
        };
      }),
    );
  }
}
