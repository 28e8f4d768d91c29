import { Type } from 'typebox';
import type { RecipientCheck } from '../../app/check.js';

const RuleView = Type.Object({
  rule: Type.String({ description: 'the policy\'s rule, e.g. marketing.windows; opt_outs for the opt-out and do-not-contact list' }),
  action: Type.Union([Type.Literal('pass'), Type.Literal('refuse'), Type.Literal('defer'), Type.Literal('rewrite')]),
  code: Type.Optional(Type.String({ description: 'the canonical code of a refusal or deferral' })),
  message: Type.Optional(Type.String()),
  until: Type.Optional(Type.String({ description: 'a deferral: when the next window opens' })),
  field: Type.Optional(Type.String({ description: 'a rewrite: from (the account\'s number) or text (a footer)' })),
});

/** The dry run's answer: one entry per recipient, in the request's order. */
export const CheckResponse = Type.Object({
  recipients: Type.Array(
    Type.Object({
      to: Type.String(),
      country: Type.Union([Type.String(), Type.Null()]),
      policy: Type.Union([Type.String(), Type.Null()], { description: 'the account\'s policy that applies (marketing, *); null: none' }),
      outcome: Type.Union([Type.Literal('send'), Type.Literal('defer'), Type.Literal('refuse')]),
      send_at: Type.Union([Type.String(), Type.Null()], { description: 'when it would go; null: refused' }),
      from: Type.String(),
      text: Type.String(),
      segments: Type.Integer(),
      rules: Type.Array(RuleView),
    }),
  ),
});

export function checkView(c: RecipientCheck) {
  return {
    to: c.to,
    country: c.country ?? null,
    policy: c.policy,
    outcome: c.outcome,
    send_at: c.sendAt === null ? null : new Date(c.sendAt).toISOString(),
    from: c.from,
    text: c.text,
    segments: c.segments,
    rules: c.rules.map((r) => ({
      rule: r.rule,
      action: r.action,
      ...('code' in r && { code: r.code }),
      ...('message' in r && { message: r.message }),
      ...('until' in r && { until: new Date(r.until).toISOString() }),
      ...('field' in r && { field: r.field }),
    })),
  };
}
