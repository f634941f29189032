import { describe, expect, it } from 'vitest';
import { createTokenBucket } from '../src/http/index.js';
import { RateLimitError } from '../src/index.js';

const maxInWindow = (times: number[], windowMs: number) => {
  let max = 0;
  for (let start = 0; start < times.length; start += 1) {
    let end = start;
    while (end < times.length && times[end]! - times[start]! < windowMs) end += 1;
    max = Math.max(max, end - start);
  }
  return max;
};

describe('token bucket', () => {
  it('never lets more than `requests` calls start in one window, even with a full burst', async () => {
    const bucket = createTokenBucket({ requests: 5, intervalMs: 200, source: 'test' });
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 15 }, () => bucket.take().then(() => starts.push(Date.now()))));
    starts.sort((a, b) => a - b);
    expect(maxInWindow(starts, 200)).toBeLessThanOrEqual(5);
    // The burst goes out at once; the rest follow window by window, close to the limit.
    expect(starts[4]! - starts[0]!).toBeLessThan(50);
    expect(starts[14]! - starts[0]!).toBeLessThan(700);
  });

  it('spreads calls evenly with burst 1', async () => {
    const bucket = createTokenBucket({ requests: 10, intervalMs: 200, burst: 1, source: 'test' });
    const starts: number[] = [];
    const before = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => bucket.take().then(() => starts.push(Date.now()))));
    starts.sort((a, b) => a - b);
    // The n-th caller never starts before its slot, n x 20 ms after the first. Measured from before the first take, not
    // between neighbours: a loaded machine may wake one caller late, which shortens the gap to the next on-time one.
    for (let index = 1; index < starts.length; index += 1) expect(starts[index]! - before).toBeGreaterThanOrEqual(index * 20 - 2);
  });

  it('holds every caller after a pause and spends a daily quota', async () => {
    const bucket = createTokenBucket({ requests: 100, intervalMs: 1000, perDay: 2, source: 'test' });
    bucket.pauseUntil(Date.now() + 150);
    const started = Date.now();
    await bucket.take();
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
    await bucket.take();
    await expect(bucket.take()).rejects.toBeInstanceOf(RateLimitError);
  });
});
