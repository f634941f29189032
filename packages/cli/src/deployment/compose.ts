import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  normaliseCnpj,
  ConectaEventBus,
  IntegrationSchema,
  createPipeline,
  createRunner,
  registerSecret,
  type ErpPort,
  type Pipeline,
  type Runner,
  type Store,
} from '@conecta/core';
import { shareRateLimits } from '@conecta/core/http';
import { createMainoClient, type MainoClient } from '@conecta/maino-client';
import { createSqliteStore } from '@conecta/store-sqlite';
import { resolveSessionSecret } from './session-secret.js';
import type { ServerConfig } from './config.js';
import { routeErpByCompany } from './erp-router.js';
import { importLegacyDictionaryFile } from './legacy-dictionaries.js';
import { buildConnector, fromEnv, type Platform } from './platforms.js';

export interface Conecta {
  config: ServerConfig;
  store: Store;
  pipeline: Pipeline;
  runner: Runner;
  events: ConectaEventBus;
  sessionSecret: string;
  mainoBaseUrl: string | undefined;
  applicationUid: string;
  /** The Mainô client of each company (by 14-digit CNPJ); one client per group. */
  mainoClients: ReadonlyMap<string, MainoClient>;
  close(): Promise<void>;
}

/**
 * Builds the whole SDK from a validated config: store, Mainô clients, connectors, pipeline and runner. Outside the
 * demo (`demo: true`), a config without a session secret is refused before anything is opened.
 */
export async function composeConecta(
  config: ServerConfig,
  env: NodeJS.ProcessEnv = process.env,
  options: { demo?: boolean; /** No dashboard (the command line): no session secret is needed or read. */ withoutSessions?: boolean } = {},
): Promise<Conecta> {
  const sessionSecret = options.withoutSessions
    ? ''
    : resolveSessionSecret({
        configured: fromEnv(config.sessionSecret, 'sessionSecret', env),
        demo: options.demo ?? false,
        storePath: config.store.kind === 'sqlite' ? config.store.path : undefined,
      });
  registerSecret(sessionSecret);
  const store = await openStore(config, env);
  const applicationUid = fromEnv(config.maino.applicationUid, 'maino.applicationUid', env)!;
  const apiKeys = Object.fromEntries(Object.entries(config.maino.apiKeys).map(([cnpj, reference]) => [normaliseCnpj(cnpj) ?? cnpj, fromEnv(reference, `maino.apiKeys.${cnpj}`, env)!]));
  const clients = new Map<string, MainoClient>();
  for (const group of config.groups) {
    const cnpjs = group.companies.map((company) => company.cnpj);
    const keys = Object.fromEntries(cnpjs.filter((cnpj) => apiKeys[cnpj]).map((cnpj) => [cnpj, apiKeys[cnpj]!]));
    const client = createMainoClient({
      baseUrl: config.maino.baseUrl,
      group: { cnpjs },
      auth: { kind: 'api-key', keys },
      ...(config.maino.rateLimit ? { rateLimit: { ...config.maino.rateLimit, source: 'config' } } : {}),
    });
    for (const cnpj of cnpjs) clients.set(cnpj, client);
  }
  if (config.store.kind === 'sqlite' && config.store.path !== ':memory:') {
    await importLegacyDictionaryFile(join(dirname(config.store.path), 'status-dictionaries.json'), store);
  }
  const integrations = config.integrations.map((entry, index) => {
    const connector = buildConnector(entry.platform as Platform, entry.connection, `integrations.${index}.connection`, env);
    const integration = IntegrationSchema.parse({
      id: entry.id,
      platform: entry.platform,
      name: entry.name,
      groupId: entry.groupId,
      mode: entry.mode,
      stockPush: entry.stockPush,
      noDirectIntegration: entry.noDirectIntegration,
      // A dictionary edited on the dashboard is kept in the store and wins over this one (the pipeline reads it).
      statusDictionary: entry.statusDictionary ?? connector.defaultStatusDictionary,
    });
    return { integration, connector };
  });
  const events = new ConectaEventBus();
  const pipeline = createPipeline({ store, erp: routeErpByCompany(clients as ReadonlyMap<string, ErpPort>), groups: config.groups, integrations, events, stockFreshnessMs: config.stockFreshnessMs });
  const pollIntervalMs = Math.min(...config.integrations.map((entry) => entry.pollIntervalMs));
  const runner = createRunner(pipeline, { pollIntervalMs, workIntervalMs: 1_000, concurrency: 4 });
  return {
    config,
    store,
    pipeline,
    runner,
    events,
    sessionSecret,
    mainoBaseUrl: config.maino.baseUrl,
    applicationUid,
    mainoClients: clients,
    async close() {
      await runner.stop();
      // Clients made later in this process (a test composing again) must not reach for a closed store's limiter.
      if (config.store.kind === 'postgres') shareRateLimits(undefined);
      await store.close();
    },
  };
}

/** The store the config names (SQLite file by default, PostgreSQL by URL). */
export async function openStore(config: ServerConfig, env: NodeJS.ProcessEnv): Promise<Store> {
  if (config.store.kind === 'postgres') {
    const url = fromEnv(config.store.url, 'store.url', env)!;
    const { createPostgresStore } = await import('@conecta/store-postgres');
    const store = await createPostgresStore({ connectionString: url });
    // Several servers on one database: each platform's and Mainô's rate limits are shared through it.
    shareRateLimits(store.rateLimiter);
    return store;
  }
  if (config.store.path !== ':memory:') mkdirSync(dirname(config.store.path), { recursive: true });
  return createSqliteStore({ filename: config.store.path });
}
