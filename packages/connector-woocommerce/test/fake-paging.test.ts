import { describe, expect, it } from 'vitest';
import { createWooCommerceFake, type WooCommerceFake } from '../src/fake/index.js';

/** `GET /orders` on the fake as the connector sends it (Basic auth), ids and paging headers back. */
async function listPage(fake: WooCommerceFake, query: Record<string, string>): Promise<{ ids: number[]; total: string | null; pages: string | null }> {
  const url = new URL(`${fake.baseUrl}/wp-json/wc/v3/orders`);
  for (const [key, value] of Object.entries({ per_page: '10', orderby: 'modified', order: 'asc', dates_are_gmt: 'true', ...query })) url.searchParams.set(key, value);
  const response = await fake.handle(
    new Request(url, { headers: { authorization: `Basic ${Buffer.from(`${fake.consumerKey}:${fake.consumerSecret}`).toString('base64')}` } }),
  );
  const body = (await response.json()) as Array<{ id: number }>;
  return { ids: body.map((order) => order.id), total: response.headers.get('x-wp-total'), pages: response.headers.get('x-wp-totalpages') };
}

describe('the WooCommerce fake pages a listing from one computed result per query', () => {
  it('still answers every page with what the store holds after each kind of change', async () => {
    const fake = createWooCommerceFake();
    const ids = fake.seedOrders(25).map(Number);
    expect(await listPage(fake, { page: '1' })).toEqual({ ids: ids.slice(0, 10), total: '25', pages: '3' });
    expect((await listPage(fake, { page: '3' })).ids).toEqual(ids.slice(20));

    // A modification moves the order to the end of a listing by modification time.
    fake.modifyOrder(String(ids[0]));
    expect((await listPage(fake, { page: '1' })).ids).toEqual(ids.slice(1, 11));
    expect((await listPage(fake, { page: '3' })).ids).toEqual([...ids.slice(21), ids[0]]);

    // A status change takes it out of a status filter, and trash out of the default listing.
    fake.modifyOrder(String(ids[1]), { status: 'trash' });
    expect((await listPage(fake, { page: '1', status: 'processing' })).ids).not.toContain(ids[1]);
    expect((await listPage(fake, { page: '1' })).total).toBe('24');

    // New orders and published payloads join the listing.
    const added = fake.seedOrders(2).map(Number);
    const published = fake.loadPublishedOrder({ id: 9001, status: 'processing', date_created_gmt: '2030-01-01T00:00:00', date_modified_gmt: '2030-01-01T00:00:00' });
    const last = await listPage(fake, { page: '3' });
    expect(last.total).toBe('27');
    expect(last.ids.slice(-3)).toEqual([...added, Number(published)]);

    // A bounded query of the same store is its own listing.
    expect((await listPage(fake, { page: '1', modified_before: '2024-05-01T12:00:03' })).ids).toEqual(ids.slice(2, 6));

    fake.reset();
    expect(await listPage(fake, { page: '1' })).toEqual({ ids: [], total: '0', pages: '0' });
  });
});
