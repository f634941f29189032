// Helpers shared by the benchmarks: arguments, RSS sampling, latency, child processes from bundled TypeScript, and the
// pipeline setup the pipeline, drain and contention benches share (fakes, store, clients, group, integration).
// The workspace packages declare no side effects, so a bench that uses none of the setup bundles none of them.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CompanyGroupSchema, IntegrationSchema, createPipeline, type Store } from '@conecta/core';
import { createWooCommerceConnector } from '@conecta/connector-woocommerce';
import { createMainoClient } from '@conecta/maino-client';
import { createSqliteStore } from '@conecta/store-sqlite';

export const arg = (name: string, fallback: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
export const flag = (name: string): boolean => process.argv.includes(`--${name}`);

export const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const verdict = (ok: boolean): string => (ok ? 'meets' : 'MISSES');

/** Samples this process's RSS every `everyMs` (and on demand) and keeps the peak. */
export function rssSampler(everyMs = 20): { peak(): number; stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, everyMs);
  return {
    peak: () => Math.max(peak, process.memoryUsage.rss()),
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

/** Wraps a fetch-style handler so every answer waits `ms` first (for fakes without a latency option). */
export function withLatency<R>(ms: number, handle: (request: Request) => Promise<R> | R): (request: Request) => Promise<R> {
  return async (request) => {
    if (ms > 0) await sleep(ms);
    return handle(request);
  };
}

const repoRoot = findRepoRoot();

function findRepoRoot(): string {
  // The bundle lives in <repo>/node_modules/.cache/conecta-bench/; walk up to the repository.
  const here = new URL('.', import.meta.url).pathname;
  const index = here.indexOf('/node_modules/');
  return index >= 0 ? here.slice(0, index + 1) : process.cwd() + '/';
}

const bundles = new Map<string, Promise<string>>();

/** Bundles a bench entry the way run-ts.mjs does (workspace packages from source) under its own name, once. */
export function bundle(entry: string): Promise<string> {
  let pending = bundles.get(entry);
  if (!pending) {
    pending = (async () => {
      const { build } = await import('esbuild');
      const outDir = join(repoRoot, 'node_modules', '.cache', 'conecta-bench');
      mkdirSync(outDir, { recursive: true });
      const outfile = join(outDir, `child-${basename(entry).replace(/\.[cm]?ts$/, '')}-${process.pid}.mjs`);
      await build({
        entryPoints: [resolve(repoRoot, entry)],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        conditions: ['@conecta/source'],
        plugins: [
          {
            name: 'external-except-workspace',
            setup(pluginBuild) {
              pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@conecta/') ? undefined : { path: args.path, external: true }));
            },
          },
        ],
        sourcemap: 'inline',
        logLevel: 'warning',
      });
      return outfile;
    })();
    bundles.set(entry, pending);
  }
  return pending;
}

export interface Child {
  process: ChildProcess;
  /** Sends a message and waits for the child's answer to it (matched by `id`). */
  call<T = unknown>(message: Record<string, unknown>): Promise<T>;
  /** Waits for the next message of this `type`. */
  next<T = unknown>(type: string): Promise<T>;
  kill(): Promise<void>;
}

/** Forks a bundled bench entry with an IPC channel; messages are `{ id?, type, ... }`. */
export async function forkChild(entry: string, args: string[] = [], options: { env?: NodeJS.ProcessEnv } = {}): Promise<Child> {
  const file = await bundle(entry);
  const child = fork(file, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: options.env ?? process.env });
  let seq = 0;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const typed: Array<{ type: string; resolve: (value: unknown) => void }> = [];
  const backlog: Array<Record<string, unknown>> = [];
  let exited = false;
  child.on('message', (raw) => {
    const message = raw as Record<string, unknown>;
    const id = message['id'] as number | undefined;
    if (id !== undefined && waiting.has(id)) {
      const pending = waiting.get(id)!;
      waiting.delete(id);
      if (message['error']) pending.reject(new Error(String(message['error'])));
      else pending.resolve(message);
      return;
    }
    const index = typed.findIndex((entry) => entry.type === message['type']);
    if (index >= 0) typed.splice(index, 1)[0]!.resolve(message);
    else backlog.push(message);
  });
  const exit = new Promise<void>((resolveExit) =>
    child.on('exit', (code) => {
      exited = true;
      for (const pending of waiting.values()) pending.reject(new Error(`${entry} exited with ${code}`));
      resolveExit();
    }),
  );
  return {
    process: child,
    call<T>(message: Record<string, unknown>) {
      const id = ++seq;
      return new Promise<T>((resolveCall, reject) => {
        waiting.set(id, { resolve: resolveCall as (value: unknown) => void, reject });
        child.send({ ...message, id });
      });
    },
    next<T>(type: string) {
      const index = backlog.findIndex((message) => message['type'] === type);
      if (index >= 0) return Promise.resolve(backlog.splice(index, 1)[0] as T);
      return new Promise<T>((resolveNext) => typed.push({ type, resolve: resolveNext as (value: unknown) => void }));
    },
    async kill() {
      // A disconnect lets the child exit on its own (serveParent exits on it), so --cpu-prof still writes its profile.
      if (!exited && child.connected) child.disconnect();
      const timer = setTimeout(() => {
        if (!exited) child.kill();
      }, 2000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** In a child: answers each `{ id, ... }` request with the handler's result (or its error). */
export function serveParent(handler: (message: Record<string, unknown>) => Promise<Record<string, unknown>>): void {
  process.on('message', (raw) => {
    const message = raw as Record<string, unknown>;
    handler(message).then(
      (result) => process.send?.({ ...result, id: message['id'] }),
      (error: unknown) => process.send?.({ id: message['id'], error: error instanceof Error ? error.stack ?? error.message : String(error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}

export interface BenchCompany {
  cnpj: string;
  name: string;
  priority: number;
  /** The company's Mainô API key in the fake. */
  key: string;
}

export const BENCH_COMPANIES: readonly BenchCompany[] = [
  { cnpj: '11222333000181', name: 'Matriz', priority: 1, key: 'bench-key-matriz' },
  { cnpj: '45723174000110', name: 'Filial', priority: 2, key: 'bench-key-filial' },
  { cnpj: '19131243000197', name: 'CD', priority: 3, key: 'bench-key-cd' },
];

/** The WooCommerce fake's catalogue: WOO-0..3 on one line, WOO-VAR-1..3 on a second line of three orders in four. */
export const BENCH_SKUS = ['WOO-0', 'WOO-1', 'WOO-2', 'WOO-3', 'WOO-VAR-1', 'WOO-VAR-2', 'WOO-VAR-3'];

/** A rate limit that never binds, for clients whose platform limit is not what a bench measures. */
export const GENEROUS = { requests: 100_000, intervalMs: 1000, burst: 1000, source: 'bench: generous' };

export interface BenchProduct {
  cnpj: string;
  sku: string;
  qtdeMilli: number;
}

/** Plentiful stock where the head company carries the simple products and the others every SKU: most orders split in two. */
export function splitCatalogue(companies: readonly BenchCompany[] = BENCH_COMPANIES): BenchProduct[] {
  return companies.flatMap((company, index) =>
    BENCH_SKUS.filter((sku) => (index === 0 ? !sku.includes('VAR') : true)).map((sku) => ({ cnpj: company.cnpj, sku, qtdeMilli: 1_000_000_000 })),
  );
}

export interface WooEndpoint {
  url: string;
  consumerKey: string;
  consumerSecret: string;
}

/** The WooCommerce fake (with `orders` seeded) and the Mainô fake with the companies and products, in the fake host. */
export async function startFakes(
  host: Child,
  options: { orders: number; latencyMs: number; companies: readonly BenchCompany[]; products: readonly BenchProduct[]; rateLimit?: { requests: number; intervalMs: number }; refuseOversell?: boolean; wooLatencyMs?: number },
): Promise<{ woo: WooEndpoint; maino: { url: string; baseUrl: string } }> {
  const woo = await host.call<WooEndpoint>({ type: 'woo', latencyMs: options.wooLatencyMs ?? options.latencyMs, orders: options.orders });
  const maino = await host.call<{ url: string; baseUrl: string }>({
    type: 'maino',
    latencyMs: options.latencyMs,
    companies: options.companies,
    products: options.products,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    ...(options.refuseOversell ? { refuseOversell: true } : {}),
  });
  return { woo, maino };
}

/** A SQLite store on a fresh temporary file; `dispose` closes it and deletes the file. */
export function tempSqliteStore(prefix: string): { store: ReturnType<typeof createSqliteStore>; dispose: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), `conecta-${prefix}-`));
  const store = createSqliteStore({ filename: join(dir, `${prefix}.db`) });
  return {
    store,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type MainoClientOptions = Parameters<typeof createMainoClient>[0];

/**
 * The real WooCommerce connector (generous limit) and Mainô client (the companies' API keys; `GENEROUS` unless a
 * limit is given) on the fakes, one priority-greedy all-or-nothing group of the companies, and an automatic
 * integration: the pipeline every bench runs. `wrapErp` lets a bench watch the calls the pipeline makes on Mainô.
 */
export function benchPipeline<S extends Store>(options: {
  store: S;
  woo: WooEndpoint;
  mainoBaseUrl: string;
  companies: readonly BenchCompany[];
  integrationName?: string;
  stockFreshnessMs?: number;
  mainoRateLimit?: MainoClientOptions['rateLimit'];
  mainoHttp?: MainoClientOptions['http'];
  mainoFetch?: MainoClientOptions['fetch'];
  wrapErp?: <E extends object>(erp: E) => E;
}) {
  const { companies } = options;
  const connector = createWooCommerceConnector({
    storeUrl: options.woo.url,
    consumerKey: options.woo.consumerKey,
    consumerSecret: options.woo.consumerSecret,
    allowInsecureHttp: true,
    rateLimit: GENEROUS,
  });
  const client = createMainoClient({
    baseUrl: options.mainoBaseUrl,
    group: { cnpjs: companies.map((company) => company.cnpj) },
    auth: { kind: 'api-key', keys: Object.fromEntries(companies.map((company) => [company.cnpj, company.key])) },
    rateLimit: options.mainoRateLimit ?? GENEROUS,
    ...(options.mainoHttp ? { http: options.mainoHttp } : {}),
    ...(options.mainoFetch ? { fetch: options.mainoFetch } : {}),
  });
  const erp = options.wrapErp ? options.wrapErp(client) : client;
  const group = CompanyGroupSchema.parse({
    id: 'grupo',
    name: 'Grupo',
    companies: companies.map(({ cnpj, name, priority }) => ({ cnpj, name, priority })),
    allocation: { strategy: 'priority-greedy', shortfall: 'all-or-nothing' },
  });
  const integration = IntegrationSchema.parse({
    id: 'woo',
    platform: 'woocommerce',
    name: options.integrationName ?? 'Loja WooCommerce',
    groupId: 'grupo',
    mode: 'automatic',
    statusDictionary: connector.defaultStatusDictionary,
  });
  const pipeline = createPipeline({
    store: options.store,
    erp,
    groups: [group],
    integrations: [{ integration, connector }],
    ...(options.stockFreshnessMs !== undefined ? { stockFreshnessMs: options.stockFreshnessMs } : {}),
  });
  let errors = 0;
  pipeline.events.on('poll-error', () => {
    errors += 1;
  });
  return { pipeline, erp, group, connector, errors: () => errors };
}
