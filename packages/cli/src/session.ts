import { resolve } from 'node:path';
import { registerSecret } from '@conecta/core';
import { composeConecta, loadConfigFile, type Conecta, type ServerConfig } from './deployment/index.js';
import type { Demo, DemoOptions } from './deployment/demo.js';
import type { CliIo } from './io.js';

/** The config, its secrets' environment and, on demand, the composed SDK; with `--demo`, the demo's fakes behind it. */
export interface Session {
  config: ServerConfig;
  env: Record<string, string | undefined>;
  /** Where the config came from: a file path, or `demo`. */
  source: string;
  demo: Demo | undefined;
  /** Store, Mainô clients, connectors and pipeline; built at the first call. */
  conecta(): Promise<Conecta>;
  close(): Promise<void>;
}

export interface SessionOptions {
  demo: boolean;
  configPath: string | undefined;
  /** The doctor reports a broken Mercos rule instead of refusing the config. */
  mercosRule: boolean;
  /** For `--demo`: extra orders in one integration's fake (a backfill worth watching). */
  demoBackfill?: { integrationId: string; orders: number };
  /** For `--demo`: import every store and run the automatic steps first, so explain, reconcile and the rest have data. */
  demoWarmUp: boolean;
  /** For `--demo`: the demo's own options (tests make its Mainô differ from our assumptions). */
  demoOptions?: DemoOptions;
}

export async function openSession(io: CliIo, options: SessionOptions): Promise<Session> {
  if (options.demo) return openDemoSession(io, options);
  const path = resolve(io.cwd, options.configPath ?? io.env['CONECTA_CONFIG'] ?? 'conecta.config.json');
  const config = loadConfigFile(path, { mercosRule: options.mercosRule });
  registerConfigSecrets(config, io.env);
  return lazySession(config, io.env, path, undefined);
}

async function openDemoSession(io: CliIo, options: SessionOptions): Promise<Session> {
  const { startDemo } = await import('./deployment/demo.js');
  // In memory: the fakes start empty on every run, so a file would hold cursors of stores that no longer exist.
  const demo = await startDemo({ ordersPerStore: 8, malformedPerStore: 1, quarantineExample: false, ...options.demoOptions, storePath: ':memory:' });
  if (options.demoBackfill) {
    const platform = demo.platforms.find((candidate) => candidate.integrationId === options.demoBackfill!.integrationId);
    platform?.fake.seedOrders(options.demoBackfill.orders, { status: platform.statuses.paid });
  }
  const env = { ...io.env, ...demo.env };
  registerConfigSecrets(demo.config, env);
  const session = lazySession(demo.config, env, 'demo', demo);
  if (options.demoWarmUp) {
    const conecta = await session.conecta();
    for (const integrationId of conecta.pipeline.context.integrationIds()) await conecta.pipeline.poll(integrationId);
    await conecta.runner.drain();
  }
  return session;
}

function lazySession(config: ServerConfig, env: Record<string, string | undefined>, source: string, demo: Demo | undefined): Session {
  let composed: Promise<Conecta> | undefined;
  return {
    config,
    env,
    source,
    demo,
    conecta: () => (composed ??= composeConecta(config, env as NodeJS.ProcessEnv, { withoutSessions: true })),
    async close() {
      if (composed) await (await composed).close();
      await demo?.close();
    },
  };
}

/** Every secret the config names, registered for redaction before anything can print it. */
function registerConfigSecrets(config: ServerConfig, env: Record<string, string | undefined>): void {
  const references = JSON.stringify(config).match(/"env:[A-Z0-9_]+"/g) ?? [];
  for (const reference of references) {
    const name = reference.slice(5, -1);
    registerSecret(env[name]);
  }
}
