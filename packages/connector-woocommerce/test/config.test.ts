import { AuthError, ConfigurationError } from '@conecta/core';
import { assertNoSecret } from '@conecta/core/testing';
import { describe, expect, it } from 'vitest';
import { createWooCommerceConnector } from '../src/index.js';
import { createWooCommerceFake } from '../src/fake/index.js';
import { collect, connectTo } from './helpers.js';

const keys = { consumerKey: 'ck_1234567890abcdef', consumerSecret: 'cs_1234567890abcdef' };

describe('configuration', () => {
  it('refuses a plain http store URL unless explicitly allowed', () => {
    expect(() => createWooCommerceConnector({ storeUrl: 'http://shop.example.com', ...keys })).toThrow(ConfigurationError);
    expect(createWooCommerceConnector({ storeUrl: 'http://127.0.0.1:8080', ...keys, allowInsecureHttp: true }).platform).toBe('woocommerce');
    expect(createWooCommerceConnector({ storeUrl: 'https://shop.example.com/', ...keys }).platform).toBe('woocommerce');
  });

  it('refuses a page size above WooCommerce’s 100 and missing keys', () => {
    expect(() => createWooCommerceConnector({ storeUrl: 'https://shop.example.com', ...keys, pageSize: 101 })).toThrow(ConfigurationError);
    expect(() => createWooCommerceConnector({ storeUrl: 'https://shop.example.com', consumerKey: '', consumerSecret: 'cs_secret_1234' })).toThrow(ConfigurationError);
  });

  it('sends the keys as query parameters in query mode, without an Authorization header', async () => {
    const fake = createWooCommerceFake();
    fake.seedOrders(2);
    const seenAuthorization: Array<string | null> = [];
    const connector = connectTo(fake, {
      authMode: 'query',
      fetch: (input, init) => {
        const request = new Request(input, init);
        seenAuthorization.push(request.headers.get('authorization'));
        return fake.handle(request);
      },
    });
    const pages = await collect(connector.listOrders());
    expect(pages.flatMap((page) => page.orders)).toHaveLength(2);
    expect(seenAuthorization.every((value) => value === null)).toBe(true);
    expect(fake.requests()[0]!.url).toContain(`consumer_key=${fake.consumerKey}`);
  });

  it('keeps query-string keys out of the error when they are wrong', async () => {
    const fake = createWooCommerceFake();
    const wrongSecret = 'cs_wrong_but_secret_1234567890';
    const connector = connectTo(fake, { authMode: 'query', consumerSecret: wrongSecret });
    const error = await collect(connector.listOrders()).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AuthError);
    assertNoSecret(error, [wrongSecret, fake.consumerKey]);
  });
});
