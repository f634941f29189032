// The HTTP client's two transports on the same requests: node:http keep-alive sockets (the default) and Node's fetch
// (used when a `fetch` is passed). Figure: CPU per request in this process, and the ratio fetch / node:http.
//
// Run: node bench/run-ts.mjs bench/http-transport.ts [--requests=6000] [--concurrency=16] [--latency=2]
//
// The server runs in its own process (bench/fake-host.ts) so its CPU is not counted. Each request is a GET with a
// query string and an API key header, answered with a small JSON body, as a Mainô product lookup is.
import { createHttpClient, type HttpClient } from '@conecta/core/http';
import { arg, fmt, forkChild } from './lib.js';

const REQUESTS = Number(arg('requests', '6000'));
const CONCURRENCY = Number(arg('concurrency', '16'));
const LATENCY = Number(arg('latency', '2'));
const GENEROUS = { requests: 1_000_000, intervalMs: 1000, burst: 10_000, source: 'bench: generous' };

async function measure(client: HttpClient, requests: number) {
  let next = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests) {
        const index = next++;
        const response = await client.get<{ produtos: unknown[] }>('produtos', { codigo: `SKU-${index}` }, { headers: { 'x-api-key': 'bench-key' } });
        if (response.data.produtos.length !== 1) throw new Error('unexpected body');
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - start, cpuMicrosPerRequest: (used.user + used.system) / requests };
}

console.log(`http transport bench: node ${process.version}, ${fmt(REQUESTS)} GETs at concurrency ${CONCURRENCY}, server at ${LATENCY} ms in its own process`);
const host = await forkChild('bench/fake-host.ts');
try {
  await host.next('ready');
  const { url } = await host.call<{ url: string }>({ type: 'json', latencyMs: LATENCY });
  const clients = {
    'node:http (default)': createHttpClient({ platform: 'bench', baseUrl: url, rateLimit: GENEROUS }),
    'fetch (options.fetch)': createHttpClient({ platform: 'bench', baseUrl: url, rateLimit: GENEROUS, fetch: globalThis.fetch }),
  };
  const results: Record<string, number[]> = {};
  // Alternating rounds, so a noisy moment on the machine does not land on one transport only.
  for (let round = 1; round <= 3; round += 1) {
    for (const [name, client] of Object.entries(clients)) {
      if (round === 1) await measure(client, 500); // warm-up, not counted
      const result = await measure(client, REQUESTS);
      (results[name] ??= []).push(result.cpuMicrosPerRequest);
      console.log(`  round ${round} ${name.padEnd(22)} ${fmt(result.wallMs)} ms, ${fmt(result.cpuMicrosPerRequest)} µs CPU per request`);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const nodeHttp = median(results['node:http (default)']!);
  const viaFetch = median(results['fetch (options.fetch)']!);
  console.log(`  median CPU per request: node:http ${fmt(nodeHttp)} µs, fetch ${fmt(viaFetch)} µs; fetch / node:http = ${(viaFetch / nodeHttp).toFixed(2)}`);
} finally {
  await host.kill();
}
