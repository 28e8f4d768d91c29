import type pg from 'pg';
import { quotaDay, type AcceptWrite, type Charge, type Refusal } from '../../app/store.js';
import { countQuota } from '../../core/accounts/quota.js';

type Client = pg.PoolClient;

/**
 * Quota slices, as online charging systems reserve units: each node sets aside a slice of an
 * account's money (and of its daily quota) at the account's row, then charges accepts from the
 * slice under its own row's lock, so nodes sending for one account do not queue on that account's
 * row. Charges taken from a slice wait in pending_charges and enter the ledger, in order, when the
 * slice is settled: refilled, given back idle or at shutdown, taken back by a node short of money,
 * or reclaimed from a node whose lease ended (it died). The account's row keeps `reserved`, the sum
 * of its slices: the centre never lets balance - reserved go below -credit_limit, and no slice
 * spends past what it was granted, so the balance never goes below what the account may spend.
 *
 * Locks: a batch locks its node's own slices first, then account rows in id order; a node taking
 * back other nodes' slices holds the account's row and skips slices locked by a batch in flight,
 * so no two transactions wait on each other in a circle.
 */
export interface SliceConfig {
  /** This node: the owner of its slices. */
  readonly node: string;
  /** A slice not used for this long is taken back by any node (its owner died). */
  readonly leaseMs: number;
}

/** Tells the account its balance ran low (notice and event), once per crossing. */
export type LowBalanceHook = (c: Client, accountId: string, available: number, threshold: number, at: number) => Promise<void>;

/** A slice holding anything: money set aside or spent, or messages of the quota (the partial indexes' condition). */
const HELD = '(granted > 0 OR spent > 0 OR q_granted > 0)';
/** Slices to give back: $1's unused since $2, and any whose lease ended before $3. */
const DUE = `${HELD} AND ((node_id = $1 AND used_at < $2) OR lease_until < $3)`;

/** The statements run per batch and per settlement (under test/query-plans.test.ts). */
export const SLICE_SQL = {
  /** This node's slices of the batch's accounts, locked, with what the account's row and other slices say. */
  own: `SELECT s.*, a.balance, a.credit_limit, a.daily_quota, a.low_balance_threshold, a.low_balance_notified,
                (SELECT COALESCE(sum(o.spent), 0)::bigint FROM balance_slices o WHERE o.account_id = s.account_id AND o.node_id <> s.node_id) AS others_spent
           FROM balance_slices s JOIN accounts a ON a.id = s.account_id
          WHERE s.node_id = $1 AND s.account_id = ANY($2::text[]) ORDER BY s.account_id FOR UPDATE OF s`,
  /** Takes the batch's charges from this node's slices. */
  take: `UPDATE balance_slices s SET spent = s.spent + t.amount, q_spent = s.q_spent + t.messages, used_at = $3, lease_until = $4
         FROM unnest($2::text[], $5::bigint[], $6::int[]) AS t(account_id, amount, messages) WHERE s.node_id = $1 AND s.account_id = t.account_id`,
  pending: `INSERT INTO pending_charges (account_id, node_id, id, at, amount, message_id, messages)
       SELECT a, $1, i, t, m, f, n FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::int[]) AS p(a, i, t, m, f, n)`,
  /** Enters a slice's pending charges in the ledger, in the order they were taken, each with the balance after it. */
  settle: `WITH moved AS (DELETE FROM pending_charges WHERE account_id = $1 AND node_id = $2 RETURNING *)
       INSERT INTO ledger_entries (id, account_id, at, type, amount, balance_after, message_id, messages)
       SELECT id, account_id, at, 'charge', -amount, $3 - sum(amount) OVER (ORDER BY seq), message_id, messages FROM moved ORDER BY seq`,
  /** Other nodes' slices of an account not in use this instant. */
  idle: `SELECT * FROM balance_slices WHERE account_id = $1 AND node_id <> $2 AND ${HELD} FOR UPDATE SKIP LOCKED`,
  due: `SELECT DISTINCT account_id FROM balance_slices WHERE ${DUE} ORDER BY account_id`,
  dueOf: `SELECT * FROM balance_slices WHERE account_id = $4 AND ${DUE} FOR UPDATE SKIP LOCKED`,
};

/** A slice lasting less than this asks for twice as much at its refill; one lasting longer, half. */
const TARGET_MS = 1000;

interface SliceRow {
  account_id: string;
  node_id: string;
  granted: number;
  spent: number;
  q_granted: number;
  q_spent: number;
  day: number;
  granted_at: number;
  lease_until: number;
}

interface AccountState {
  id: string;
  balance: number;
  credit_limit: number;
  reserved: number;
  daily_quota: number | null;
  quota_day: number;
  quota_used: number;
  low_balance_threshold: number | null;
  low_balance_notified: boolean;
}

type Charged = AcceptWrite & { readonly charge: NonNullable<AcceptWrite['charge']> };

/**
 * Charges each write (all carry a charge) from this node's slice of its account, or at the
 * account's row when the slice does not cover it. Returns each write's balance after its charge
 * (with every charge accepted before it, entered or not), or why it was refused.
 */
export async function chargeAll(c: Client, cfg: SliceConfig, writes: readonly Charged[], notify: LowBalanceHook): Promise<Map<AcceptWrite, number | Refusal>> {
  const out = new Map<AcceptWrite, number | Refusal>();
  const now = Math.max(...writes.map((w) => w.charge.at));
  const today = quotaDay(now);
  const byAccount = new Map<string, Charged[]>();
  for (const w of writes) byAccount.set(w.charge.accountId, [...(byAccount.get(w.charge.accountId) ?? []), w]);
  const accounts = [...byAccount.keys()].sort();

  // This node's slices of these accounts, locked: only its own batches (one at a time) charge them.
  const own = new Map(
    (
      await c.query<SliceRow & AccountState & { others_spent: number }>(
        SLICE_SQL.own,
        [cfg.node, accounts],
      )
    ).rows.map((r) => [r.account_id, r]),
  );

  const central = new Map<string, Charged[]>();
  const taken: { account: string; amount: number; messages: number }[] = [];
  const pending: Charged[] = [];
  const lows: { account: string; available: number; threshold: number }[] = [];
  for (const account of accounts) {
    const s = own.get(account);
    const mine = byAccount.get(account)!;
    // All of an account's requests in the batch from its slice, or all at its row: in order either way.
    let amount = 0;
    let messages = 0;
    const fits =
      s !== undefined &&
      s.lease_until > now &&
      mine.every(({ charge: ch }) => {
        amount += ch.amount;
        messages += ch.messages;
        return (ch.amount === 0 || s.spent + amount <= s.granted) && (s.daily_quota === null || (s.day === today && s.q_spent + messages <= s.q_granted));
      });
    if (!fits) {
      central.set(account, mine);
      continue;
    }
    let spent = s.spent;
    for (const w of mine) {
      spent += w.charge.amount;
      if (w.charge.amount > 0) pending.push(w);
      out.set(w, s.balance - s.others_spent - spent);
    }
    // Messages are counted only against a quota: an account without one keeps no count.
    taken.push({ account, amount, messages: s.daily_quota === null ? 0 : messages });
    const available = s.balance - s.others_spent - spent + s.credit_limit;
    if (amount > 0 && s.low_balance_threshold !== null && !s.low_balance_notified && available < s.low_balance_threshold) {
      lows.push({ account, available, threshold: s.low_balance_threshold });
    }
  }
  if (taken.length > 0) {
    await c.query(
      SLICE_SQL.take,
      [cfg.node, taken.map((t) => t.account), now, now + cfg.leaseMs, taken.map((t) => t.amount), taken.map((t) => t.messages)],
    );
  }
  if (pending.length > 0) {
    const col = <T>(f: (w: Charged) => T) => pending.map(f);
    await c.query(
      SLICE_SQL.pending,
      [cfg.node, col((w) => w.charge.accountId), col((w) => w.charge.entryId), col((w) => w.charge.at), col((w) => w.charge.amount), col((w) => w.messages[0]?.id ?? null), col((w) => w.messages.length)],
    );
  }
  // Account rows in id order, as every transaction that locks several takes them.
  for (const account of accounts) {
    const rest = central.get(account);
    if (rest) await chargeCentrally(c, cfg, account, own.get(account), rest, now, out, notify);
    const low = lows.find((l) => l.account === account);
    if (low && (await c.query('UPDATE accounts SET low_balance_notified = true WHERE id = $1 AND NOT low_balance_notified', [account])).rowCount) {
      await notify(c, account, low.available, low.threshold, now);
    }
  }
  return out;
}

/**
 * At the account's row: settles this node's slice, charges what it could not cover (taking back
 * other nodes' idle slices before refusing), then grants the node a new slice, sized to how fast
 * the last one went and never more than half of what is left unreserved.
 */
async function chargeCentrally(
  c: Client,
  cfg: SliceConfig,
  account: string,
  own: SliceRow | undefined,
  writes: readonly Charged[],
  now: number,
  out: Map<AcceptWrite, number | Refusal>,
  notify: LowBalanceHook,
): Promise<void> {
  const today = quotaDay(now);
  const a = await lockAccount(c, account);
  const others = (await c.query<SliceRow>('SELECT * FROM balance_slices WHERE account_id = $1 AND node_id <> $2', [account, cfg.node])).rows;
  let othersSpent = others.reduce((sum, s) => sum + Number(s.spent), 0);
  if (own) await settle(c, a, own);
  let reclaimed = false;
  let notified = a.low_balance_notified;
  for (const w of writes) {
    const ch = w.charge;
    const check = () => {
      const quota = countQuota({ limit: a.daily_quota, day: a.quota_day, used: a.quota_used }, today, ch.messages);
      if (!quota) return { refused: 'quota_exceeded', limit: a.daily_quota! } as const;
      if (a.balance - a.reserved - ch.amount < -a.credit_limit) return { refused: 'insufficient_credit' } as const;
      return quota;
    };
    let result = check();
    if ('refused' in result && !reclaimed) {
      reclaimed = true;
      // Other nodes' slices not in use this instant come back before anything is refused.
      const idle = (await c.query<SliceRow>(SLICE_SQL.idle, [account, cfg.node])).rows;
      for (const s of idle) {
        await settle(c, a, s);
        othersSpent -= Number(s.spent);
      }
      result = check();
    }
    if ('refused' in result) {
      out.set(w, result);
      continue;
    }
    a.quota_day = result.day;
    a.quota_used = result.used;
    if (ch.amount > 0) {
      a.balance -= ch.amount;
      await c.query(
        `INSERT INTO ledger_entries (id, account_id, at, type, amount, balance_after, message_id, messages) VALUES ($1, $2, $3, 'charge', $4, $5, $6, $7)`,
        [ch.entryId, account, ch.at, -ch.amount, a.balance, w.messages[0]?.id ?? null, w.messages.length],
      );
      const available = a.balance - othersSpent + a.credit_limit;
      if (a.low_balance_threshold !== null && !notified && available < a.low_balance_threshold) {
        notified = true;
        await notify(c, account, available, a.low_balance_threshold, now);
      }
    }
    out.set(w, a.balance - othersSpent);
  }
  // The next slice: twice the last when it went within TARGET_MS, else half; never under the largest request here.
  const largest = (f: (ch: Charge) => number) => Math.max(...writes.map((w) => f(w.charge)));
  const size = (last: number, floor: number, room: number) => {
    const want = !own ? floor * 4 : now - own.granted_at < TARGET_MS ? Math.max(last * 2, floor) : Math.max(Math.floor(last / 2), floor);
    return Math.max(0, Math.min(want, Math.floor(room / 2)));
  };
  const granted = largest((ch) => ch.amount) > 0 ? size(Number(own?.granted ?? 0), largest((ch) => ch.amount), a.balance - a.reserved + a.credit_limit) : 0;
  const qGranted = a.daily_quota !== null ? size(Number(own?.q_granted ?? 0), largest((ch) => ch.messages), a.daily_quota - (a.quota_day === today ? a.quota_used : 0)) : 0;
  if (qGranted > 0 && a.quota_day !== today) (a.quota_day = today), (a.quota_used = 0);
  a.reserved += granted;
  a.quota_used += qGranted;
  await c.query(
    `INSERT INTO balance_slices (account_id, node_id, granted, spent, q_granted, q_spent, day, granted_at, used_at, lease_until) VALUES ($1, $2, $3, 0, $4, 0, $5, $6, $6, $7)
     ON CONFLICT (account_id, node_id) DO UPDATE SET granted = $3, spent = 0, q_granted = $4, q_spent = 0, day = $5, granted_at = $6, used_at = $6, lease_until = $7`,
    [account, cfg.node, granted, qGranted, today, now, now + cfg.leaseMs],
  );
  await saveAccount(c, a, notified);
}

/**
 * Settles and empties slices: `owner`'s unused since `idleBefore`, and any node's whose lease
 * ended before `now`. One transaction, accounts in id order; a slice locked by a batch in flight
 * is left for the next time.
 */
export async function returnSlices(c: Client, owner: string, idleBefore: number, now: number): Promise<number> {
  const accounts = (await c.query<{ account_id: string }>(SLICE_SQL.due, [owner, idleBefore, now])).rows;
  let n = 0;
  for (const { account_id } of accounts) {
    const a = await lockAccount(c, account_id);
    const slices = (await c.query<SliceRow>(SLICE_SQL.dueOf, [owner, idleBefore, now, account_id])).rows;
    for (const s of slices) await settle(c, a, s);
    await saveAccount(c, a, a.low_balance_notified);
    n += slices.length;
  }
  return n;
}

async function lockAccount(c: Client, id: string): Promise<AccountState> {
  const [row] = (
    await c.query<AccountState>(
      'SELECT id, balance, credit_limit, reserved, daily_quota, quota_day, quota_used, low_balance_threshold, low_balance_notified FROM accounts WHERE id = $1 FOR UPDATE',
      [id],
    )
  ).rows;
  return row!;
}

async function saveAccount(c: Client, a: AccountState, notified: boolean): Promise<void> {
  await c.query('UPDATE accounts SET balance = $2, reserved = $3, quota_day = $4, quota_used = $5, low_balance_notified = $6 WHERE id = $1', [
    a.id, a.balance, a.reserved, a.quota_day, a.quota_used, notified,
  ]);
}

/** Enters a slice's charges in the ledger, in the order they were taken, and gives back what it did not use. */
async function settle(c: Client, a: AccountState, s: SliceRow): Promise<void> {
  if (Number(s.spent) > 0) {
    await c.query(
      SLICE_SQL.settle,
      [s.account_id, s.node_id, a.balance],
    );
  }
  a.balance -= Number(s.spent);
  a.reserved -= Number(s.granted);
  // Messages set aside and not sent go back to today's count; a slice of another day counted on that day.
  if (s.day === a.quota_day) a.quota_used -= s.q_granted - s.q_spent;
  await c.query('UPDATE balance_slices SET granted = 0, spent = 0, q_granted = 0, q_spent = 0 WHERE account_id = $1 AND node_id = $2', [s.account_id, s.node_id]);
}
