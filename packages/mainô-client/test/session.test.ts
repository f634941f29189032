import { AuthError } from '@conecta/core';
import type { HttpClient } from '@conecta/core/http';
import { assertNoSecret } from '@conecta/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAINO_DEFAULT_ENDPOINTS } from '../src/endpoints.js';
import { apiKeyCredentials, passwordCredentials } from '../src/session.js';

// The credential keeper on its own, against a scripted login answer and a pinned clock: which token each request
// carries and how many logins it costs are seen exactly.

const MATRIZ = '11222333000181';
const FILIAL = '11444777000161';
const NOT_REACHED = '45723174000110';
const CREDENTIALS = { applicationUid: 'app-uid-7f3c9e2a1b', email: 'compras@example.com.br', password: 'senha-muito-secreta-42' };
const TTL_SECONDS = 3_600;

/** An HttpClient that answers only the login, with a fresh token per company each time (`tok-<login>-<cnpj>`). */
function loginServer(reached: readonly string[] = [MATRIZ, FILIAL]) {
  let logins = 0;
  let release: (() => void) | undefined;
  const state = { hold: false };
  const http = {
    request: vi.fn(async () => {
      logins += 1;
      const n = logins;
      if (state.hold) await new Promise<void>((resolve) => (release = resolve));
      return { status: 200, data: Object.fromEntries(reached.map((cnpj) => [cnpj, { cnpj, access_token: `tok-${n}-${cnpj}`, expires_in: TTL_SECONDS }])) };
    }),
  } as unknown as HttpClient;
  return { http, logins: () => logins, state, release: () => release?.() };
}

async function bearer(credentials: ReturnType<typeof passwordCredentials>, cnpj: string): Promise<string | null> {
  const headers = new Headers();
  await credentials.authorize(cnpj, headers);
  return headers.get('authorization');
}

let now = Date.parse('2026-03-01T10:00:00Z');
afterEach(() => vi.restoreAllMocks());
const pinClock = () => vi.spyOn(Date, 'now').mockImplementation(() => now);

describe('passwordCredentials', () => {
  it('logs in once and gives each company its own token', async () => {
    pinClock();
    const server = loginServer();
    const credentials = passwordCredentials(server.http, MAINO_DEFAULT_ENDPOINTS.authenticate, CREDENTIALS, 60_000);
    expect(await bearer(credentials, MATRIZ)).toBe(`Bearer tok-1-${MATRIZ}`);
    expect(await bearer(credentials, FILIAL)).toBe(`Bearer tok-1-${FILIAL}`);
    expect(await bearer(credentials, MATRIZ)).toBe(`Bearer tok-1-${MATRIZ}`);
    expect(server.logins()).toBe(1);
  });

  it('concurrent first calls share one login', async () => {
    pinClock();
    const server = loginServer();
    server.state.hold = true;
    const credentials = passwordCredentials(server.http, MAINO_DEFAULT_ENDPOINTS.authenticate, CREDENTIALS, 60_000);
    const pending = Promise.all([bearer(credentials, MATRIZ), bearer(credentials, FILIAL), bearer(credentials, MATRIZ)]);
    await vi.waitFor(() => expect(server.logins()).toBe(1));
    server.release();
    expect(await pending).toEqual([`Bearer tok-1-${MATRIZ}`, `Bearer tok-1-${FILIAL}`, `Bearer tok-1-${MATRIZ}`]);
    expect(server.logins()).toBe(1);
  });

  it('keeps a token until marginMs before its expiry, then logs in again before using it', async () => {
    const clock = pinClock();
    const server = loginServer();
    const margin = 5 * 60_000;
    const credentials = passwordCredentials(server.http, MAINO_DEFAULT_ENDPOINTS.authenticate, CREDENTIALS, margin);
    const start = now;
    await bearer(credentials, MATRIZ);
    // One millisecond before the margin starts: still good.
    clock.mockImplementation(() => start + TTL_SECONDS * 1000 - margin - 1);
    expect(await bearer(credentials, MATRIZ)).toBe(`Bearer tok-1-${MATRIZ}`);
    expect(server.logins()).toBe(1);
    // From the moment the margin starts (an hour's token with five minutes left): renewed before the request goes out.
    clock.mockImplementation(() => start + TTL_SECONDS * 1000 - margin);
    expect(await bearer(credentials, MATRIZ)).toBe(`Bearer tok-2-${MATRIZ}`);
    expect(server.logins()).toBe(2);
  });

  it('a login that does not reach the company is an AuthError naming it, without the password', async () => {
    pinClock();
    const server = loginServer([MATRIZ]);
    const credentials = passwordCredentials(server.http, MAINO_DEFAULT_ENDPOINTS.authenticate, CREDENTIALS, 60_000);
    const error = await bearer(credentials, NOT_REACHED).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toBe(`maino: the login has no access to company ${NOT_REACHED}`);
    assertNoSecret(error, [CREDENTIALS.password]);
  });

  it('renew after a 401 logs in again and the next request carries the new token', async () => {
    pinClock();
    const server = loginServer();
    const credentials = passwordCredentials(server.http, MAINO_DEFAULT_ENDPOINTS.authenticate, CREDENTIALS, 60_000);
    await bearer(credentials, MATRIZ);
    expect(await credentials.renew(MATRIZ)).toBe(true);
    expect(server.logins()).toBe(2);
    expect(await bearer(credentials, MATRIZ)).toBe(`Bearer tok-2-${MATRIZ}`);
  });

  it('two requests refused with the same token renew it once: the second sees the first one\'s login', async () => {
    pinClock();
    const server = loginServer();
    const credentials = passwordCredentials(server.http, MAINO_DEFAULT_ENDPOINTS.authenticate, CREDENTIALS, 60_000);
    await bearer(credentials, MATRIZ);
    server.state.hold = true;
    const first = credentials.renew(MATRIZ);
    const second = credentials.renew(FILIAL);
    await vi.waitFor(() => expect(server.logins()).toBe(2));
    server.release();
    expect(await Promise.all([first, second])).toEqual([true, true]);
    expect(server.logins()).toBe(2);
    // A 401 that arrives after the renewal, for a request sent with the old token, costs no further login.
    server.state.hold = false;
    expect(await bearer(credentials, FILIAL)).toBe(`Bearer tok-2-${FILIAL}`);
    expect(server.logins()).toBe(2);
  });

  it('renew tells a company the fresh login no longer reaches that the 401 stands', async () => {
    pinClock();
    let reached = [MATRIZ, FILIAL];
    let logins = 0;
    const http = {
      request: async () => {
        logins += 1;
        return { status: 200, data: Object.fromEntries(reached.map((cnpj) => [cnpj, { cnpj, access_token: `tok-${logins}-${cnpj}`, expires_in: TTL_SECONDS }])) };
      },
    } as unknown as HttpClient;
    const credentials = passwordCredentials(http, MAINO_DEFAULT_ENDPOINTS.authenticate, CREDENTIALS, 60_000);
    await bearer(credentials, FILIAL);
    reached = [MATRIZ];
    expect(await credentials.renew(FILIAL)).toBe(false);
    // A company it never had a token for: no crash, the 401 stands.
    expect(await credentials.renew(NOT_REACHED)).toBe(false);
    expect(await credentials.renew(MATRIZ)).toBe(true);
  });

  it('a failed login is not cached: the next call logs in again', async () => {
    pinClock();
    let logins = 0;
    const http = {
      request: async () => {
        logins += 1;
        if (logins === 1) throw new AuthError('maino: 401 on authentication');
        return { status: 200, data: { [MATRIZ]: { cnpj: MATRIZ, access_token: `tok-${logins}-${MATRIZ}`, expires_in: TTL_SECONDS } } };
      },
    } as unknown as HttpClient;
    const credentials = passwordCredentials(http, MAINO_DEFAULT_ENDPOINTS.authenticate, CREDENTIALS, 60_000);
    await expect(bearer(credentials, MATRIZ)).rejects.toBeInstanceOf(AuthError);
    expect(await bearer(credentials, MATRIZ)).toBe(`Bearer tok-2-${MATRIZ}`);
    expect(logins).toBe(2);
  });
});

describe('apiKeyCredentials', () => {
  it('puts each company its own key as X-Api-Key, and cannot renew it', async () => {
    const credentials = apiKeyCredentials(new Map([[MATRIZ, 'key-a-5d1e8f0c9b7a'], [FILIAL, 'key-b-2c4e6a8b0d1f']]));
    for (const [cnpj, key] of [[MATRIZ, 'key-a-5d1e8f0c9b7a'], [FILIAL, 'key-b-2c4e6a8b0d1f']] as const) {
      const headers = new Headers();
      await credentials.authorize(cnpj, headers);
      expect(headers.get('x-api-key')).toBe(key);
    }
    expect(await credentials.renew(MATRIZ)).toBe(false);
  });

  it('sets no key for a company it has none for', async () => {
    const credentials = apiKeyCredentials(new Map([[MATRIZ, 'key-a-5d1e8f0c9b7a']]));
    const headers = new Headers();
    await credentials.authorize(NOT_REACHED, headers);
    expect([...headers.keys()]).toEqual([]);
  });

  it('registers every key as a secret, so no error text shows it', async () => {
    const key = 'key-z-9f8e7d6c5b4a3';
    apiKeyCredentials(new Map([[MATRIZ, key]]));
    assertNoSecret(new AuthError(`maino: 401 for X-Api-Key ${key}`), [key]);
  });
});
