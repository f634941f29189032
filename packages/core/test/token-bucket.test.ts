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

  it('holds calls already waiting for a slot when a throttle pauses the credential, keeping their spacing', async () => {
    // 4 per 400 ms, burst 1: slots 100 ms apart. The first starts at once, the next three are waiting when the server
    // throttles; they must not go out during the pause, nor all at its end.
    const bucket = createTokenBucket({ requests: 4, intervalMs: 400, burst: 1, source: 'test' });
    const starts: number[] = [];
    await bucket.take();
    const rest = Array.from({ length: 3 }, () => bucket.take().then(() => starts.push(Date.now())));
    const until = Date.now() + 300;
    bucket.pauseUntil(until);
    await Promise.all(rest);
    starts.sort((a, b) => a - b);
    // Lower bounds only, from the pause's end: a loaded machine may wake a caller late, never early.
    for (const [index, at] of starts.entries()) expect(at - until).toBeGreaterThanOrEqual(index * 100 - 2);
  });

  it('widens the window margin after throttles and gives the widening back after calls without one', async () => {
    let now = 1_000_000;
    const bucket = createTokenBucket({ requests: 2, intervalMs: 1000, burst: 2, source: 'test' }, { now: () => now });
    const starts: number[] = [];
    const next = async () => {
      now += bucket.waitTime();
      await bucket.take();
      starts.push(now);
    };
    const windowGap = () => starts.at(-1)! - starts.at(-3)!;
    for (let index = 0; index < 4; index += 1) await next();
    // The base margin: 3% of the window.
    expect(windowGap()).toBe(1030);
    // A throttle (the server saw our window as short) widens it by the base; a second one in the same window does not.
    bucket.pauseUntil(now);
    bucket.pauseUntil(now);
    for (let index = 0; index < 2; index += 1) await next();
    expect(windowGap()).toBe(1060);
    // Throttles in later windows keep widening it, up to a tenth of the window.
    for (let throttle = 0; throttle < 6; throttle += 1) {
      now += 1000;
      bucket.pauseUntil(now);
      await next();
    }
    for (let index = 0; index < 3; index += 1) await next();
    expect(windowGap()).toBe(1100);
    // 100 calls without a throttle give back half of the widening (100 - 30 = 70 -> 35), 200 three quarters.
    for (let index = 0; index < 97; index += 1) await next();
    for (let index = 0; index < 2; index += 1) await next();
    expect(windowGap()).toBe(1065);
    for (let index = 0; index < 100; index += 1) await next();
    expect(windowGap()).toBe(1047.5);
  });
});
