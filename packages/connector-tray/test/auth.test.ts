import { describe, expect, it } from 'vitest';
import { AuthError, ConfigurationError, instantToLocalDateTime } from '@conecta/core';
import { createTrayConnector, exchangeTrayCode, refreshTrayToken, type TrayTokens } from '../src/index.js';
import { createTrayFake } from '../src/fake/index.js';
import { connectorOptions } from './helpers.js';

const paths = (fake: ReturnType<typeof createTrayFake>) => fake.requests().map((entry) => `${entry.method} ${entry.url.split('?')[0]} ${entry.status}`);

describe('tray tokens', () => {
  it('refuses a plain http api_address, since the access token travels in every query string', async () => {
    const fake = createTrayFake();
    const options = connectorOptions(fake);
    expect(() => createTrayConnector({ ...options, apiAddress: 'http://loja.commercesuite.com.br/web_api' })).toThrow(ConfigurationError);
    await expect(
      exchangeTrayCode({ apiAddress: 'http://loja.commercesuite.com.br/web_api', consumerKey: 'ck-123456', consumerSecret: 'cs-123456', code: 'code-123456' }),
    ).rejects.toBeInstanceOf(ConfigurationError);
    expect(fake.requests()).toEqual([]);
  });

  it('refreshes after a 401 "expired", retries the call and hands the new pair to onTokens', async () => {
    const fake = createTrayFake();
    const [id] = fake.seedOrders(1);
    const saved: TrayTokens[] = [];
    const connector = createTrayConnector(connectorOptions(fake, { onTokens: (tokens) => void saved.push(tokens) }));
    fake.expireAccessToken();

    const order = await connector.getOrder(id!);

    expect(order?.externalId).toBe(id);
    expect(paths(fake)).toEqual([`GET /web_api/orders/${id}/complete 401`, 'GET /web_api/auth 200', `GET /web_api/orders/${id}/complete 200`]);
    expect(saved).toHaveLength(1);
    expect(saved[0]!.accessToken).toBe(fake.tokens().accessToken);
    expect(saved[0]!.refreshToken).toBe(fake.tokens().refreshToken);
    expect(Date.parse(saved[0]!.accessTokenExpiresAt!)).toBeGreaterThan(Date.now());
  });

  it('uses the new refresh token next time, since Tray may spend the old one', async () => {
    const fake = createTrayFake();
    const [id] = fake.seedOrders(1);
    const connector = createTrayConnector(connectorOptions(fake));
    fake.expireAccessToken();
    await connector.getOrder(id!);
    fake.expireAccessToken();
    await expect(connector.getOrder(id!)).resolves.toMatchObject({ externalId: id });
    expect(paths(fake).filter((line) => line.startsWith('GET /web_api/auth'))).toEqual(['GET /web_api/auth 200', 'GET /web_api/auth 200']);
  });

  it('refreshes before the first call when the access token is about to expire', async () => {
    const fake = createTrayFake();
    fake.seedOrders(1);
    const expiresSoon = instantToLocalDateTime(new Date(Date.now() + 60_000));
    const options = connectorOptions(fake);
    const connector = createTrayConnector({ ...options, credentials: { ...options.credentials, accessTokenExpiresAt: expiresSoon } });

    const orders = [];
    for await (const page of connector.listOrders()) orders.push(...page.orders);
    expect(orders).toHaveLength(1);

    const log = paths(fake);
    expect(log[0]).toBe('GET /web_api/auth 200');
    expect(log.some((line) => line.endsWith(' 401'))).toBe(false);
  });

  it('shares one refresh between concurrent calls', async () => {
    const fake = createTrayFake();
    const ids = fake.seedOrders(4);
    const connector = createTrayConnector(connectorOptions(fake, { credentials: { ...connectorOptions(fake).credentials, accessTokenExpiresAt: '2000-01-01 00:00:00' } }));
    const orders = await Promise.all(ids.map((id) => connector.getOrder(id)));
    expect(orders.map((order) => order?.externalId)).toEqual(ids);
    expect(paths(fake).filter((line) => line.startsWith('GET /web_api/auth'))).toHaveLength(1);
  });

  it('gives an AuthError when the token expired and there is no refresh token', async () => {
    const fake = createTrayFake();
    const [id] = fake.seedOrders(1);
    const options = connectorOptions(fake);
    const connector = createTrayConnector({ ...options, webhook: undefined, credentials: { accessToken: options.credentials.accessToken } });
    fake.expireAccessToken();
    const error = await connector.getOrder(id!).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect(String((error as Error).message)).not.toContain(fake.credentials.accessToken);
    expect(paths(fake).some((line) => line.includes('/auth'))).toBe(false);
  });

  it('does not spend the refresh token when the store is blocked', async () => {
    const fake = createTrayFake();
    const [id] = fake.seedOrders(1);
    const connector = createTrayConnector(connectorOptions(fake));
    fake.setStoreState('blocked');
    const error = await connector.getOrder(id!).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toContain('1001');
    expect(paths(fake)).toEqual([`GET /web_api/orders/${id}/complete 401`]);
  });

  it('exchanges the install code with a form POST, once', async () => {
    const fake = createTrayFake();
    const fetchViaFake = (input: RequestInfo | URL, init?: RequestInit) => fake.handle(new Request(input, init));
    const request = {
      apiAddress: fake.baseUrl,
      consumerKey: fake.credentials.consumerKey,
      consumerSecret: fake.credentials.consumerSecret,
      code: fake.credentials.authorizationCode,
      fetch: fetchViaFake,
    };
    const tokens = await exchangeTrayCode(request);
    expect(tokens).toMatchObject({ accessToken: fake.tokens().accessToken, refreshToken: fake.tokens().refreshToken, apiAddress: fake.baseUrl, storeId: fake.storeId });
    // Tray's dates have no zone; they are read as São Paulo time (UTC-3).
    expect(instantToLocalDateTime(tokens.accessTokenExpiresAt!)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);

    const again = await exchangeTrayCode(request).catch((caught: unknown) => caught);
    expect(again).toBeInstanceOf(AuthError);
    expect(JSON.stringify(again) + String((again as Error).stack)).not.toContain(fake.credentials.consumerSecret);

    const refreshed = await refreshTrayToken({ apiAddress: fake.baseUrl, refreshToken: tokens.refreshToken, fetch: fetchViaFake });
    expect(refreshed.accessToken).toBe(fake.tokens().accessToken);
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
  });
});
