// Rate limiting: createHttpClient with rateLimit { requests: 20, intervalMs: 1000 } against a local fake that allows
// 20 requests per second per credential over a sliding one-second window and answers 429 with Retry-After beyond.
// Eight callers share the client for ~10 s. Figures: achieved rate over the limit (goal >= 0.95) and the share of
// requests answered 429 (goal <= 1%).
//
// Run: node bench/run-ts.mjs bench/rate-limit.ts [--seconds=10] [--concurrency=8]
//
// Variants: burst 1, the default burst (= requests), and, for comparison, a sliding-log limiter (the fix proposed in
// docs/benchmarks.md) applied through the client's `fetch` hook with the client's own bucket opened wide.
import { createHttpClient, serveHandler } from '@conecta/core/http';
import { setTimeout as sleep } from 'node:timers/promises';
import { arg, fmt, verdict } from './lib.js';

const SECONDS = Number(arg('seconds', '10'));
const CONCURRENCY = Number(arg('concurrency', '8'));
const LIMIT = 20;
const WINDOW_MS = 1000;

interface ServerCounts {
  ok: number;
  throttled: number;
}

/** A server allowing LIMIT requests per credential in any sliding WINDOW_MS; 429 + Retry-After (whole seconds) beyond. */
async function startServer(): Promise<{ url: string; counts: Map<string, ServerCounts>; close: () => Promise<void> }> {
  const windows = new Map<string, number[]>();
  const counts = new Map<string, ServerCounts>();
  const server = await serveHandler((request) => {
    const key = request.headers.get('x-credential') ?? 'anonymous';
    const now = performance.timeOrigin + performance.now();
    const window = windows.get(key) ?? [];
    while (window.length > 0 && window[0]! <= now - WINDOW_MS) window.shift();
    const count = counts.get(key) ?? { ok: 0, throttled: 0 };
    counts.set(key, count);
    windows.set(key, window);
    if (window.length >= LIMIT) {
      count.throttled += 1;
      // Rejected requests do not count against the window; the wait is until the oldest one leaves it.
      const waitSeconds = Math.max(1, Math.ceil((window[0]! + WINDOW_MS - now) / 1000));
      return Response.json({ error: 'too many requests' }, { status: 429, headers: { 'retry-after': String(waitSeconds) } });
    }
    window.push(now);
    count.ok += 1;
    return Response.json({ ok: true });
  });
  return { ...server, counts };
}

/** The proposed limiter: remembers the last `requests` start times; the next may start `intervalMs` after the oldest. */
function slidingLog(requests: number, intervalMs: number, marginMs: number): () => Promise<void> {
  const starts: number[] = [];
  let chain = Promise.resolve();
  return () => {
    const turn = chain.then(async () => {
      for (;;) {
        const now = Date.now();
        while (starts.length > 0 && starts[0]! <= now - intervalMs - marginMs) starts.shift();
        if (starts.length < requests) {
          starts.push(now);
          return;
        }
        await sleep(starts[0]! + intervalMs + marginMs - now + 1);
      }
    });
    chain = turn;
    return turn;
  };
}

interface Variant {
  name: string;
  burst?: number;
  proposed?: boolean;
}

async function run(server: { url: string; counts: Map<string, ServerCounts> }, variant: Variant, credential: string) {
  const gate = variant.proposed ? slidingLog(LIMIT, WINDOW_MS, 5) : undefined;
  const client = createHttpClient({
    platform: 'bench',
    baseUrl: server.url,
    headers: { 'x-credential': credential },
    rateLimit: variant.proposed
      ? { requests: 10_000, intervalMs: 1000, source: 'bench: wide open, the fetch hook limits' }
      : { requests: LIMIT, intervalMs: WINDOW_MS, ...(variant.burst !== undefined ? { burst: variant.burst } : {}), source: 'bench' },
    policy: { maxAttempts: 20, deadlineMs: 60_000 },
    ...(gate
      ? {
          fetch: async (input, init) => {
            await gate();
            return fetch(input, init);
          },
        }
      : {}),
  });
  let completed = 0;
  let failed = 0;
  const start = performance.now();
  const stopAt = start + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < stopAt) {
        try {
          await client.get('ping');
          completed += 1;
        } catch {
          failed += 1;
        }
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const counts = server.counts.get(credential) ?? { ok: 0, throttled: 0 };
  const rate = counts.ok / elapsed / (LIMIT / (WINDOW_MS / 1000));
  const share = counts.throttled / Math.max(1, counts.ok + counts.throttled);
  return { elapsed, completed, failed, counts, rate, share };
}

console.log(`rate-limit bench: node ${process.version}, server allows ${LIMIT} req/s per credential (sliding ${WINDOW_MS} ms window, 429 + Retry-After in whole seconds), ${CONCURRENCY} callers, ~${SECONDS} s each`);
const server = await startServer();
try {
  const variants: Variant[] = [
    { name: `createHttpClient rateLimit {requests: ${LIMIT}, intervalMs: ${WINDOW_MS}, burst: 1}` },
    { name: `createHttpClient rateLimit {requests: ${LIMIT}, intervalMs: ${WINDOW_MS}} (default burst = ${LIMIT})` },
    { name: `proposed sliding-log limiter (${LIMIT} per ${WINDOW_MS} ms + 5 ms margin), via the fetch hook`, proposed: true },
  ];
  variants[0]!.burst = 1;
  for (const [index, variant] of variants.entries()) {
    const result = await run(server, variant, `credential-${index}`);
    const ok = result.rate >= 0.95 && result.share <= 0.01;
    console.log(`  ${variant.name}`);
    console.log(
      `    ${fmt(result.counts.ok)} accepted + ${fmt(result.counts.throttled)} answered 429 in ${result.elapsed.toFixed(1)} s; ` +
        `achieved rate / limit ${result.rate.toFixed(3)} (goal >= 0.95), 429 share ${(result.share * 100).toFixed(2)}% (goal <= 1%): ${verdict(ok)} both goals` +
        (result.failed ? `; ${result.failed} calls failed` : ''),
    );
  }
} finally {
  await server.close();
}
