import { ValidationError } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import { createWooCommerceFake } from '../src/fake/index.js';
import { collect, connectTo, idsOf } from './helpers.js';

/** The first error a listing throws, or undefined. */
async function listingError(pages: AsyncIterable<unknown>): Promise<unknown> {
  try {
    for await (const page of pages) void page;
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('listing cursor', () => {
  it('resumes from a cursor saved by an earlier release, in the format it was handed out', async () => {
    const fake = createWooCommerceFake();
    // Three orders per second from 12:00:01: 1001-1003 at :01, 1004-1006 at :02, 1007-1009 at :03.
    const ids = fake.seedOrders(9);
    // Saved after reading 1004 and 1005, the first two orders of second :02.
    const saved = '{"v":1,"modified":"2024-05-01T12:00:02.000Z","ids":["1004","1005"]}';
    const pages = await collect(connectTo(fake).listOrders({ cursor: saved }));
    expect(idsOf(pages)).toEqual(ids.slice(5));
    // The query starts one second before the cursor's instant, so an inclusive or exclusive filter both hold it.
    const query = new URL(fake.requests()[0]!.url, fake.baseUrl).searchParams;
    expect(query.get('modified_after')).toBe('2024-05-01T12:00:01');
    // The cursor handed back keeps that format: the last instant read and the ids read at it.
    expect(JSON.parse(pages.at(-1)!.cursor)).toEqual({ v: 1, modified: '2024-05-01T12:00:03.000Z', ids: ['1007', '1008', '1009'] });
  });

  it('refuses a cursor whose instant is not one, naming the field', async () => {
    const fake = createWooCommerceFake();
    fake.seedOrders(3);
    const error = await listingError(connectTo(fake).listOrders({ cursor: '{"v":1,"modified":"2024-02-30T25:61:00","ids":[]}' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).path).toBe('cursor.modified');
    expect((error as ValidationError).message).toContain('not a WooCommerce cursor');
    expect(fake.requests()).toEqual([]);
  });

  it('a listing from `since` hands back the instant it reached and only the ids read at it', async () => {
    const fake = createWooCommerceFake();
    const ids = fake.seedOrders(9);
    // `since` at the second of 1007-1009 (whole seconds, as WooCommerce stores them).
    const pages = await collect(connectTo(fake).listOrders({ since: '2024-05-01T12:00:03.500Z' }));
    expect(idsOf(pages)).toEqual(ids.slice(6));
    expect(JSON.parse(pages.at(-1)!.cursor)).toEqual({ v: 1, modified: '2024-05-01T12:00:03.000Z', ids: ['1007', '1008', '1009'] });
  });

  it('refuses a `since` that is not an ISO instant, naming it', async () => {
    const fake = createWooCommerceFake();
    const error = await listingError(connectTo(fake).listOrders({ since: 'ontem' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).path).toBe('since');
    expect((error as ValidationError).message).toContain('"ontem" is not an ISO instant');
  });
});
