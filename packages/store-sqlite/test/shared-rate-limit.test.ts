import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../src/index.js';
import { bundleWorker } from './worker-process.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-sqlite-rate-'));
let worker: (args: string[]) => Promise<string>;
const LIMIT = 20;

/** A platform that allows 20 requests in any one-second window per credential and answers 429 beyond. */
function throttlingServer() {
  const accepted: number[] = [];
  let throttled = 0;
  const server: Server = createServer((request, response) => {
    const now = Date.now();
    while (accepted.length && accepted[0]! <= now - 1000) accepted.shift();
    if (accepted.length >= LIMIT) {
      throttled += 1;
      response.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' }).end('{}');
      return;
    }
    accepted.push(now);
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"pong":true}');
    request.resume();
  });
  return {
    server,
    stats: () => ({ throttled }),
    reset: () => {
      accepted.length = 0;
      throttled = 0;
    },
  };
}

const platform = throttlingServer();
let baseUrl: string;

beforeAll(async () => {
  worker = await bundleWorker('rate-worker.ts', join(dir, 'rate-worker.cjs'));
  await new Promise<void>((resolve) => platform.server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(platform.server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => platform.server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

async function runWorkers(filename: string, share: 'share' | 'alone') {
  platform.reset();
  // Opened once first, so the workers do not race to create the file.
  await createSqliteStore({ filename }).close();
  const startAt = Date.now() + 2_000;
  const outputs = await Promise.all([1, 2, 3].map(() => worker([filename, baseUrl, '20', share, String(startAt)])));
  const ok = outputs.reduce((sum, output) => sum + (JSON.parse(output) as { ok: number }).ok, 0);
  return { ok, seconds: (Date.now() - startAt) / 1000, ...platform.stats() };
}

describe('rate limits shared by processes through the SQLite file', () => {
  it('three workers on one credential stay within the platform limit together', async () => {
    const shared = await runWorkers(join(dir, 'shared.db'), 'share');
    expect(shared.ok).toBe(60);
    // Starts are spaced with a 30 ms margin; a process held up longer than that on a loaded machine can land one call
    // in a full window, which the retry absorbs. Unshared workers are refused at once (below).
    expect(shared.throttled).toBeLessThanOrEqual(1);
    // 60 requests spaced for 20 per second cannot take much under three seconds.
    expect(shared.seconds).toBeGreaterThan(2.9);

    // The same three workers, each on its own limit only, start with a burst of 20 each: every one of them is
    // refused (and then waits out the Retry-After, one call at a time).
    const alone = await runWorkers(join(dir, 'alone.db'), 'alone');
    expect(alone.ok).toBe(60);
    expect(alone.throttled).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
