import { describe, expect, it } from 'vitest';
import { RateLimitError, type OrderPage } from '@conecta/core';
import { createTokenBucket } from '@conecta/core/http';
import { createTrayConnector } from '../src/index.js';
import { createTrayFake } from '../src/fake/index.js';
import { connectorOptions } from './helpers.js';

async function firstError(pages: AsyncIterable<OrderPage>): Promise<unknown> {
  try {
    for await (const page of pages) void page;
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('tray rate limits', () => {
  it('never lets more than 180 requests into any minute, and counts 10,000 a day', async () => {
    const connector = createTrayConnector(connectorOptions(createTrayFake()));
    expect(connector.rateLimit.perDay).toBe(10_000);
    let now = 0;
    const bucket = createTokenBucket(connector.rateLimit, { now: () => now });
    const starts: number[] = [];
    for (let index = 0; index < 600; index += 1) {
      now += bucket.waitTime();
      await bucket.take();
      starts.push(now);
    }
    let busiest = 0;
    for (let first = 0; first < starts.length; first += 1) {
      let last = first;
      while (last < starts.length && starts[last]! - starts[first]! < 60_000) last += 1;
      busiest = Math.max(busiest, last - first);
    }
    expect(busiest).toBeLessThanOrEqual(180);
    expect(busiest).toBeGreaterThanOrEqual(170);
  });

  it('stops with a RateLimitError before the daily quota is overrun, without calling Tray', async () => {
    const fake = createTrayFake();
    fake.seedOrders(5);
    const connector = createTrayConnector(connectorOptions(fake, { rateLimit: { perDay: 3 } }));
    const error = await firstError(connector.listOrders());
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(60_000);
    expect(fake.requests()).toHaveLength(3);
  });

  it("surfaces Tray's own daily-quota 429 as a RateLimitError carrying the wait, without sleeping through it", async () => {
    const fake = createTrayFake({ dailyLimit: 2 });
    fake.seedOrders(5);
    // One read at a time, so the request log shows exactly one 429 and no retry after it.
    const connector = createTrayConnector(connectorOptions(fake, { concurrency: 1 }));
    const started = Date.now();
    const error = await firstError(connector.listOrders());
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(60_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(fake.requests().map((entry) => entry.status)).toEqual([200, 200, 429]);
  });

  it('pushes stock to variants and simple products by exact reference, in whole units', async () => {
    const fake = createTrayFake();
    fake.seedProducts(['ABC-1', 'ABC-10']);
    fake.seedProductWithVariants('SHIRT', ['SHIRT-M', 'SHIRT-G']);
    const connector = createTrayConnector(connectorOptions(fake));
    const progress: number[] = [];
    const result = await connector.pushStock!(
      [
        { sku: 'ABC-1', quantityMilli: 2500 },
        { sku: 'SHIRT-M', quantityMilli: 4000 },
        { sku: 'SHIRT', quantityMilli: 1000 },
        { sku: 'ABC', quantityMilli: 1000 },
      ],
      { onProgress: (done) => progress.push(done) },
    );
    expect(result.updated).toEqual(['ABC-1', 'SHIRT-M']);
    expect(result.notFound).toEqual(['ABC']);
    expect(result.failed).toEqual([expect.objectContaining({ sku: 'SHIRT', code: 'HAS_VARIANTS' })]);
    expect(fake.stockOf('ABC-1')).toBe(2000);
    expect(fake.stockOf('ABC-10')).toBe(10_000);
    expect(fake.stockOf('SHIRT-M')).toBe(4000);
    expect(fake.stockOf('SHIRT-G')).toBe(5000);
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(fake.requests().filter((entry) => entry.method === 'PUT').map((entry) => entry.url.split('?')[0])).toEqual([
      expect.stringMatching(/^\/web_api\/products\/\d+$/),
      expect.stringMatching(/^\/web_api\/products\/variants\/\d+$/),
    ]);
  });
});

describe('tray stock push: what stops it and what fails one SKU', () => {
  it('fails only the SKU whose lookup Tray refuses, and pushes the rest', async () => {
    const fake = createTrayFake();
    fake.seedProducts(['ABC-1', 'ABC-2']);
    const connector = createTrayConnector(connectorOptions(fake));
    fake.failNext(1, 400);
    const result = await connector.pushStock!([
      { sku: 'ABC-1', quantityMilli: 3000 },
      { sku: 'ABC-2', quantityMilli: 4000 },
    ]);
    expect(result.updated).toEqual(['ABC-2']);
    expect(result.failed).toEqual([{ sku: 'ABC-1', code: expect.any(String) as unknown, message: expect.stringContaining('400') as unknown }]);
    expect(fake.stockOf('ABC-1')).toBe(10_000);
    expect(fake.stockOf('ABC-2')).toBe(4000);
  });

  it('stops at an authentication failure instead of reporting each SKU failed', async () => {
    const fake = createTrayFake();
    fake.seedProducts(['ABC-1', 'ABC-2']);
    const connector = createTrayConnector(connectorOptions(fake));
    fake.failNext(20, 401);
    const error = await connector.pushStock!([{ sku: 'ABC-1', quantityMilli: 3000 }, { sku: 'ABC-2', quantityMilli: 4000 }]).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'AUTH' });
  });

  it('refuses a reference several variants or products share, naming how many, and looks SKUs up by reference', async () => {
    const fake = createTrayFake();
    fake.seedProductWithVariants('SHIRT', ['SHIRT-M', 'SHIRT-M']);
    fake.seedProducts(['MUG', 'MUG', 'CAP']);
    fake.seedProductWithVariants('HAT', ['HAT-P']);
    const connector = createTrayConnector(connectorOptions(fake));
    const result = await connector.pushStock!([
      { sku: 'SHIRT-M', quantityMilli: 1000 },
      { sku: 'MUG', quantityMilli: 1000 },
      { sku: 'HAT', quantityMilli: 1000 },
      { sku: 'CAP', quantityMilli: 1000 },
    ]);
    expect(result.failed).toEqual([
      { sku: 'SHIRT-M', code: 'AMBIGUOUS_SKU', message: 'tray: 2 variants have the reference SHIRT-M' },
      { sku: 'MUG', code: 'AMBIGUOUS_SKU', message: 'tray: 2 products have the reference MUG' },
      { sku: 'HAT', code: 'HAS_VARIANTS', message: "tray: HAT is a product with variations; push its variants' references instead" },
    ]);
    expect(result.updated).toEqual(['CAP']);
    const lookups = fake.requests().filter((entry) => entry.method === 'GET').map((entry) => new URL(entry.url, 'https://x').searchParams.get('reference'));
    expect(lookups.every((reference) => reference !== null)).toBe(true);
  });
});
