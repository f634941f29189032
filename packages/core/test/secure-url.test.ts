import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../src/index.js';
import { isLoopbackHost, requireSecureUrl } from '../src/http/index.js';

describe('https unless loopback', () => {
  const rule = { platform: 'tray', field: 'apiAddress' };

  it('accepts https anywhere and plain http only to a loopback host', () => {
    expect(requireSecureUrl('https://loja.commercesuite.com.br/web_api', rule).host).toBe('loja.commercesuite.com.br');
    for (const local of ['http://localhost:3000/api', 'http://127.0.0.1:8080', 'http://127.1.2.3', 'http://[::1]:4000', 'http://app.localhost']) {
      expect(requireSecureUrl(local, rule).protocol).toBe('http:');
    }
  });

  it('refuses plain http to another host, naming the platform and the option', () => {
    for (const remote of ['http://loja.commercesuite.com.br/web_api', 'http://127.0.0.1.nip.io', 'http://10.0.0.5', 'ftp://localhost/x']) {
      expect(() => requireSecureUrl(remote, rule)).toThrow(ConfigurationError);
    }
    expect(() => requireSecureUrl('http://loja.example', rule)).toThrow(/tray: apiAddress must use https/);
    expect(() => requireSecureUrl('not a url', rule)).toThrow(/tray: apiAddress "not a url" is not a URL/);
  });

  it('lets an explicit opt-in take plain http to another host', () => {
    expect(requireSecureUrl('http://fake.internal:8080', { ...rule, allowInsecureHttp: true }).hostname).toBe('fake.internal');
  });

  it('knows loopback names', () => {
    expect([isLoopbackHost('LOCALHOST'), isLoopbackHost('[::1]'), isLoopbackHost('127.0.0.53'), isLoopbackHost('128.0.0.1'), isLoopbackHost('localhost.example')]).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
