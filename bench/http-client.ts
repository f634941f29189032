// CPU per request of the HTTP client (ky over Node's fetch, with the policy around it) against bare undici: Node's
// fetch on the same dispatcher (the shared keep-alive, proxy-aware pool), reading and parsing the same JSON. The
// difference is what ky and the policy (token bucket, p-retry, typed errors, size-limited body read) cost.
//
// Run: node bench/run-ts.mjs bench/http-client.ts [--requests=6000] [--concurrency=16] [--latency=2]
//
// The server runs in its own process (bench/fake-host.ts) so its CPU is not counted. Each request is a GET with a
// query string and an API key header, answered with a small JSON body, as a Mainô product lookup is.
import ky from 'ky';
import { createHttpClient } from '@conecta/core/http';
import { sharedDispatcher } from '../packages/core/src/http/dispatcher.js';
import { arg, fmt, forkChild } from './lib.js';

const REQUESTS = Number(arg('requests', '6000'));
const CONCURRENCY = Number(arg('concurrency', '16'));
const LATENCY = Number(arg('latency', '2'));
const GENEROUS = { requests: 1_000_000, intervalMs: 1000, burst: 10_000, source: 'bench: generous' };

type Send = (index: number) => Promise<{ produtos: unknown[] }>;

async function measure(send: Send, requests: number) {
  let next = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests) {
        const index = next++;
        const body = await send(index);
        if (body.produtos.length !== 1) throw new Error('unexpected body');
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - start, cpuMicrosPerRequest: (used.user + used.system) / requests };
}

console.log(`http client bench: node ${process.version}, ${fmt(REQUESTS)} GETs at concurrency ${CONCURRENCY}, server at ${LATENCY} ms in its own process`);
const host = await forkChild('bench/fake-host.ts');
try {
  await host.next('ready');
  const { url } = await host.call<{ url: string }>({ type: 'json', latencyMs: LATENCY });
  const base = `${url}/`;
  const dispatcher = sharedDispatcher();
  const client = createHttpClient({ platform: 'bench', baseUrl: url, rateLimit: GENEROUS });
  const bareKy = ky.create({ retry: 0, timeout: 15_000, dispatcher } as Parameters<typeof ky.create>[0]);
  const variants: Record<string, Send> = {
    'undici (fetch + dispatcher)': async (index) => {
      const response = await fetch(`${base}produtos?codigo=SKU-${index}`, {
        headers: { accept: 'application/json', 'x-api-key': 'bench-key' },
        dispatcher,
      } as RequestInit);
      return JSON.parse(await response.text()) as { produtos: unknown[] };
    },
    'ky alone (same dispatcher)': async (index) =>
      JSON.parse(await bareKy(`${base}produtos?codigo=SKU-${index}`, { headers: { accept: 'application/json', 'x-api-key': 'bench-key' } }).text()) as { produtos: unknown[] },
    'createHttpClient (ky + policy)': async (index) =>
      (await client.get<{ produtos: unknown[] }>('produtos', { codigo: `SKU-${index}` }, { headers: { 'x-api-key': 'bench-key' } })).data,
  };
  const results: Record<string, number[]> = {};
  // Alternating rounds, so a noisy moment on the machine does not land on one variant only.
  for (let round = 1; round <= 3; round += 1) {
    for (const [name, send] of Object.entries(variants)) {
      if (round === 1) await measure(send, 500); // warm-up, not counted
      const result = await measure(send, REQUESTS);
      (results[name] ??= []).push(result.cpuMicrosPerRequest);
      console.log(`  round ${round} ${name.padEnd(32)} ${fmt(result.wallMs)} ms, ${fmt(result.cpuMicrosPerRequest)} µs CPU per request`);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const [bare, kyOnly, full] = Object.keys(variants).map((name) => median(results[name]!)) as [number, number, number];
  console.log(
    `  median CPU per request: undici ${fmt(bare)} µs, ky ${fmt(kyOnly)} µs (${(kyOnly / bare).toFixed(2)}x), createHttpClient ${fmt(full)} µs (${(full / bare).toFixed(2)}x undici)`,
  );
} finally {
  await host.kill();
}
