import { UpstreamError } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import { createWooCommerceFake } from '../src/fake/index.js';
import { collect, connectTo, idsOf } from './helpers.js';

/** A host's maintenance page, answered with 200 as shared hosting often does. */
const MAINTENANCE = '<!DOCTYPE html><html><body><h1>Briefly unavailable for scheduled maintenance.</h1></body></html>';

describe('listing pages whose body is not JSON', () => {
  it('asks again for a snapshot page that came back as an HTML page, and lists every order once', async () => {
    const fake = createWooCommerceFake();
    const ids = fake.seedOrders(450);
    const requested: string[] = [];
    let spoiled = 0;
    const connector = connectTo(fake, {
      concurrency: 3,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const url = new URL(request.url);
        if (url.pathname.endsWith('/orders')) requested.push(url.searchParams.get('page') ?? '');
        if (url.pathname.endsWith('/orders') && url.searchParams.get('page') === '3' && spoiled === 0) {
          spoiled += 1;
          return new Response(MAINTENANCE, { status: 200, headers: { 'content-type': 'text/html; charset=UTF-8' } });
        }
        return fake.handle(request);
      },
    });
    const pages = await collect(connector.listOrders());
    expect(idsOf(pages)).toEqual(ids);
    expect(spoiled).toBe(1);
    expect(requested.filter((page) => page === '3')).toHaveLength(2);
  });

  it('fails with an upstream error when the page stays unreadable through the retries', async () => {
    const fake = createWooCommerceFake();
    fake.seedOrders(250);
    let pageTwoAnswers = 0;
    const connector = connectTo(fake, {
      http: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 },
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const url = new URL(request.url);
        if (url.pathname.endsWith('/orders') && url.searchParams.get('page') === '2') {
          pageTwoAnswers += 1;
          return new Response(MAINTENANCE, { status: 200, headers: { 'content-type': 'text/html; charset=UTF-8' } });
        }
        return fake.handle(request);
      },
    });
    const error = await collect(connector.listOrders()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as Error).message).toMatch(/page=2.*not valid JSON/);
    // The first answer, then the JSON path's own attempts.
    expect(pageTwoAnswers).toBe(1 + 3);
  });
});
