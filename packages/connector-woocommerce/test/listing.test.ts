import type { OrderPage } from '@conecta/core';
import { describe, expect, it, vi } from 'vitest';
import { createWooCommerceFake } from '../src/fake/index.js';
import { collect, connectTo, idsOf } from './helpers.js';

describe('listing orders', () => {
  it('fetches pages concurrently, each once, and yields them oldest change first', async () => {
    const fake = createWooCommerceFake({ latencyMs: 20 });
    const ids = fake.seedOrders(950);
    const pages = await collect(connectTo(fake, { concurrency: 4 }).listOrders());
    const seen = idsOf(pages);
    expect(seen).toEqual(ids);
    const updated = pages.flatMap((page) => page.orders.map((order) => Date.parse(order.updatedAt)));
    expect(updated).toEqual([...updated].sort((a, b) => a - b));
    const urls = fake.requests().map((entry) => entry.url);
    expect(new Set(urls).size, 'a page (or a SKU lookup) fetched twice').toBe(urls.length);
    expect(fake.maxInFlight()).toBeGreaterThan(1);
    // 1 head page + the bounded snapshot (pages of 100) + the closing head page; lines sent without SKU add one
    // lookup per variation, not per order.
    const pageUrls = urls.filter((url) => url.includes('/orders'));
    expect(pageUrls.length).toBeLessThanOrEqual(13);
    expect(urls.length - pageUrls.length).toBeLessThanOrEqual(3);
  });

  it('asks for the snapshot while the head page is mapped, and stops asking when the caller stops after the head', async () => {
    const fake = createWooCommerceFake({ latencyMs: 20 });
    fake.seedOrders(950);
    const iterator = connectTo(fake, { concurrency: 4 }).listOrders()[Symbol.asyncIterator]();
    const head = await iterator.next();
    expect(head.done).toBe(false);
    expect(head.value?.orders).toHaveLength(100);
    const snapshotRequests = () => fake.requests().filter((entry) => entry.url.includes('modified_before='));
    // The caller has not asked for a second page: the snapshot's pages are already on their way (at most `concurrency`).
    await vi.waitFor(() => expect(snapshotRequests().length).toBe(4));
    await iterator.return?.(undefined);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(snapshotRequests()).toHaveLength(4);
    expect(fake.requests().filter((entry) => entry.url.includes('/orders'))).toHaveLength(5);
  });

  it("sends the head page's SKU lookups before the snapshot's pages, and a page's lookups together", async () => {
    const fake = createWooCommerceFake({ latencyMs: 20 });
    fake.seedOrders(950);
    const calls: string[] = [];
    let lookupsInFlight = 0;
    let mostLookupsInFlight = 0;
    const connector = connectTo(fake, {
      concurrency: 4,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const { pathname, searchParams } = new URL(request.url);
        const lookup = pathname.includes('/products/');
        calls.push(lookup ? 'lookup' : searchParams.has('modified_before') ? 'snapshot' : 'head');
        if (lookup) mostLookupsInFlight = Math.max(mostLookupsInFlight, (lookupsInFlight += 1));
        try {
          return await fake.handle(request);
        } finally {
          if (lookup) lookupsInFlight -= 1;
        }
      },
    });
    const iterator = connector.listOrders()[Symbol.asyncIterator]();
    const head = await iterator.next();
    await iterator.return?.(undefined);
    const headLookups = head.value!.orders.length > 0 ? calls.slice(1, calls.indexOf('snapshot')) : [];
    // The fake's first 100 orders have lines without a SKU: their lookups leave right after the head page, before the
    // snapshot's first page, and are in flight together rather than one round trip after another.
    expect(calls[0]).toBe('head');
    expect(headLookups.length).toBeGreaterThan(1);
    expect(headLookups.every((call) => call === 'lookup')).toBe(true);
    expect(mostLookupsInFlight).toBeGreaterThan(1);
  });

  it('sends GMT filters ordered by modification, ascending', async () => {
    const fake = createWooCommerceFake();
    fake.seedOrders(150);
    await collect(connectTo(fake).listOrders({ since: '2024-05-01T12:00:05Z' }));
    const first = new URL(fake.requests()[0]!.url, fake.baseUrl).searchParams;
    expect(Object.fromEntries(first)).toMatchObject({
      modified_after: '2024-05-01T12:00:04',
      dates_are_gmt: 'true',
      orderby: 'modified',
      order: 'asc',
      per_page: '100',
    });
  });

  it('lists orders changed at or after `since`, whole second included', async () => {
    const fake = createWooCommerceFake();
    const ids = fake.seedOrders(30); // three orders per second from 12:00:01
    const pages = await collect(connectTo(fake).listOrders({ since: '2024-05-01T12:00:05.400Z' }));
    expect(idsOf(pages)).toEqual(ids.slice(12));
  });

  it('resumes inside a second shared by several orders without losing or repeating any', async () => {
    const fake = createWooCommerceFake();
    const ids = fake.seedOrders(40);
    // Pages of 4 against three orders per second put most page boundaries inside a second.
    const connector = connectTo(fake, { pageSize: 4 });
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let round = 0; round < 30; round += 1) {
      const iterator = connector.listOrders(cursor ? { cursor } : {})[Symbol.asyncIterator]();
      const next = await iterator.next();
      await iterator.return?.();
      if (next.done) break;
      seen.push(...next.value.orders.map((order) => order.externalId));
      cursor = next.value.cursor;
    }
    expect(seen).toEqual(ids);
  });

  it('loses nothing when an order in front of the read position changes during a concurrent pass', async () => {
    const fake = createWooCommerceFake({ latencyMs: 5 });
    const ids = fake.seedOrders(600);
    // The head page covers the first 100; the snapshot (after the cursor) starts around the 100th.
    const early = ids[150]!;
    let moved = false;
    let pageTwoAnswered!: () => void;
    const pageTwo = new Promise<void>((resolve) => (pageTwoAnswered = resolve));
    const connector = connectTo(fake, {
      concurrency: 2,
      fetch: async (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        const snapshotPage = url.searchParams.has('modified_before') ? url.searchParams.get('page') : null;
        // Page 3 of the snapshot is asked for once its page 1 was handed over. Once page 2 is answered, an order
        // page 1 covered moves to the end, so page 3's offsets are one further on than page 2's.
        if (!moved && snapshotPage === '3') {
          await pageTwo;
          moved = true;
          fake.modifyOrder(early);
        }
        const response = await fake.handle(new Request(input, init));
        if (snapshotPage === '2') pageTwoAnswered();
        return response;
      },
    });
    const seen = idsOf(await collect(connector.listOrders()));
    for (const id of ids) expect(seen, `order ${id} lost`).toContain(id);
    const repeated = seen.filter((id, index) => seen.indexOf(id) !== index);
    expect(moved).toBe(true);
    // Seen before the move and again after it, as its change deserves; no other order twice.
    expect(repeated).toEqual([early]);
  });

  it('walks pages that share the cursor second when a whole page was already emitted', async () => {
    const fake = createWooCommerceFake();
    const ids = fake.seedOrders(9);
    const connector = connectTo(fake, { pageSize: 2 });
    const iterator = connector.listOrders()[Symbol.asyncIterator]();
    const first = (await iterator.next()).value as OrderPage;
    await iterator.return?.();
    const rest = idsOf(await collect(connector.listOrders({ cursor: first.cursor })));
    expect([...first.orders.map((order) => order.externalId), ...rest]).toEqual(ids);
  });

  it('rejects a cursor that is not its own', async () => {
    const fake = createWooCommerceFake();
    await expect(collect(connectTo(fake).listOrders({ cursor: 'page=3' }))).rejects.toThrow(/cursor/);
  });
});
