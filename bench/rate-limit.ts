// Rate limiting: createHttpClient with rateLimit { requests: 20, intervalMs: 1000 } against a local fake that allows
// 20 requests per second per credential over a sliding one-second window and answers 429 with Retry-After beyond.
// Eight callers share the client for ~10 s. Figures: achieved rate over the limit (goal >= 0.95) and the share of
// requests answered 429 (goal <= 1%).
//
// Run: node bench/run-ts.mjs bench/rate-limit.ts [--seconds=10] [--concurrency=8]
//
// Variants: burst 1 and the default burst (= requests).
import { createHttpClient } from '@conecta/core/http';
import { serveHandler } from '@conecta/core/testing';
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

interface Variant {
  name: string;
  burst?: number;
}

async function run(server: { url: string; counts: Map<string, ServerCounts> }, variant: Variant, credential: string) {
  const client = createHttpClient({
    platform: 'bench',
    baseUrl: server.url,
    headers: { 'x-credential': credential },
    rateLimit: { requests: LIMIT, intervalMs: WINDOW_MS, ...(variant.burst !== undefined ? { burst: variant.burst } : {}), source: 'bench' },
    policy: { maxAttempts: 20, deadlineMs: 60_000 },
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
