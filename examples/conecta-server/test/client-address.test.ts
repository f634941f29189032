import { describe, expect, it } from 'vitest';
import { clientAddress, trustedProxySet } from '../src/auth/client-address.js';

describe('client address', () => {
  const proxies = trustedProxySet(['10.9.0.1', '::1']);

  it('is the TCP peer when the peer is not a trusted proxy, whatever X-Forwarded-For claims', () => {
    expect(clientAddress('198.51.100.7', '203.0.113.5', proxies)).toBe('198.51.100.7');
    expect(clientAddress('::ffff:198.51.100.7', null, proxies)).toBe('198.51.100.7');
  });

  it('behind a trusted proxy, is the nearest forwarded address that is not a trusted proxy', () => {
    expect(clientAddress('10.9.0.1', '203.0.113.5', proxies)).toBe('203.0.113.5');
    // The client wrote the left entry itself; the proxy appended the address it saw.
    expect(clientAddress('::ffff:10.9.0.1', '1.2.3.4, 203.0.113.5', proxies)).toBe('203.0.113.5');
    // Two trusted hops (a local proxy behind another): both are skipped.
    expect(clientAddress('::1', '203.0.113.5, 10.9.0.1', proxies)).toBe('203.0.113.5');
    // Garbage entries are ignored, not taken as an address.
    expect(clientAddress('10.9.0.1', '203.0.113.5, not-an-ip', proxies)).toBe('203.0.113.5');
  });

  it('falls back to the peer when a trusted proxy forwards nothing usable', () => {
    expect(clientAddress('10.9.0.1', undefined, proxies)).toBe('10.9.0.1');
    expect(clientAddress('10.9.0.1', 'garbage', proxies)).toBe('10.9.0.1');
    expect(clientAddress(undefined, '203.0.113.5', proxies)).toBe('unknown');
  });

  it('refuses a proxy list entry that is not an IP address', () => {
    expect(() => trustedProxySet(['proxy.internal'])).toThrow(/not an IP address: "proxy.internal"/);
  });
});
