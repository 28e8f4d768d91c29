import { formatAmount } from './money.js';

/** What tells an account its balance fell under its threshold: the notice, and the account.low_balance event's data. */
export function lowBalance(accountId: string, available: number, threshold: number, at: number) {
  const detail = { account: accountId, available: formatAmount(available), threshold: formatAmount(threshold) };
  return {
    notice: {
      at,
      type: 'low_balance',
      message: `The account may spend ${detail.available} more (balance and credit limit), under its threshold of ${detail.threshold}: top it up before sends are refused.`,
      detail,
    },
    event: { account: { id: accountId, available: detail.available, low_balance_threshold: detail.threshold, at: new Date(at).toISOString() } },
  };
}
