import { BlockList, isIP } from 'node:net';
import { SwitchboardError } from '../core/errors.js';

/**
 * Reads an account's IP allowlist: CIDRs, IPv4 or IPv6, a bare address meaning itself alone
 * (/32, /128). Returns each entry with its prefix; throws invalid_parameter naming the entry.
 */
export function parseAllowlist(entries: readonly string[], param: string): string[] {
  return entries.map((entry, i) => {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const max = family === 4 ? 32 : 128;
    if (family === 0 || extra !== undefined || (prefix !== undefined && !(/^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= max))) {
      throw new SwitchboardError('invalid_parameter', `${JSON.stringify(entry)} is not an IP address or CIDR block (e.g. 203.0.113.0/24, 2001:db8::/32).`, { param: `${param}[${i}]` });
    }
    return `${address}/${prefix === undefined ? max : Number(prefix)}`;
  });
}

/** Lists compiled into node's matcher once: an account's list is the same for each of its requests. */
const compiled = new Map<string, BlockList>();

function matcher(list: readonly string[]): BlockList {
  const id = list.join(' ');
  let blocks = compiled.get(id);
  if (!blocks) {
    if (compiled.size >= 10_000) compiled.clear();
    blocks = new BlockList();
    for (const entry of list) {
      const [address, prefix] = entry.split('/') as [string, string];
      blocks.addSubnet(address, Number(prefix), isIP(address) === 4 ? 'ipv4' : 'ipv6');
    }
    compiled.set(id, blocks);
  }
  return blocks;
}

/**
 * Whether `address` is in every one of `lists` (the account's and its ancestors'). An IPv4 client
 * reached over an IPv6 socket (::ffff:a.b.c.d) is matched as IPv4.
 */
export function addressAllowed(lists: readonly (readonly string[])[], address: string): boolean {
  if (lists.length === 0) return true;
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const [ip, family] = v4 ? [v4, 'ipv4' as const] : [address, isIP(address) === 4 ? ('ipv4' as const) : ('ipv6' as const)];
  return lists.every((list) => matcher(list).check(ip, family));
}

/** Refuses a request from an address `addressAllowed` does not allow: `ip_not_allowed`. */
export function refuseAddress(lists: readonly (readonly string[])[], address: string): void {
  if (addressAllowed(lists, address)) return;
  throw new SwitchboardError('ip_not_allowed', `Requests with this account's keys are not allowed from ${address}: add it to the account's ip_allowlist (and to those of the accounts above it).`);
}
