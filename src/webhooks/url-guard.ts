import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { SwitchboardError } from '../core/errors.js';

export const MAX_WEBHOOK_URL = 2048;

/** Loopback, private, link-local, carrier-grade NAT and unique-local ranges: never a webhook's target. */
const PRIVATE = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10]] as const) PRIVATE.addSubnet(net, bits, 'ipv6');

function isPrivate(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return PRIVATE.check(mapped, 'ipv4');
  return PRIVATE.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Checks a URL the server will call (an endpoint, a callback_url): absolute http(s), at most
 * 2,048 characters, and, unless the operator allows it, resolving to no loopback, private or
 * link-local address, so that nobody can make the server call into its own network.
 */
export class UrlGuard {
  constructor(private readonly allowPrivate: boolean) {}

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

  /** Shape and addresses; run again before each delivery, as DNS answers change. */
  async check(value: string, param: string): Promise<void> {
    const url = this.checkShape(value, param);
    if (this.allowPrivate) return;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: string[];
    try {
      addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
    } catch {
      throw new SwitchboardError('invalid_callback_url', `${param}: the host ${JSON.stringify(host)} does not resolve.`, { param });
    }
    if (addresses.some(isPrivate)) {
      throw new SwitchboardError('invalid_callback_url', `${param} resolves to a loopback, private or link-local address; only public addresses are called (SWITCHBOARD_WEBHOOKS_ALLOW_PRIVATE allows them).`, { param });
    }
  }
}
