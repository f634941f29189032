import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { composeConecta, loadConfigFile } from '@conecta/cli/deployment';
import { DEMO_USERS, startDemo } from '@conecta/cli/demo';

/**
 * `npm run demo` (no config): the five platform fakes and the Mainô fake on local ports, generated orders, the
 * dashboard. With CONECTA_CONFIG=path/to/config.json: the real thing, secrets read from the environment.
 */
async function main(): Promise<void> {
  const configPath = process.env['CONECTA_CONFIG'];
  const demo = configPath ? undefined : await startDemo();
  const config = demo ? demo.config : loadConfigFile(configPath!);
  const env = demo ? { ...process.env, ...demo.env } : process.env;
  const conecta = await composeConecta(config, env, { demo: demo !== undefined });
  const app = createApp(conecta, {
    secureCookies: !demo && process.env['CONECTA_INSECURE_COOKIES'] !== '1',
    trustedProxies: config.server.trustedProxies,
    publicOrigins: config.server.publicOrigins,
  });
  conecta.events.on('poll-error', (event) => console.warn(`[leitura] ${event.integrationId}: ${event.code} ${event.message} (nova tentativa em ${Math.round(event.retryInMs / 1000)} s)`));
  conecta.runner.start();
  demo?.start(Number(process.env['DEMO_ORDER_INTERVAL_MS'] ?? 15_000));

  const server = serve({ fetch: app.fetch, hostname: config.server.host, port: config.server.port }, (info) => {
    const url = `http://${info.address === '::' ? 'localhost' : info.address}:${info.port}`;
    console.log(`Conecta no ar em ${url}`);
    if (demo) {
      console.log(`Entrada da demonstração: ${DEMO_USERS.main.email} / ${DEMO_USERS.main.password} (Grupo Demo, 3 empresas)`);
      console.log(`Segundo cliente: ${DEMO_USERS.other.email} / ${DEMO_USERS.other.password} (Loja Vizinha)`);
    }
  });

  const shutdown = async () => {
    console.log('Encerrando: terminando o trabalho em andamento...');
    server.close();
    await conecta.close();
    await demo?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
