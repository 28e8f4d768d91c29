import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { SwitchboardError } from '../core/errors.js';

export const MAX_WEBHOOK_URL = 2048;
/** Hosts whose answers are kept at once, at most. */
const MAX_HOSTS = 10_000;

/** Where a host name points: every address, as `dns.lookup` with `all` gives them. */
export type Resolver = (host: string) => Promise<LookupAddress[]>;

const systemResolver: Resolver = (host) => lookup(host, { all: true });

/**
 * Unspecified, "this network", private, carrier-grade NAT, loopback, link-local, benchmarking,
 * multicast and reserved (broadcast included) IPv4 ranges: never a webhook's target.
 */
const PRIVATE_V4 = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const;

/** Loopback, unique-local, link-local, site-local, multicast and local-use NAT64 IPv6 ranges. */
const PRIVATE_V6 = [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['64:ff9b:1::', 48],
] as const;

/**
 * IPv6 forms that carry an IPv4 address in their last 32 bits: IPv4-mapped, IPv4-compatible and
 * NAT64 (64:ff9b::/96). Each is judged by the IPv4 address it carries, so 64:ff9b::8.8.8.8 is
 * public (DNS64 networks reach IPv4 hosts that way) and ::ffff:127.0.0.1 is not.
 */
const EMBEDDING_V4 = ['::ffff:', '::', '64:ff9b::'];

const PRIVATE = new BlockList();
for (const [net, bits] of PRIVATE_V4) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
  for (const prefix of EMBEDDING_V4) PRIVATE.addSubnet(`${prefix}${net}`, 96 + bits, 'ipv6');
}
for (const [net, bits] of PRIVATE_V6) PRIVATE.addSubnet(net, bits, 'ipv6');

/** True for an address no webhook may be sent to. */
export function isPrivateAddress(address: string): boolean {
  return PRIVATE.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Checks a URL the server will call (an endpoint, a callback_url): absolute http(s), at most
 * 2,048 characters, and, unless the operator allows it, resolving to no loopback, private or
 * link-local address, so that nobody can make the server call into its own network. The
 * resolver is the system's (`dns.lookup`) unless one is given.
 */
export class UrlGuard {
  /** Answers kept for `cacheMs`: a delivery per event must not cost a DNS query per event. */
  readonly #answers = new Map<string, { readonly at: number; readonly addresses: Promise<LookupAddress[]> }>();

  /**
   * @param cacheMs how long a host's answer is used before it is asked again (a changed DNS
   *   record takes effect within it; what is connected to is always an answer checked).
   */
  constructor(
    private readonly allowPrivate: boolean,
    private readonly resolve: Resolver = systemResolver,
    private readonly cacheMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The shape alone: what can be checked at once, without DNS. */
  checkShape(value: string, param: string): URL {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || value.length > MAX_WEBHOOK_URL || url.username || url.password) {
      throw new SwitchboardError('invalid_callback_url', `${param} must be an absolute http(s) URL without credentials, of at most ${MAX_WEBHOOK_URL} characters.`, { param });
    }
    return url;
  }

  /** Shape and addresses, when a URL is registered (shape only where private addresses are allowed). */
  async check(value: string, param: string): Promise<void> {
    const url = this.checkShape(value, param);
    if (!this.allowPrivate) await this.addresses(url, param);
  }

  /**
   * Every address the URL's host resolves to, each checked: a delivery connects to these and no
   * others (resolving again to connect would let a DNS answer changed in between through).
   */
  async addresses(url: URL, param: string): Promise<LookupAddress[]> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: LookupAddress[];
    try {
      addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await this.#resolved(host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) throw new SwitchboardError('invalid_callback_url', `${param}: the host ${JSON.stringify(host)} does not resolve.`, { param });
    if (!this.allowPrivate && addresses.some((a) => isPrivateAddress(a.address))) {
      throw new SwitchboardError('invalid_callback_url', `${param} resolves to a loopback, private or link-local address; only public addresses are called (SWITCHBOARD_WEBHOOKS_ALLOW_PRIVATE allows them).`, { param });
    }
    return addresses;
  }

  /** The host's addresses: the answer of the last `cacheMs`, or a new one (a failed one is not kept). */
  #resolved(host: string): Promise<LookupAddress[]> {
    const now = this.now();
    const kept = this.#answers.get(host);
    if (kept && now - kept.at < this.cacheMs) return kept.addresses;
    const addresses = this.resolve(host);
    // Callback URLs can name many hosts: the expired answers go before the map grows past its bound.
    if (this.#answers.size >= MAX_HOSTS) for (const [h, a] of this.#answers) if (now - a.at >= this.cacheMs) this.#answers.delete(h);
    if (this.#answers.size < MAX_HOSTS) this.#answers.set(host, { at: now, addresses });
    addresses.then(
      (found) => found.length === 0 && this.#answers.delete(host),
      () => this.#answers.delete(host),
    );
    return addresses;
  }
}
