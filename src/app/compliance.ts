import { createHash } from 'node:crypto';
import type { HolidayCalendar } from '../core/compliance/holidays.js';
import { policyFor, type Policies, type Policy } from '../core/compliance/policy.js';
import { judge, type Draft, type Verdict } from '../core/compliance/rules.js';
import { SwitchboardError } from '../core/errors.js';
import type { NumberingPlan } from '../core/numbering/facts.js';
import type { Mark, NewMessage, Store } from './store.js';

/** A type's policy, named as its rules are (`marketing`, or `*`). */
export interface NamedPolicy {
  readonly name: string;
  readonly policy: Policy;
}

export interface ComplianceOptions {
  readonly store: Store;
  readonly plan: NumberingPlan;
  readonly calendar: HolidayCalendar;
  /** The operator's policies, for accounts without their own. */
  readonly operator: Policies;
}

/** A request's counters, and the refusal when the store finds the `full`-th of them full. */
export interface RequestMarks {
  readonly marks: readonly Mark[];
  refusal(full: number, multiple: boolean): SwitchboardError;
}

/** The duplicate guard's and the frequency caps' counters a message counts against, each with its rule. */
interface RuleMark extends Mark {
  readonly rule: string;
  readonly code: 'duplicate_message' | 'flood_protection';
  readonly describe: (to: string) => string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * An account's compliance policies at accept: the stateless rules judged per recipient (pure, in
 * the core), the duplicate guard and frequency caps counted in the store, exact across nodes.
 */
export class ComplianceGate {
  constructor(private readonly opts: ComplianceOptions) {}

  /** The policy of a message type for the account; undefined when none applies (the fast path). */
  policy(type: string | undefined, account: Policies | null): NamedPolicy | undefined {
    return policyFor(type, account, this.opts.operator);
  }

  /** Judges one recipient: the rules' verdict, given when the message would go. */
  judge(named: NamedPolicy, draft: Draft, to: string, country: string | undefined): Verdict {
    const zones = named.policy.windows || named.policy.holidays ? this.opts.plan.timeZones(to) : [];
    return judge(draft, { country, timeZones: zones }, named, this.opts.calendar);
  }

  /**
   * The duplicate guard's and caps' counters of a request's messages, counted when it is stored
   * (in the accept's transaction, all or none: exact across nodes); undefined when it has none.
   * `allowDuplicate`: the request opts out of the guard.
   */
  marks(named: NamedPolicy, messages: readonly Pick<NewMessage, 'to' | 'text'>[], allowDuplicate: boolean): RequestMarks | undefined {
    const perMessage = messages.map((m) => marksOf(named, m, allowDuplicate));
    const flat = perMessage.flat();
    if (flat.length === 0) return undefined;
    return {
      marks: flat,
      refusal(full: number, multiple: boolean): SwitchboardError {
        const mark = flat[full]!;
        let i = 0;
        for (let seen = perMessage[0]!.length; seen <= full; seen += perMessage[i]!.length) i++;
        return new SwitchboardError(mark.code, mark.describe(messages[i]!.to), { param: multiple ? `to[${i}]` : 'to', rule: mark.rule });
      },
    };
  }

  /** Which of a message's marks is full, counting nothing: a dry run's answer, or undefined. */
  async peek(accountId: string, named: NamedPolicy, message: Pick<NewMessage, 'to' | 'text'>, allowDuplicate: boolean, now: number): Promise<{ rule: string; code: string; message: string } | undefined> {
    const marks = marksOf(named, message, allowDuplicate);
    const full = marks.length === 0 ? -1 : await this.opts.store.peekMarks(accountId, marks, now);
    if (full < 0) return undefined;
    const mark = marks[full]!;
    return { rule: mark.rule, code: mark.code, message: mark.describe(message.to) };
  }
}

function marksOf(named: NamedPolicy, m: Pick<NewMessage, 'to' | 'text'>, allowDuplicate: boolean): RuleMark[] {
  const { name, policy } = named;
  const marks: RuleMark[] = [];
  const seconds = policy.duplicateWindow;
  if (seconds !== undefined && !allowDuplicate) {
    const hash = createHash('sha256').update(m.text).digest('base64url').slice(0, 22);
    marks.push({
      key: `dup:${m.to}:${hash}`,
      limit: 1,
      windowMs: seconds * 1000,
      rule: `${name}.duplicates`,
      code: 'duplicate_message',
      describe: (to) => `The same text went to ${to} less than ${seconds} seconds ago. Send it with allow_duplicate: true if it is meant to go again.`,
    });
  }
  for (const [period, ms, limit] of [['hour', HOUR, policy.caps?.hour], ['day', DAY, policy.caps?.day]] as const) {
    if (limit === undefined) continue;
    marks.push({
      key: `cap:${name}:${period}:${m.to}`,
      limit,
      windowMs: ms,
      rule: `${name}.caps`,
      code: 'flood_protection',
      describe: (to) => `${to} has had the ${limit} ${name === '*' ? '' : `${name} `}messages a ${period} the account's policy allows.`,
    });
  }
  return marks;
}
