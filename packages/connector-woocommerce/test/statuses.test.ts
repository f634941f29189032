import { resolveStatus } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import { createWooCommerceFake } from '../src/fake/index.js';
import { connectTo } from './helpers.js';

describe('statuses', () => {
  it('maps every WooCommerce status, paid orders to pending and unpaid ones to ignored', () => {
    const { defaultStatusDictionary: dictionary } = connectTo(createWooCommerceFake());
    const states = Object.fromEntries(
      ['pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'checkout-draft', 'trash'].map((code) => [code, resolveStatus(dictionary, code).state]),
    );
    expect(states).toEqual({
      pending: 'ignored',
      processing: 'pending',
      'on-hold': 'ignored',
      completed: 'finalized',
      cancelled: 'cancelled',
      refunded: 'cancelled',
      failed: 'ignored',
      'checkout-draft': 'ignored',
      trash: 'cancelled',
    });
    expect(resolveStatus(dictionary, 'wc-custom-plugin').unmapped).toBe(true);
  });

  it('reads the store’s statuses from /reports/orders/totals when asked to', async () => {
    const fake = createWooCommerceFake();
    const statuses = await connectTo(fake, { statusSource: 'reports' }).statuses();
    expect(statuses).toContainEqual({ code: 'on-hold', label: 'On hold' });
    expect(statuses).toContainEqual({ code: 'trash', label: 'Trash' });
    expect(fake.requests().map((entry) => entry.url)).toEqual(['/wp-json/wc/v3/reports/orders/totals']);
  });
});
