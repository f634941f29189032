// Backfill: our WooCommerce connector (listOrders to exhaustion, pages fetched concurrently) against the official
// @woocommerce/woocommerce-rest-api client paging one page after another, on the WooCommerce fake served on a local
// port with 20 ms added per request. Then 100,000 orders streamed through our connector, counting only, for peak RSS.
// Our connector asks for the fields its mapping reads (WordPress's `_fields`, which the fake honours); the official
// client gets whole orders. The bench also prints our connector asking for whole orders (`orderFields: 'all'`).
//
// Run: node bench/run-ts.mjs bench/backfill.ts [--orders=10000] [--stream=100000] [--latency=20] [--skip-default-limit]
//
// The fake runs in its own process (bench/fake-host.ts) and each client in its own process, so each peak RSS is the
// client's alone and the fake's CPU does not share the client's event loop. "Client idle" is the time the client's
// event loop waited for answers: the official client waits out every request's latency; ours, once its pages overlap,
// waits only when the fake (one process, on the other of this machine's two cores) has not answered the next page yet.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createWooCommerceConnector } from '@conecta/connector-woocommerce';
import { arg, flag, fmt, forkChild, mb, rssSampler, serveParent, verdict } from './lib.js';

const ORDERS = Number(arg('orders', '10000'));
const STREAM = Number(arg('stream', '100000'));
const LATENCY = Number(arg('latency', '20'));
/** Generous client-side limit for the comparison: the fake imposes none, the official client applies none. */
const BENCH_RATE_LIMIT = { requests: 1000, intervalMs: 1000, burst: 50, source: 'bench: generous' };

interface ClientResult {
  ms: number;
  count: number;
  ids?: number[];
  peakRss: number;
  baseRss: number;
  requests: number;
  /** CPU milliseconds this client process used during the run (its GC and compiler threads included). */
  cpuMs: number;
  /** Milliseconds the client's event loop sat idle, waiting for answers. */
  idleMs: number;
}

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

async function runOurs(
  store: { url: string; consumerKey: string; consumerSecret: string },
  mode: 'bench-limit' | 'default-limit' | 'whole-orders',
  keepIds: boolean,
): Promise<ClientResult> {
  // Counted off the HTTP diagnostics channels, so the connector runs on its default transport as users get it.
  let requests = 0;
  const count = () => {
    requests += 1;
  };
  // undici's channel (the SDK's default path: fetch on its pool) and node:http's (the official client, axios).
  subscribe('http.client.request.start', count);
  subscribe('undici:request:create', count);
  const connector = createWooCommerceConnector({
    storeUrl: store.url,
    consumerKey: store.consumerKey,
    consumerSecret: store.consumerSecret,
    allowInsecureHttp: true,
    ...(mode === 'default-limit' ? {} : { rateLimit: BENCH_RATE_LIMIT }),
    // By default the connector asks for the fields its mapping reads (`_fields`); the official client gets whole orders.
    ...(mode === 'whole-orders' ? { orderFields: 'all' as const } : {}),
  });
  const baseRss = process.memoryUsage.rss();
  const sampler = rssSampler();
  const ids: number[] = [];
  let orders = 0;
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const start = performance.now();
  for await (const page of connector.listOrders({})) {
    orders += page.orders.length + page.rejected.length;
    if (keepIds) for (const order of page.orders) ids.push(Number(order.externalId));
  }
  const ms = performance.now() - start;
  unsubscribe('http.client.request.start', count);
  unsubscribe('undici:request:create', count);
  const idleMs = performance.eventLoopUtilization(loop).idle;
  return { ms, count: orders, ...(keepIds ? { ids } : {}), peakRss: sampler.stop(), baseRss, requests, cpuMs: cpuMs(cpu), idleMs };
}

async function runOfficial(store: { url: string; consumerKey: string; consumerSecret: string }): Promise<ClientResult> {
  type Api = new (options: Record<string, unknown>) => { get(endpoint: string, params: Record<string, unknown>): Promise<{ data: Array<{ id: number }>; headers: Record<string, string> }> };
  // The package's `main` is CommonJS with an ES-module-style `default` export.
  const imported = (await import('@woocommerce/woocommerce-rest-api')) as unknown as { default: Api | { default: Api } };
  const WooCommerceRestApi = 'default' in imported.default ? imported.default.default : imported.default;
  const api = new WooCommerceRestApi({
    url: store.url,
    consumerKey: store.consumerKey,
    consumerSecret: store.consumerSecret,
    version: 'wc/v3',
    // Over plain http the library signs with OAuth 1.0a, which the fake does not implement; Basic auth is what it
    // sends over https, so it is added here. The OAuth query parameters still go out and are ignored.
    axiosConfig: { auth: { username: store.consumerKey, password: store.consumerSecret } },
  });
  const baseRss = process.memoryUsage.rss();
  const sampler = rssSampler();
  const ids: number[] = [];
  let requests = 0;
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const start = performance.now();
  for (let page = 1; ; page += 1) {
    const response = await api.get('orders', { per_page: 100, page, orderby: 'id', order: 'asc' });
    requests += 1;
    for (const order of response.data) ids.push(order.id);
    const totalPages = Number(response.headers['x-wp-totalpages']);
    if (!(page < totalPages)) break;
  }
  const ms = performance.now() - start;
  const idleMs = performance.eventLoopUtilization(loop).idle;
  return { ms, count: ids.length, ids, peakRss: sampler.stop(), baseRss, requests, cpuMs: cpuMs(cpu), idleMs };
}

if (process.argv.includes('--child')) {
  serveParent(async (message) => {
    const store = message['store'] as { url: string; consumerKey: string; consumerSecret: string };
    const mode = String(message['mode']);
    const result =
      mode === 'official'
        ? await runOfficial(store)
        : await runOurs(store, mode === 'default-limit' || mode === 'whole-orders' ? mode : 'bench-limit', mode !== 'stream');
    return { ...result };
  });
} else {
  await main();
}

async function main(): Promise<void> {
  console.log(`backfill bench: node ${process.version}, ${fmt(ORDERS)} orders, WooCommerce fake with latencyMs ${LATENCY} on a local port (own process)`);
  const host = await forkChild('bench/fake-host.ts');
  const fakeCpu = async () => {
    const { cpu } = await host.call<{ cpu: NodeJS.CpuUsage }>({ type: 'rss' });
    return (cpu.user + cpu.system) / 1000;
  };
  const client = async (mode: string, store: unknown): Promise<ClientResult & { fakeCpuMs: number }> => {
    const child = await forkChild('bench/backfill.ts', ['--child']);
    try {
      const before = await fakeCpu();
      const result = await child.call<ClientResult>({ mode, store });
      return { ...result, fakeCpuMs: (await fakeCpu()) - before };
    } finally {
      await child.kill();
    }
  };
  try {
    await host.next('ready');
    const store = await host.call<{ url: string; consumerKey: string; consumerSecret: string }>({ type: 'woo', latencyMs: LATENCY, orders: ORDERS });

    const official = await client('official', store);
    const ours = await client('bench-limit', store);
    const a = [...official.ids!].sort((x, y) => x - y);
    const b = [...ours.ids!].sort((x, y) => x - y);
    const same = a.length === ORDERS && b.length === ORDERS && new Set(b).size === ORDERS && a.every((id, index) => id === b[index]);
    const ratio = official.ms / ours.ms;
    console.log(
      `  official @woocommerce/woocommerce-rest-api, sequential pages: ${fmt(official.ms)} ms, ${official.requests} requests (CPU: client ${fmt(official.cpuMs)} ms, fake ${fmt(official.fakeCpuMs)} ms; client idle ${fmt(official.idleMs)} ms), ${fmt(official.count)} orders, peak RSS ${mb(official.peakRss)} (start ${mb(official.baseRss)})`,
    );
    console.log(
      `  our connector (default concurrency 8, rate limit ${BENCH_RATE_LIMIT.requests}/s burst ${BENCH_RATE_LIMIT.burst} for the bench): ${fmt(ours.ms)} ms, ${ours.requests} requests (CPU: client ${fmt(ours.cpuMs)} ms, fake ${fmt(ours.fakeCpuMs)} ms; client idle ${fmt(ours.idleMs)} ms), ${fmt(ours.count)} orders, peak RSS ${mb(ours.peakRss)} (start ${mb(ours.baseRss)})`,
    );
    console.log(`  same set of orders: ${same ? 'yes' : 'NO'} (${fmt(new Set(ours.ids).size)} distinct ids each side)`);
    console.log(`  backfill speed ratio (official time / ours): ${ratio.toFixed(2)}x, ${verdict(ratio >= 3)} the goal of >= 3x`);
    const whole = await client('whole-orders', store);
    console.log(
      `  (our connector asking for whole orders, orderFields 'all', as the official client gets them: ${fmt(whole.ms)} ms (CPU: client ${fmt(whole.cpuMs)} ms, fake ${fmt(whole.fakeCpuMs)} ms; client idle ${fmt(whole.idleMs)} ms), ratio ${(official.ms / whole.ms).toFixed(2)}x)`,
    );
    if (!flag('skip-default-limit')) {
      const limited = await client('default-limit', store);
      console.log(
        `  (our connector with its shipped default limit of 10 req/s, burst 10: ${fmt(limited.ms)} ms, ${limited.requests} requests, ratio ${(official.ms / limited.ms).toFixed(2)}x)`,
      );
    }
    await host.call({ type: 'close-all' });

    // Streaming: a fresh fake holding STREAM orders; our side only counts.
    const seedStart = performance.now();
    const big = await host.call<{ url: string; consumerKey: string; consumerSecret: string; rss: number }>({ type: 'woo', latencyMs: LATENCY, orders: STREAM });
    console.log(`  fake seeded with ${fmt(STREAM)} orders in ${fmt(performance.now() - seedStart)} ms (fake process RSS ${mb(big.rss)})`);
    const stream = await client('stream', big);
    const streamOk = stream.count === STREAM;
    console.log(
      `  stream ${fmt(STREAM)} orders through our connector (count only): ${fmt(stream.ms)} ms, ${stream.requests} requests (CPU: client ${fmt(stream.cpuMs)} ms, fake ${fmt(stream.fakeCpuMs)} ms), ${fmt(stream.count)} orders${streamOk ? '' : ' (COUNT MISMATCH)'}, ` +
        `peak RSS ${mb(stream.peakRss)} (start ${mb(stream.baseRss)}), ${verdict(stream.peakRss < 200 * 1024 * 1024)} the goal of < 200 MB`,
    );
  } finally {
    await host.kill();
  }
}
