// Drain: a backlog of orders against a Mainô fake that allows `limit` requests per second per company and answers 429
// beyond, with the client's rate limit set to the same figure. Figures: time to drain against the floor (the busiest
// company's creates / limit: a create is the one request no strategy can save), share of requests answered 429, and
// oversell; then the same backlog with stockFreshnessMs 0 (a Mainô stock read for every check) for comparison, whose
// floor of the requests it makes is printed too.
//
// Run: node bench/run-ts.mjs bench/drain.ts [--full] [--orders=200] [--limit=2] [--freshness=30000,0] [--concurrency=16]
//      [--latency=2] [--trace]
//
// The issue's case is 2,000 orders at 2 requests/s (`--full`: a floor near 17 minutes, and about 45 more for the
// stockFreshnessMs 0 run). The default keeps the limit and scales the backlog down to 200 orders (a floor of 100 s):
// scaling the limit up instead would make each 429 cost ten times more, since Retry-After comes in whole seconds and
// pauses the company for one of them whatever its limit. `--trace` prints, per company, how far apart the fake saw
// each window of requests and how long requests took from fetch to the fake.
import { createRunner } from '@conecta/core';
import { BENCH_COMPANIES, arg, benchPipeline, flag, fmt, forkChild, splitCatalogue, startFakes, tempSqliteStore, verdict, type Child } from './lib.js';

const ORDERS = flag('full') ? 2000 : Number(arg('orders', '200'));
const LIMIT = Number(arg('limit', '2'));
const CONCURRENCY = Number(arg('concurrency', '16'));
const LATENCY = Number(arg('latency', '2'));
const COMPANIES = BENCH_COMPANIES;

/**
 * --trace: how close the fake saw each company's requests to its limit. For every request the fake accepted, the gap
 * to the one `LIMIT` accepted requests earlier (the window the fake checks): below 1,000 ms it would have been refused.
 */
async function trace(host: Child, url: string): Promise<void> {
  const { log, sends } = await host.call<{ log: Array<{ at: number; cnpj?: string; status: number }>; sends: Array<{ sent: number; received: number; status: number; key: string }> }>({ type: 'maino-log', url });
  const transit = sends.map((send) => send.received - send.sent).sort((a, b) => a - b);
  const tq = (p: number) => transit[Math.min(transit.length - 1, Math.floor(p * transit.length))] ?? NaN;
  console.log(`    trace: handed to fetch -> reached the fake, ms: p50 ${tq(0.5)} p90 ${tq(0.9)} p99 ${tq(0.99)} max ${tq(1)}`);
  for (const company of COMPANIES) {
    const mine = sends.filter((send) => send.key === company.key).sort((a, b) => a.sent - b.sent);
    const sentGaps: number[] = [];
    const refusedAt: string[] = [];
    const ok: typeof mine = [];
    for (const send of mine) {
      const back = ok.length >= LIMIT ? ok[ok.length - LIMIT] : undefined;
      if (send.status === 429) {
        if (back) refusedAt.push(`sent +${send.sent - back.sent} (transit ${back.received - back.sent} then ${send.received - send.sent})`);
        continue;
      }
      if (back) sentGaps.push(send.sent - back.sent);
      ok.push(send);
    }
    sentGaps.sort((a, b) => a - b);
    console.log(`    trace ${company.name}: window gaps as sent: min ${sentGaps[0]} p1 ${sentGaps[Math.floor(sentGaps.length * 0.01)]} p50 ${sentGaps[Math.floor(sentGaps.length * 0.5)]}; refused: ${refusedAt.slice(0, 8).join('; ') || '-'}`);
  }
  const byCompany = new Map<string, Array<{ at: number; status: number }>>();
  for (const entry of log) if (entry.cnpj) byCompany.set(entry.cnpj, [...(byCompany.get(entry.cnpj) ?? []), entry]);
  for (const [cnpj, entries] of byCompany) {
    const accepted: number[] = [];
    const gaps: number[] = [];
    const refusedGaps: number[] = [];
    for (const entry of entries) {
      const back = accepted.length >= LIMIT ? accepted[accepted.length - LIMIT]! : undefined;
      if (entry.status === 429) {
        if (back !== undefined) refusedGaps.push(entry.at - back);
        continue;
      }
      if (back !== undefined) gaps.push(entry.at - back);
      accepted.push(entry.at);
    }
    gaps.sort((a, b) => a - b);
    const q = (p: number) => gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))] ?? NaN;
    console.log(
      `    trace ${cnpj}: ${entries.length} requests, window gaps of accepted ms: min ${q(0)} p1 ${q(0.01)} p10 ${q(0.1)} p50 ${q(0.5)} p90 ${q(0.9)} max ${q(1)}; ` +
        `refused at gaps ${refusedGaps.join(', ') || '-'}`,
    );
  }
}

/**
 * Where the time above the floor went: for each company, the calls the pipeline had in flight on the Mainô port (waiting
 * for the token bucket included). No call in flight means the company's queue ran dry and its budget went unused:
 * before its first call (start-up), between calls (idle gaps, with the method whose end opened each), after its last.
 */
function watchDemand<T extends object>(erp: T, cnpjs: readonly string[]) {
  interface Demand {
    inFlight: number;
    first?: number;
    firstCreate?: number;
    lastEnd?: number;
    idleFrom?: number;
    lastEnded?: string;
    gaps: Array<{ ms: number; after: string }>;
    /** Integral of calls in flight over time (ms), for the mean queue depth. */
    depthMs: number;
    changedAt: number;
  }
  const demand = new Map<string, Demand>(cnpjs.map((cnpj) => [cnpj, { inFlight: 0, gaps: [], depthMs: 0, changedAt: 0 }]));
  const move = (entry: Demand, by: number, method: string) => {
    const now = Date.now();
    if (entry.changedAt) entry.depthMs += entry.inFlight * (now - entry.changedAt);
    entry.changedAt = now;
    if (by > 0 && entry.inFlight === 0 && entry.idleFrom !== undefined) entry.gaps.push({ ms: now - entry.idleFrom, after: entry.lastEnded ?? '?' });
    entry.inFlight += by;
    if (by < 0) {
      entry.lastEnded = method;
      entry.lastEnd = now;
      if (entry.inFlight === 0) entry.idleFrom = now;
    }
  };
  const watched = new Proxy(erp, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const entry = typeof args[0] === 'string' ? demand.get(args[0]) : undefined;
        if (!entry) return (value as (...a: unknown[]) => unknown).apply(target, args);
        const now = Date.now();
        entry.first ??= now;
        if (property === 'createSalesOrder') entry.firstCreate ??= now;
        move(entry, 1, String(property));
        return Promise.resolve((value as (...a: unknown[]) => Promise<unknown>).apply(target, args)).finally(() => move(entry, -1, String(property)));
      };
    },
  });
  return {
    erp: watched,
    report(cnpj: string, startedAt: number, endedAt: number) {
      const entry = demand.get(cnpj)!;
      const idleMs = entry.gaps.reduce((sum, gap) => sum + gap.ms, 0);
      const byAfter = new Map<string, { count: number; ms: number }>();
      for (const gap of entry.gaps) {
        const sum = byAfter.get(gap.after) ?? { count: 0, ms: 0 };
        sum.count += 1;
        sum.ms += gap.ms;
        byAfter.set(gap.after, sum);
      }
      const busyMs = (entry.lastEnd ?? endedAt) - (entry.first ?? startedAt) - idleMs;
      return {
        startMs: (entry.first ?? endedAt) - startedAt,
        firstCreateMs: (entry.firstCreate ?? endedAt) - startedAt,
        idleMs,
        gaps: entry.gaps.length,
        largestGapMs: Math.max(0, ...entry.gaps.map((gap) => gap.ms)),
        byAfter: [...byAfter].map(([after, sum]) => `${after} ${sum.count} (${fmt(sum.ms / 1000, 1)} s)`).join(', '),
        tailMs: endedAt - (entry.lastEnd ?? endedAt),
        busyMs,
        meanDepth: busyMs > 0 ? entry.depthMs / busyMs : 0,
      };
    },
  };
}

interface Created {
  byCompany: Record<string, { orders: number; references: number; committed: Record<string, number> }>;
  requests: number;
  byEndpoint: Record<string, number>;
  rateLimited: number;
  answeredByCompany: Record<string, number>;
}

async function runOnce(host: Child, freshnessMs: number) {
  const products = splitCatalogue(COMPANIES);
  const { woo, maino } = await startFakes(host, {
    orders: ORDERS,
    latencyMs: LATENCY,
    companies: COMPANIES,
    products,
    rateLimit: { requests: LIMIT, intervalMs: 1000 },
    refuseOversell: true,
  });
  const { store, dispose } = tempSqliteStore('drain');
  let watch: ReturnType<typeof watchDemand> | undefined;
  const { pipeline, errors } = benchPipeline({
    store,
    woo,
    mainoBaseUrl: maino.baseUrl,
    companies: COMPANIES,
    stockFreshnessMs: freshnessMs,
    // The fake's limit, as a deployment would configure Mainô's.
    mainoRateLimit: { requests: LIMIT, intervalMs: 1000, source: 'bench: the fake limit' },
    // Requests wait their turn in the limiter: a deadline shorter than the queue would fail them for nothing.
    mainoHttp: { deadlineMs: 600_000 },
    // --trace stamps each request with the instant it was handed to fetch, so the fake can tell transit from pacing.
    ...(flag('trace')
      ? {
          mainoFetch: (input: RequestInfo | URL, init?: RequestInit) => {
            const request = new Request(input, init);
            request.headers.set('x-bench-sent', String(Date.now()));
            return fetch(request);
          },
        }
      : {}),
    wrapErp: (erp) => {
      watch = watchDemand(erp, COMPANIES.map((company) => company.cnpj));
      return watch.erp as typeof erp;
    },
  });
  const runner = createRunner(pipeline, { concurrency: CONCURRENCY, leaseMs: 600_000 });
  const start = performance.now();
  const startedAt = Date.now();
  await runner.drain();
  const ms = performance.now() - start;
  const endedAt = Date.now();
  if (flag('trace')) await trace(host, maino.url);
  const { log } = await host.call<{ log: Array<{ at: number; cnpj?: string; status: number }> }>({ type: 'maino-log', url: maino.url });
  const created = await host.call<Created>({ type: 'maino-orders', url: maino.url, cnpjs: COMPANIES.map((company) => company.cnpj) });
  const stock = await host.call<{ stock: Array<{ cnpj: string; sku: string; qtdeMilli: number; committedMilli: number; storedMilli: number }> }>({
    type: 'maino-stock',
    url: maino.url,
    products: products.map(({ cnpj, sku }) => ({ cnpj, sku })),
  });
  const oversell = stock.stock.reduce((sum, product) => sum + Math.max(0, product.committedMilli + product.storedMilli - product.qtdeMilli), 0);
  const done = store.database.prepare(`SELECT count(DISTINCT order_id) AS orders FROM movements WHERE state = 'done'`).get() as { orders: number };
  await dispose();
  await host.call({ type: 'close-all' });
  const creates = Object.fromEntries(Object.entries(created.byCompany).map(([cnpj, company]) => [cnpj, company.orders]));
  const busiest = Math.max(...Object.values(creates));
  const busiestCnpj = Object.entries(creates).find(([, count]) => count === busiest)![0];
  const demand = watch!.report(busiestCnpj, startedAt, endedAt);
  // What each 429 at the busiest company cost: the gap it opened between the accepted requests around it, beyond the
  // usual spacing of one request (interval / limit).
  const mine = log.filter((entry) => entry.cnpj === busiestCnpj).sort((a, b) => a.at - b.at);
  let throttleMs = 0;
  let throttles = 0;
  for (let index = 0; index < mine.length; index += 1) {
    if (mine[index]!.status !== 429) continue;
    throttles += 1;
    const before = mine.slice(0, index).reverse().find((entry) => entry.status !== 429);
    const after = mine.slice(index + 1).find((entry) => entry.status !== 429);
    if (before && after && mine[index - 1]?.status !== 429) throttleMs += Math.max(0, after.at - before.at - 1000 / LIMIT);
  }
  const accepted = mine.filter((entry) => entry.status !== 429);
  const spanMs = accepted.length > 1 ? accepted[accepted.length - 1]!.at - accepted[0]!.at : 0;
  const erpOrders = Object.values(creates).reduce((sum, count) => sum + count, 0);
  const duplicates = Object.values(created.byCompany).reduce((sum, company) => sum + company.orders - company.references, 0);
  return { ms, created, busiest, busiestName: COMPANIES.find((company) => company.cnpj === busiestCnpj)!.name, demand, throttles, throttleMs, accepted: accepted.length, spanMs, erpOrders, duplicates, oversell, done: done.orders, errors: errors() };
}

console.log(
  `drain bench: node ${process.version}, ${fmt(ORDERS)} orders, Mainô fake allowing ${LIMIT} requests/s per company (429 beyond), client limited to the same, ` +
    `SQLite store, runner concurrency ${CONCURRENCY}, 3 companies (the issue's case is 2,000 orders at 2/s, ${ORDERS === 2000 && LIMIT === 2 ? 'as run' : `scaled to ${fmt(ORDERS)} orders at ${LIMIT}/s`})`,
);
const host = await forkChild('bench/fake-host.ts');
try {
  await host.next('ready');
  for (const freshnessMs of arg('freshness', '30000,0').split(',').map(Number)) {
    const result = await runOnce(host, freshnessMs);
    const floorMs = (result.busiest / LIMIT) * 1000;
    const ratio = result.ms / floorMs;
    const share429 = result.created.rateLimited / result.created.requests;
    const busiestRequests = Math.max(...Object.values(result.created.answeredByCompany));
    const requestFloorMs = (busiestRequests / LIMIT) * 1000;
    console.log(
      `  stockFreshnessMs ${fmt(freshnessMs)}: ${fmt(result.done)} of ${fmt(ORDERS)} done in ${fmt(result.ms / 1000, 1)} s; floor ${fmt(floorMs / 1000, 1)} s ` +
        `(busiest company ${fmt(result.busiest)} creates / ${LIMIT} per s): ${ratio.toFixed(3)} x the floor (${verdict(ratio <= 1.1)} the goal of <= 1.10); ` +
        `floor of the requests made ${fmt(requestFloorMs / 1000, 1)} s (busiest company ${fmt(busiestRequests)} requests answered): ${(result.ms / requestFloorMs).toFixed(3)} x`,
    );
    console.log(
      `    Mainô requests ${fmt(result.created.requests)} (${(result.created.requests / result.erpOrders).toFixed(3)} per Mainô order created), ` +
        `429s ${fmt(result.created.rateLimited)} = ${(share429 * 100).toFixed(2)}% (${verdict(share429 <= 0.01)} <= 1%), oversell ${fmt(result.oversell)} milli-units (${verdict(result.oversell === 0)} 0), ` +
        `duplicates ${result.duplicates}, poll/work errors ${result.errors}; by endpoint: ${Object.entries(result.created.byEndpoint)
          .sort((a, b) => b[1] - a[1])
          .map(([endpoint, count]) => `${endpoint} ${fmt(count)}`)
          .join(', ')}`,
    );
    const { demand } = result;
    // The pace of the windows the company was busy: its span of accepted requests less the idle gaps and the 429s' gaps.
    const windowMs = ((result.spanMs - demand.idleMs - result.throttleMs) / Math.max(1, result.accepted - 1)) * LIMIT;
    console.log(
      `    where the time went (${result.busiestName}): first request +${fmt(demand.startMs / 1000, 2)} s, first create +${fmt(demand.firstCreateMs / 1000, 2)} s; ` +
        `no call in flight for ${fmt(demand.idleMs / 1000, 2)} s in ${demand.gaps} gaps (largest ${fmt(demand.largestGapMs)} ms; opened by the end of: ${demand.byAfter || '-'}); ` +
        `${result.throttles} 429s opening ${fmt(result.throttleMs / 1000, 1)} s of gaps beyond the usual spacing; after its last call ${fmt(demand.tailMs / 1000, 2)} s; ` +
        `busy pace ${fmt(windowMs)} ms per ${LIMIT} accepted requests; mean calls in flight ${fmt(demand.meanDepth, 1)}`,
    );
  }
} finally {
  await host.kill();
}
