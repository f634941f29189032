import { rmSync } from 'node:fs';
import { serveHandler, type FetchHandler } from '@conecta/core/fakes';
import type { PlatformFake } from '@conecta/core/fakes';
import { createLojaIntegradaFake } from '@conecta/connector-lojaintegrada/fake';
import { createMercosFake } from '@conecta/connector-mercos/fake';
import { createRecompraFake } from '@conecta/connector-recompra/fake';
import { createTrayFake } from '@conecta/connector-tray/fake';
import { createWooCommerceFake } from '@conecta/connector-woocommerce/fake';
import { createMainoFake, type MainoFake, type MainoFakeOptions, type MainoFault } from '@conecta/maino-client/fake';
import { parseConfig, type ServerConfig } from './config.js';

/**
 * The demo's fakes start empty on every run, so its database starts empty too: a file left by an earlier run would
 * hold cursors and orders of stores that no longer exist. CONECTA_DB keeps a file of your choosing untouched.
 */
function demoStorePath(explicit: string | undefined): string {
  const path = explicit ?? process.env['CONECTA_DB'];
  if (path) return path;
  const fallback = '.data/demo.db';
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${fallback}${suffix}`, { force: true });
  rmSync('.data/status-dictionaries.json', { force: true });
  // .data/session-secret stays: drawn at the first run, it keeps people signed in across restarts.
  return fallback;
}

/** Three companies of one group, with different priorities, and a second tenant with one company. */
export const DEMO_COMPANIES = [
  { cnpj: '11222333000181', name: 'Matriz Curitiba', priority: 1 },
  { cnpj: '45723174000110', name: 'Filial São Paulo', priority: 2 },
  // An alphanumeric CNPJ (IN RFB 2.229/2024, issued since July 2026): the Receita's own example.
  { cnpj: '12ABC34501DE35', name: 'CD Joinville', priority: 3 },
] as const;
export const OTHER_TENANT_COMPANY = { cnpj: '06990590000123', name: 'Loja Vizinha', priority: 1 } as const;

export const DEMO_USERS = {
  main: { email: 'demo@conecta.dev', password: 'conecta-demo-123', cnpjs: DEMO_COMPANIES.map((company) => company.cnpj) },
  other: { email: 'vizinha@conecta.dev', password: 'vizinha-demo-456', cnpjs: [OTHER_TENANT_COMPANY.cnpj] },
};

interface DemoPlatform {
  integrationId: string;
  fake: PlatformFake;
  statuses: { paid: string; cancelled: string; unmapped?: string };
}

export interface Demo {
  config: ServerConfig;
  env: Record<string, string>;
  maino: MainoFake;
  platforms: DemoPlatform[];
  /** Adds one order to every store: most paid, some with an unmapped status, some cancelled later. */
  tick(): void;
  start(intervalMs: number): void;
  close(): Promise<void>;
}

/** Starts the five platform fakes and the Mainô fake on local ports and builds the config that points at them. */
export interface DemoOptions {
  ordersPerStore?: number;
  /** SQLite file (or ':memory:'); default CONECTA_DB or .data/demo.db. */
  storePath?: string;
  /** One Tray order with a broken price, so the dashboard has a payload in quarantine to show; default true. */
  quarantineExample?: boolean;
  /** Orders per store whose payload breaks the platform's schema, so quarantine has something to show. Default 0. */
  malformedPerStore?: number;
  /** Options of the Mainô fake, e.g. an account that ignores the reference filter (what `conecta doctor` must notice). */
  maino?: Omit<MainoFakeOptions, 'baseUrl' | 'applicationUid'>;
  /** Faults queued on the Mainô fake at start (e.g. `omit-fields` for an account without `qtde_armazenada`). */
  mainoFaults?: MainoFault[];
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const servers: Array<{ close: () => Promise<void> }> = [];
  const serve = async <T extends { handle: FetchHandler }>(build: (url: string) => T) => {
    let handler: FetchHandler = () => new Response('starting', { status: 503 });
    const server = await serveHandler((request) => handler(request));
    servers.push(server);
    const built = build(server.url);
    handler = (request) => built.handle(request);
    return { url: server.url, built };
  };

  const secrets = {
    TRAY_ACCESS_TOKEN: 'demo-tray-access-7f3a91',
    TRAY_REFRESH_TOKEN: 'demo-tray-refresh-2c8d44',
    TRAY_CONSUMER_KEY: 'demo-tray-ck-5b1e',
    TRAY_CONSUMER_SECRET: 'demo-tray-cs-9d0a',
    TRAY_WEBHOOK_TOKEN: 'demo-tray-hook-3e7f21',
    WOO_CONSUMER_KEY: 'ck_demo0000000000000000000000000000000001',
    WOO_CONSUMER_SECRET: 'cs_demo0000000000000000000000000000000001',
    WOO_WEBHOOK_SECRET: 'demo-woo-webhook-8a2b',
    LI_CHAVE_API: 'demo-li-chave-6c4d',
    LI_CHAVE_APLICACAO: 'demo-li-app-1f9e',
    LI_WEBHOOK_TOKEN: 'demo-li-hook-7b3c',
    MERCOS_APPLICATION_TOKEN: 'demo-mercos-app-4e2a',
    MERCOS_COMPANY_TOKEN: 'demo-mercos-company-8f1b',
    RECOMPRA_WEBHOOK_TOKEN: 'demo-recompra-hook-5d6e',
    RECOMPRA_API_TOKEN: 'demo-recompra-api-2a7c',
    MAINO_APPLICATION_UID: 'demo-maino-app-uid',
  } as Record<string, string>;

  // The stores' clocks start an hour ago, so the demo's orders are recent; WooCommerce's starts now, since its
  // clock also dates its answers (a Date header an hour off would be a wrong clock).
  const startAt = new Date(Date.now() - 3_600_000).toISOString();
  const saoPauloWallTime = new Date(Date.parse(startAt) - 3 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
  const maino = await serve((url) => createMainoFake({ ...options.maino, baseUrl: `${url}/api/v2`, applicationUid: secrets['MAINO_APPLICATION_UID'] }));
  const mainoFake = maino.built;
  for (const fault of options.mainoFaults ?? []) mainoFake.inject(fault);
  for (const company of [...DEMO_COMPANIES, OTHER_TENANT_COMPANY]) {
    mainoFake.addCompany(company.cnpj, company.name);
    const key = `demo-maino-key-${company.cnpj.slice(0, 8)}`;
    secrets[`MAINO_KEY_${company.cnpj}`] = key;
    mainoFake.addApiKey(company.cnpj, key);
  }
  mainoFake.addUser({ ...DEMO_USERS.main, name: 'Demo' });
  mainoFake.addUser({ ...DEMO_USERS.other, name: 'Vizinha' });

  const tray = await serve((url) =>
    createTrayFake({
      apiAddress: `${url}/web_api`,
      accessToken: secrets['TRAY_ACCESS_TOKEN'],
      refreshToken: secrets['TRAY_REFRESH_TOKEN'],
      consumerKey: secrets['TRAY_CONSUMER_KEY'],
      consumerSecret: secrets['TRAY_CONSUMER_SECRET'],
      storeId: '391250',
      // The same secret path segment the integration checks, so the fake's deliveries reach /webhooks/tray/<token>.
      webhookPathToken: secrets['TRAY_WEBHOOK_TOKEN'],
      // The demo's client goes faster than Tray's 180 a minute (see the integration's rateLimit below).
      minuteLimit: 6_000,
    }),
  );
  const woo = await serve((url) =>
    createWooCommerceFake({ baseUrl: url, consumerKey: secrets['WOO_CONSUMER_KEY'], consumerSecret: secrets['WOO_CONSUMER_SECRET'], webhookSecret: secrets['WOO_WEBHOOK_SECRET'], startAt: new Date().toISOString() }),
  );
  // As a merchant would have saved them in wp-admin, pointing at this server (`conecta doctor` lists them).
  for (const topic of ['order.created', 'order.updated']) woo.built.addWebhook({ topic, deliveryUrl: `http://127.0.0.1:${process.env['PORT'] ?? 3000}/webhooks/woocommerce` });
  const li = await serve((url) =>
    createLojaIntegradaFake({ baseUrl: url, chaveApi: secrets['LI_CHAVE_API'], chaveAplicacao: secrets['LI_CHAVE_APLICACAO'], webhookToken: secrets['LI_WEBHOOK_TOKEN'], startAt }),
  );
  const mercos = await serve((url) => createMercosFake({ baseUrl: `${url}/api`, applicationToken: secrets['MERCOS_APPLICATION_TOKEN'], companyToken: secrets['MERCOS_COMPANY_TOKEN'], clockStart: saoPauloWallTime }));
  const recompra = await serve((url) => createRecompraFake({ baseUrl: `${url}/v1`, apiToken: secrets['RECOMPRA_API_TOKEN'], webhookToken: secrets['RECOMPRA_WEBHOOK_TOKEN'], startAt }));

  const env = (name: string) => `env:${name}`;
  const config = parseConfig({
    server: { host: '127.0.0.1', port: Number(process.env['PORT'] ?? 3000) },
    store: { kind: 'sqlite', path: demoStorePath(options.storePath) },
    maino: {
      baseUrl: `${maino.url}/api/v2`,
      applicationUid: env('MAINO_APPLICATION_UID'),
      apiKeys: Object.fromEntries([...DEMO_COMPANIES, OTHER_TENANT_COMPANY].map((company) => [company.cnpj, env(`MAINO_KEY_${company.cnpj}`)])),
      // The fake is local: no need for the assumed 2 a second.
      rateLimit: { requests: 50, intervalMs: 1000 },
    },
    groups: [
      { id: 'grupo-demo', name: 'Grupo Demo', companies: DEMO_COMPANIES, allocation: { strategy: 'priority-greedy', shortfall: 'all-or-nothing' } },
      { id: 'loja-vizinha', name: 'Loja Vizinha', companies: [OTHER_TENANT_COMPANY] },
    ],
    integrations: [
      {
        id: 'tray',
        platform: 'tray',
        name: 'Loja Tray',
        groupId: 'grupo-demo',
        mode: 'on-command',
        pollIntervalMs: 5_000,
        connection: {
          apiAddress: `${tray.url}/web_api`,
          accessToken: env('TRAY_ACCESS_TOKEN'),
          refreshToken: env('TRAY_REFRESH_TOKEN'),
          consumerKey: env('TRAY_CONSUMER_KEY'),
          consumerSecret: env('TRAY_CONSUMER_SECRET'),
          webhookPathToken: env('TRAY_WEBHOOK_TOKEN'),
          storeId: '391250',
          // The fake is local: Tray's 180 a minute would make a demo backfill crawl.
          rateLimit: { requests: 40, intervalMs: 1000 },
        },
      },
      {
        id: 'woocommerce',
        platform: 'woocommerce',
        name: 'Loja WooCommerce',
        groupId: 'grupo-demo',
        mode: 'automatic',
        pollIntervalMs: 5_000,
        stockPush: { enabled: true, buffer: { kind: 'units', units: 1 } },
        connection: { storeUrl: woo.url, consumerKey: env('WOO_CONSUMER_KEY'), consumerSecret: env('WOO_CONSUMER_SECRET'), webhookSecret: env('WOO_WEBHOOK_SECRET'), allowInsecureHttp: true },
      },
      {
        id: 'lojaintegrada',
        platform: 'lojaintegrada',
        name: 'Loja Integrada',
        groupId: 'grupo-demo',
        mode: 'on-command',
        pollIntervalMs: 5_000,
        connection: { baseUrl: li.url, chaveApi: env('LI_CHAVE_API'), chaveAplicacao: env('LI_CHAVE_APLICACAO'), webhookToken: env('LI_WEBHOOK_TOKEN') },
      },
      {
        id: 'mercos',
        platform: 'mercos',
        name: 'Mercos B2B',
        groupId: 'grupo-demo',
        mode: 'automatic',
        pollIntervalMs: 5_000,
        // The fake is local: no need for the sandbox's pace of one call every 5.5 s.
        connection: { baseUrl: `${mercos.url}/api`, applicationToken: env('MERCOS_APPLICATION_TOKEN'), companyToken: env('MERCOS_COMPANY_TOKEN'), rateLimit: { requests: 10, intervalMs: 1000 } },
      },
      {
        id: 'recompra',
        platform: 'recompra',
        name: 'Recompra.aí',
        groupId: 'loja-vizinha',
        pollIntervalMs: 5_000,
        connection: { webhookToken: env('RECOMPRA_WEBHOOK_TOKEN'), polling: { baseUrl: `${recompra.url}/v1`, apiToken: env('RECOMPRA_API_TOKEN') } },
      },
    ],
  });

  const platforms: DemoPlatform[] = [
    { integrationId: 'tray', fake: tray.built, statuses: { paid: 'A ENVIAR', cancelled: 'CANCELADO', unmapped: 'EM SEPARAÇÃO' } },
    { integrationId: 'woocommerce', fake: woo.built, statuses: { paid: 'processing', cancelled: 'cancelled', unmapped: 'em-separacao' } },
    { integrationId: 'lojaintegrada', fake: li.built, statuses: { paid: 'pedido_pago', cancelled: 'pedido_cancelado' } },
    { integrationId: 'mercos', fake: mercos.built, statuses: { paid: '2', cancelled: '0' } },
    { integrationId: 'recompra', fake: recompra.built, statuses: { paid: 'paid', cancelled: 'cancelled', unmapped: 'awaiting_pickup' } },
  ];

  const stocked = new Set<string>();
  let counter = 0;
  /** Each new SKU gets stock in Mainô: plenty in one company, little in another, none in the third. */
  const stockFor = (platform: DemoPlatform, externalId: string) => {
    const tenantCompanies = platform.integrationId === 'recompra' ? [OTHER_TENANT_COMPANY] : DEMO_COMPANIES;
    for (const { sku } of platform.fake.expectedOrder(externalId).lines) {
      // An unmatched line (no SKU) gets no movement, so there is no stock to give it.
      if (sku === undefined) continue;
      const key = `${platform.integrationId}:${sku}`;
      if (stocked.has(key)) continue;
      stocked.add(key);
      // The store sells the product too, so a stock push finds it there.
      platform.fake.seedProducts([sku]);
      const seed = sku.length + stocked.size;
      tenantCompanies.forEach((company, index) => {
        const units = [seed % 3, 4 + (seed % 5), seed % 4 === 0 ? 0 : 30][index] ?? 50;
        mainoFake.addProducts(company.cnpj, [{ sku, name: `Produto ${sku}`, qtdeMilli: units * 1000 }]);
      });
    }
  };
  const pending: Array<{ platform: DemoPlatform; externalId: string }> = [];
  const seedOne = (platform: DemoPlatform) => {
    counter += 1;
    const unmapped = platform.statuses.unmapped && counter % 7 === 0;
    const [externalId] = platform.fake.seedOrders(1, { status: unmapped ? platform.statuses.unmapped : platform.statuses.paid });
    if (!externalId) return;
    stockFor(platform, externalId);
    if (counter % 5 === 0) pending.push({ platform, externalId });
  };
  const cancelSome = () => {
    const next = pending.shift();
    if (next) next.platform.fake.modifyOrder(next.externalId, { status: next.platform.statuses.cancelled });
  };

  for (const platform of platforms) for (let index = 0; index < (options.ordersPerStore ?? 6); index += 1) seedOne(platform);
  for (const platform of platforms) for (let index = 0; index < (options.malformedPerStore ?? 0); index += 1) platform.fake.addMalformedOrder();
  cancelSome();
  if (options.quarantineExample ?? true) tray.built.addMalformedOrder();
  let timer: NodeJS.Timeout | undefined;

  return {
    config,
    env: secrets,
    maino: mainoFake,
    platforms,
    tick() {
      for (const platform of platforms) seedOne(platform);
      cancelSome();
    },
    start(intervalMs) {
      timer = setInterval(() => {
        for (const platform of platforms) seedOne(platform);
        cancelSome();
      }, intervalMs);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      await Promise.all(servers.map((server) => server.close()));
    },
  };
}
