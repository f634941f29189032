import { isIP } from 'node:net';

/**
 * The address a request comes from. Normally the TCP peer. When the peer is one of `trustedProxies` (the reverse
 * proxies in front of the server), the client is the nearest address in X-Forwarded-For that is not itself a trusted
 * proxy: entries further left were written by the client and can be anything, so they are never believed.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | null | undefined, trustedProxies: ReadonlySet<string>): string {
  const direct = normalise(peer);
  if (!direct) return 'unknown';
  if (!trustedProxies.has(direct) || !forwardedFor) return direct;
  const hops = forwardedFor
    .split(',')
    .map((entry) => normalise(entry.trim()))
    .filter((entry): entry is string => entry !== undefined);
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    if (!trustedProxies.has(hops[index]!)) return hops[index]!;
  }
  return hops[0] ?? direct;
}

/** Checks a configured proxy list and normalises it (IPv4-mapped IPv6 addresses compare as IPv4). */
export function trustedProxySet(addresses: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const address of addresses) {
    const normalised = normalise(address);
    if (!normalised) throw new TypeError(`not an IP address: ${JSON.stringify(address)}`);
    set.add(normalised);
  }
  return set;
}

function normalise(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  const plain = mapped ? mapped[1]! : address.toLowerCase();
  return isIP(plain) ? plain : undefined;
}
