/**
 * The whole SDK wired against the five platform fakes and the Mainô fake, every fake served by msw under its own
 * base URL, with a real Mainô client and the SQLite store on a temporary file. The knowledge of how each connector
 * and fake is configured (credentials, base URLs, paid and cancelled statuses) mirrors examples/conecta-server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import {
  CompanyGroupSchema,
  ConectaEventBus,
  IntegrationSchema,
  createPipeline,
  createRunner,
  erpReference,
  type Connector,
  type ErpPort,
  type IntegrationMode,
  type Pipeline,
  type Runner,
  type RunnerOptions,
  type Store,
} from '@conecta/core';
import type { PlatformFake } from '@conecta/core/testing';
import { createLojaIntegradaConnector } from '@conecta/connector-lojaintegrada';
import { createLojaIntegradaFake } from '@conecta/connector-lojaintegrada/fake';
import { createMercosConnector } from '@conecta/connector-mercos';
import { createMercosFake } from '@conecta/connector-mercos/fake';
import { createRecompraConnector } from '@conecta/connector-recompra';
import { createRecompraFake } from '@conecta/connector-recompra/fake';
import { createTrayConnector } from '@conecta/connector-tray';
import { createTrayFake } from '@conecta/connector-tray/fake';
import { createWooCommerceConnector } from '@conecta/connector-woocommerce';
import { createWooCommerceFake } from '@conecta/connector-woocommerce/fake';
import { createMainoClient } from '@conecta/maino-client';
import { createMainoFake, type MainoFake } from '@conecta/maino-client/fake';
import { createSqliteStore } from '@conecta/store-sqlite';

export const MATRIZ = '11222333000181';
export const FILIAL = '45723174000110';
export const CD = '19131243000197';
export const COMPANIES = [
  { cnpj: MATRIZ, name: 'Matriz Curitiba', priority: 1 },
  { cnpj: FILIAL, name: 'Filial São Paulo', priority: 2 },
  { cnpj: CD, name: 'CD Joinville', priority: 3 },
] as const;

export type PlatformId = 'tray' | 'woocommerce' | 'lojaintegrada' | 'mercos' | 'recompra';
export const PLATFORM_IDS: PlatformId[] = ['tray', 'woocommerce', 'lojaintegrada', 'mercos', 'recompra'];

/** Paid and cancelled status of each platform, as its fake spells them (see packages/cli/src/deployment/demo.ts). */
export const STATUSES: Record<PlatformId, { paid: string; cancelled: string }> = {
  tray: { paid: 'A ENVIAR', cancelled: 'CANCELADO' },
  woocommerce: { paid: 'processing', cancelled: 'cancelled' },
  lojaintegrada: { paid: 'pedido_pago', cancelled: 'pedido_cancelado' },
  mercos: { paid: '2', cancelled: '0' },
  recompra: { paid: 'paid', cancelled: 'cancelled' },
};

export const NAMES: Record<PlatformId, string> = {
  tray: 'Loja Tray',
  woocommerce: 'Loja WooCommerce',
  lojaintegrada: 'Loja Integrada',
  mercos: 'Mercos B2B',
  recompra: 'Recompra.aí',
};

/** Every secret the world configures: none may show up in a response or an error. */
export const SECRETS = {
  trayAccess: 'e2e-tray-access-7f3a91c0d2',
  trayRefresh: 'e2e-tray-refresh-2c8d44ab19',
  trayKey: 'e2e-tray-ck-5b1e0c9a',
  traySecret: 'e2e-tray-cs-9d0a7e3f',
  trayHook: 'e2e-tray-hook-3e7f21b6',
  wooKey: 'ck_e2e00000000000000000000000000000000001',
  wooSecret: 'cs_e2e00000000000000000000000000000000001',
  wooHook: 'e2e-woo-webhook-8a2b55d1',
  liApi: 'e2e-li-chave-6c4d11aa',
  liApp: 'e2e-li-app-1f9e22bb',
  liHook: 'e2e-li-hook-7b3c33cc',
  mercosApp: 'e2e-mercos-app-4e2a44dd',
  mercosCompany: 'e2e-mercos-company-8f1b55ee',
  recompraHook: 'e2e-recompra-hook-5d6e66ff',
  recompraApi: 'e2e-recompra-api-2a7c7700',
  mainoKeys: { [MATRIZ]: 'e2e-maino-key-matriz-01', [FILIAL]: 'e2e-maino-key-filial-02', [CD]: 'e2e-maino-key-cd-03' } as Record<string, string>,
};
export const SECRET_VALUES = [...Object.values(SECRETS).filter((value): value is string => typeof value === 'string'), ...Object.values(SECRETS.mainoKeys)];

const BASE_URLS = {
  tray: 'https://loja-e2e.commercesuite.com.br/web_api',
  woocommerce: 'https://woo-e2e.example.test',
  lojaintegrada: 'https://li-e2e.example.test',
  mercos: 'https://mercos-e2e.example.test/api',
  recompra: 'https://recompra-e2e.example.test/v1',
  maino: 'https://maino-e2e.example.test/api/v2',
} as const;

/** Fast retries, roomy client-side limits: the fakes' own 429s are what a test exercises. */
const FAST_HTTP = { baseDelayMs: 5, maxDelayMs: 50, attemptTimeoutMs: 3_000, deadlineMs: 20_000 };
const ROOMY = { requests: 2_000, intervalMs: 1_000, burst: 2_000, source: 'test' };

// One msw server per test file; handlers route to the fakes of the world being built.
const routes = new Map<string, { handle: (request: Request) => Promise<Response> }>();
const routeNames = new Map<string, PlatformId | 'maino'>();
let beforeRequest: ((target: PlatformId | 'maino', request: Request) => void) | undefined;
let server: ReturnType<typeof setupServer> | undefined;
function ensureServer(): void {
  if (server) return;
  const created = setupServer(
    ...Object.values(BASE_URLS).map((baseUrl) =>
      http.all(`${baseUrl}/*`, async ({ request }) => {
        const fake = routes.get(baseUrl);
        if (!fake) return new Response('no fake', { status: 502 });
        beforeRequest?.(routeNames.get(baseUrl)!, request);
        return fake.handle(request);
      })
    )
  );
  created.listen({ onUnhandledFrame: 'error' });
  server = created;
}
export function stopServer(): void {
  server?.close();
  server = undefined;
}

export interface PlatformSlot {
  id: PlatformId;
  fake: PlatformFake;
  connector: Connector;
}

export interface WorldOptions {
  /** Companies of the group (default all three). */
  companies?: number;
  mode?: IntegrationMode;
  /** Mainô client per-attempt timeout (default 3 s). */
  mainoAttemptTimeoutMs?: number;
  platforms?: PlatformId[];
  /** Stock push on for the platforms that support it, keeping `buffer` units back. */
  stockPush?: { buffer: number };
}

/** Wraps every ERP call: `call()` performs it against the Mainô fake. */
export type ErpHook = (method: string, args: unknown[], call: () => Promise<unknown>) => Promise<unknown>;

export interface World {
  /** Called before each request reaches a fake (e.g. to queue a fault on it). */
  beforeRequest(hook: ((target: PlatformId | 'maino', request: Request) => void) | undefined): void;
  /** Sets (or clears) the hook every ERP call of the pipeline goes through. */
  interceptErp(hook: ErpHook | undefined): void;
  fakes: Record<PlatformId, PlatformFake>;
  slots: PlatformSlot[];
  maino: MainoFake;
  erp: ErpPort;
  dbPath: string;
  store: Store;
  pipeline: Pipeline;
  events: ConectaEventBus;
  cnpjs: string[];
  /** A new store, pipeline and runner on the same database file (the old store is closed first). */
  reopen(): Promise<void>;
  /** A second process: another store connection and pipeline on the same database file (closed by `close`). */
  another(): { store: Store; pipeline: Pipeline };
  runner(options?: RunnerOptions): Runner;
  /** Gives every SKU of the order stock in Mainô: `units[i]` whole units in company i (only when the SKU is new). */
  stockOrder(platform: PlatformId, externalId: string, units: number[]): void;
  setStock(sku: string, units: number[]): void;
  orderId(platform: PlatformId, externalId: string): string;
  reference(platform: PlatformId, externalId: string, cnpj: string): string;
  /** Mainô orders carrying this reference, over every company. */
  mainoCount(platform: PlatformId, externalId: string): number;
  close(): Promise<void>;
}

/** The five platform fakes, on the base URLs and credentials the connectors of `makeConnector` use. */
export function makeFakes(): Record<PlatformId, PlatformFake> {
  return {
    tray: createTrayFake({
      apiAddress: BASE_URLS.tray,
      accessToken: SECRETS.trayAccess,
      refreshToken: SECRETS.trayRefresh,
      consumerKey: SECRETS.trayKey,
      consumerSecret: SECRETS.traySecret,
      storeId: '391250',
      webhookPathToken: SECRETS.trayHook,
      minuteLimit: 100_000,
      dailyLimit: 1_000_000,
    }),
    woocommerce: createWooCommerceFake({
      baseUrl: BASE_URLS.woocommerce,
      consumerKey: SECRETS.wooKey,
      consumerSecret: SECRETS.wooSecret,
      webhookSecret: SECRETS.wooHook,
    }),
    lojaintegrada: createLojaIntegradaFake({
      baseUrl: BASE_URLS.lojaintegrada,
      chaveApi: SECRETS.liApi,
      chaveAplicacao: SECRETS.liApp,
      webhookToken: SECRETS.liHook,
    }),
    mercos: createMercosFake({ baseUrl: BASE_URLS.mercos, applicationToken: SECRETS.mercosApp, companyToken: SECRETS.mercosCompany }),
    recompra: createRecompraFake({ baseUrl: BASE_URLS.recompra, apiToken: SECRETS.recompraApi, webhookToken: SECRETS.recompraHook }),
  };
}

let connectorSeq = 0;

/** The connector of one platform against its fake; `fetch` replaces msw (e.g. to alter the fake's answers). */
export function makeConnector(id: PlatformId, fetch?: typeof globalThis.fetch): Connector {
  const fetchOption = fetch ? { fetch } : {};
  const builders: Record<PlatformId, () => Connector> = {
    tray: () =>
      createTrayConnector({
        apiAddress: BASE_URLS.tray,
        credentials: {
          accessToken: SECRETS.trayAccess,
          refreshToken: SECRETS.trayRefresh,
          consumerKey: SECRETS.trayKey,
          consumerSecret: SECRETS.traySecret,
          storeId: '391250',
        },
        webhook: { pathToken: SECRETS.trayHook, allowUnsigned: true },
        http: FAST_HTTP,
        ...fetchOption,
        rateLimit: ROOMY,
        rateLimitKey: `e2e-tray-${++connectorSeq}`,
      }),
    woocommerce: () =>
      createWooCommerceConnector({
        storeUrl: BASE_URLS.woocommerce,
        consumerKey: SECRETS.wooKey,
        consumerSecret: SECRETS.wooSecret,
        webhookSecret: SECRETS.wooHook,
        http: FAST_HTTP,
        ...fetchOption,
        rateLimit: ROOMY,
      }),
    lojaintegrada: () =>
      createLojaIntegradaConnector({
        baseUrl: BASE_URLS.lojaintegrada,
        chaveApi: SECRETS.liApi,
        chaveAplicacao: SECRETS.liApp,
        webhookToken: SECRETS.liHook,
        http: FAST_HTTP,
        ...fetchOption,
        rateLimit: ROOMY,
        throttleRetryDelayMs: 50,
      }),
    mercos: () =>
      createMercosConnector({
        baseUrl: BASE_URLS.mercos,
        applicationToken: SECRETS.mercosApp,
        companyToken: SECRETS.mercosCompany,
        http: FAST_HTTP,
        rateLimit: ROOMY,
        ...fetchOption,
      }),
    recompra: () =>
      createRecompraConnector({
        webhookToken: SECRETS.recompraHook,
        polling: { baseUrl: BASE_URLS.recompra, apiToken: SECRETS.recompraApi },
        http: FAST_HTTP,
        ...fetchOption,
        rateLimit: ROOMY,
      }),
  };
  return builders[id]();
}

export async function createWorld(options: WorldOptions = {}): Promise<World> {
  const companies = COMPANIES.slice(0, options.companies ?? 3);
  const cnpjs = companies.map((company) => company.cnpj);
  const ids = options.platforms ?? PLATFORM_IDS;

  const maino = createMainoFake({ baseUrl: BASE_URLS.maino, applicationUid: 'e2e-maino-app' });
  for (const company of companies) {
    maino.addCompany(company.cnpj, company.name);
    maino.addApiKey(company.cnpj, SECRETS.mainoKeys[company.cnpj]!);
  }
  const fakes = makeFakes();
  routes.clear();
  beforeRequest = undefined;
  routes.set(BASE_URLS.maino, maino);
  routeNames.set(BASE_URLS.maino, 'maino');
  for (const id of PLATFORM_IDS) {
    routes.set(BASE_URLS[id], fakes[id]);
    routeNames.set(BASE_URLS[id], id);
  }
  ensureServer();

  const slots: PlatformSlot[] = ids.map((id) => ({ id, fake: fakes[id], connector: makeConnector(id) }));

  const client = createMainoClient({
    baseUrl: BASE_URLS.maino,
    group: { cnpjs },
    auth: { kind: 'api-key', keys: Object.fromEntries(cnpjs.map((cnpj) => [cnpj, SECRETS.mainoKeys[cnpj]!])) },
    rateLimit: ROOMY,
    http: { ...FAST_HTTP, attemptTimeoutMs: options.mainoAttemptTimeoutMs ?? 3_000 },
  });
  // The pipeline talks to the client through this hook, so a test can make a step die after a real ERP call.
  let hook: ErpHook | undefined;
  const erp = new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const call = () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        return hook ? hook(String(property), args, call) : call();
      };
    },
  }) as ErpPort;

  const group = CompanyGroupSchema.parse({
    id: 'grupo-e2e',
    name: 'Grupo E2E',
    companies,
    allocation: { strategy: 'priority-greedy', shortfall: 'all-or-nothing' },
  });
  const integrations = slots.map((slot) => ({
    integration: IntegrationSchema.parse({
      id: slot.id,
      platform: slot.id,
      name: NAMES[slot.id],
      groupId: group.id,
      mode: options.mode ?? 'automatic',
      ...(options.stockPush && slot.connector.capabilities.stockPush ? { stockPush: { enabled: true, buffer: { kind: 'units', units: options.stockPush.buffer } } } : {}),
      statusDictionary: slot.connector.defaultStatusDictionary,
      // The fakes have no Mainô-side Mercos integration, so a one-company world may carry Mercos too.
      ...(slot.id === 'mercos' && companies.length === 1 ? { noDirectIntegration: true } : {}),
    }),
    connector: slot.connector,
  }));

  const dir = mkdtempSync(join(tmpdir(), 'conecta-e2e-'));
  const dbPath = join(dir, 'conecta.db');
  const events = new ConectaEventBus();
  const build = () => {
    const store = createSqliteStore({ filename: dbPath });
    return { store, pipeline: createPipeline({ store, erp, groups: [group], integrations, events }) };
  };

  const stocked = new Set<string>();
  const extra: Store[] = [];
  const world: World = {
    fakes,
    slots,
    maino,
    erp,
    beforeRequest: (next) => {
      beforeRequest = next;
    },
    interceptErp: (next) => {
      hook = next;
    },
    dbPath,
    events,
    cnpjs,
    ...build(),
    another() {
      const other = build();
      extra.push(other.store);
      return other;
    },
    async reopen() {
      for (const store of extra.splice(0)) await store.close().catch(() => undefined);
      await world.store.close();
      Object.assign(world, build());
    },
    runner: (runnerOptions) => createRunner(world.pipeline, { workIntervalMs: 10, pollIntervalMs: 50, concurrency: 4, ...runnerOptions }),
    setStock(sku, units) {
      cnpjs.forEach((cnpj, index) => {
        const qtdeMilli = (units[index] ?? 0) * 1000;
        if (maino.stockOf(cnpj, sku)) maino.setStock(cnpj, sku, { qtdeMilli });
        else maino.addProducts(cnpj, [{ sku, name: `Produto ${sku}`, qtdeMilli }]);
      });
    },
    stockOrder(platform, externalId, units) {
      for (const line of fakes[platform].expectedOrder(externalId).lines) {
        if (stocked.has(line.sku)) continue;
        stocked.add(line.sku);
        world.setStock(line.sku, units);
      }
    },
    orderId: (platform, externalId) => `${platform}:${externalId}`,
    reference: (platform, externalId, cnpj) => erpReference({ integrationId: platform, externalId, companyCnpj: cnpj }),
    mainoCount: (platform, externalId) => cnpjs.reduce((sum, cnpj) => sum + maino.countByReference(cnpj, world.reference(platform, externalId, cnpj)), 0),
    async close() {
      beforeRequest = undefined;
      hook = undefined;
      for (const store of extra.splice(0)) await store.close().catch(() => undefined);
      await world.store.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/** Seeds `count` paid orders on every platform of the world and stocks their SKUs; returns them per platform. */
export function seedPaid(world: World, count: number, units: number[] = [1_000, 0, 0]): Record<PlatformId, string[]> {
  const out = {} as Record<PlatformId, string[]>;
  for (const slot of world.slots) {
    out[slot.id] = slot.fake.seedOrders(count, { status: STATUSES[slot.id].paid });
    for (const externalId of out[slot.id]) world.stockOrder(slot.id, externalId, units);
  }
  return out;
}

/** Every stored order of the world, with its movements. */
export async function allOrders(world: World) {
  const out: Array<Awaited<ReturnType<Pipeline['getOrder']>>> = [];
  for (const slot of world.slots) {
    const page = await world.pipeline.listOrders({ integrationId: slot.id, limit: 10_000 });
    for (const item of page.items) out.push(await world.pipeline.getOrder(item.order.id));
  }
  return out;
}
