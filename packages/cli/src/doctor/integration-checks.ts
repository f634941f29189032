import { AuthError, ConfigurationError, resolveStatus, type Connector, type StatusDictionary } from '@conecta/core';
import { createHttpClient } from '@conecta/core/http';
import { LOJAINTEGRADA_BASE_URL } from '@conecta/connector-lojaintegrada';
import { MERCOS_HOSTS } from '@conecta/connector-mercos';
import { buildConnector, ConnectionSchemas, fromEnv, type Platform, type ServerConfig } from '../deployment/index.js';
import type { Say } from '../i18n.js';
import { describe } from './maino-probe.js';
import type { CheckRow, CheckStatus } from './report.js';

type IntegrationEntry = ServerConfig['integrations'][number];

export interface IntegrationCheckOptions {
  entry: IntegrationEntry;
  index: number;
  env: Record<string, string | undefined>;
  say: Say;
  /** The dictionary edited on the dashboard, when the store keeps one: it wins over the config's. */
  storedDictionary?: StatusDictionary;
  /** How far back "recent orders" go. Default 30 days. */
  recentDays?: number;
  /** Orders looked at, at most (whole pages). Default 200. */
  maxOrders?: number;
  now?: () => number;
  signal?: AbortSignal;
}

/** Clock offsets up to this are fine: cursors and date filters work to the second, with margins of minutes. */
const CLOCK_TOLERANCE_MS = 60_000;

/** Read-only checks of one integration: credentials, listing, unmapped statuses, webhook registration, clock. */
export async function checkIntegration(options: IntegrationCheckOptions): Promise<CheckRow[]> {
  const { entry, say } = options;
  const scope = `integration:${entry.id}`;
  const rows: CheckRow[] = [];
  const row = (check: string, label: string, status: CheckStatus, detail: Partial<Pick<CheckRow, 'expected' | 'came' | 'note'>> = {}) =>
    rows.push({ scope, check, label, status, ...detail });
  const now = options.now ?? Date.now;

  let connector: Connector;
  try {
    connector = buildConnector(entry.platform as Platform, entry.connection, `integrations.${options.index}.connection`, options.env as NodeJS.ProcessEnv);
  } catch (error) {
    row('integration.credentials', say('credenciais', 'credentials'), 'error', { came: describe(error, say) });
    return rows;
  }

  // Credentials and listing: the first pages of recent orders, as a poll would read them.
  const since = new Date(now() - (options.recentDays ?? 30) * 86_400_000).toISOString();
  const statuses = new Map<string, number>();
  let seen = 0;
  let pages = 0;
  try {
    for await (const page of connector.listOrders({ since, ...(options.signal ? { signal: options.signal } : {}) })) {
      pages += 1;
      for (const order of page.orders) statuses.set(order.status, (statuses.get(order.status) ?? 0) + 1);
      seen += page.orders.length + page.rejected.length;
      if (seen >= (options.maxOrders ?? 200)) break;
    }
    row('integration.credentials', say('credenciais', 'credentials'), 'ok', { came: say('aceitas', 'accepted') });
    row('integration.listing', say('listagem de pedidos', 'order listing'), 'ok', {
      came: say(`${seen} pedido(s) dos últimos ${options.recentDays ?? 30} dias em ${pages} página(s)`, `${seen} order(s) of the last ${options.recentDays ?? 30} days in ${pages} page(s)`),
    });
  } catch (error) {
    if (error instanceof AuthError) {
      row('integration.credentials', say('credenciais', 'credentials'), 'error', { expected: say('aceitas', 'accepted'), came: describe(error, say) });
    } else if (error instanceof ConfigurationError) {
      row('integration.listing', say('listagem de pedidos', 'order listing'), 'unknown', { note: describe(error, say) });
    } else {
      row('integration.credentials', say('credenciais', 'credentials'), 'unknown', { note: say('a listagem falhou antes de dizer', 'the listing failed before telling') });
      row('integration.listing', say('listagem de pedidos', 'order listing'), 'error', { came: describe(error, say) });
    }
  }

  // Statuses the dictionary does not map: those orders would stay without movements until someone maps them.
  if (seen > 0 || statuses.size > 0) {
    const dictionary = options.storedDictionary ?? entry.statusDictionary ?? connector.defaultStatusDictionary;
    const unmapped = [...statuses].filter(([status]) => resolveStatus(dictionary, status).unmapped).sort((a, b) => b[1] - a[1]);
    const label = say('status não mapeados nos pedidos recentes', 'unmapped statuses in recent orders');
    if (unmapped.length === 0) row('integration.unmapped-statuses', label, 'ok', { came: say(`${statuses.size} status, todos mapeados`, `${statuses.size} status(es), all mapped`) });
    else
      row('integration.unmapped-statuses', label, 'differs', {
        expected: say('todos mapeados', 'all mapped'),
        came: unmapped.map(([status, count]) => `"${status}" ×${count}`).join(', '),
        note: say('esses pedidos ficam sem movimentação até o status ser mapeado no dicionário', 'those orders get no movements until the status is mapped in the dictionary'),
      });
  }

  rows.push(...(await checkWebhook(options, scope)));
  rows.push(await checkClock(entry, say, scope, options.signal));
  return rows;
}

async function checkWebhook(options: IntegrationCheckOptions, scope: string): Promise<CheckRow[]> {
  const { entry, say } = options;
  const label = say('webhook registrado', 'webhook registered');
  const base = { scope, check: 'integration.webhook', label };
  switch (entry.platform as Platform) {
    case 'woocommerce': {
      const settings = ConnectionSchemas.woocommerce.parse(entry.connection);
      const key = fromEnv(settings.consumerKey, `integrations.${options.index}.connection.consumerKey`, options.env as NodeJS.ProcessEnv)!;
      const secret = fromEnv(settings.consumerSecret, `integrations.${options.index}.connection.consumerSecret`, options.env as NodeJS.ProcessEnv)!;
      const http = createHttpClient({
        platform: 'woocommerce',
        baseUrl: `${settings.storeUrl.replace(/\/+$/, '')}/wp-json/wc/v3`,
        rateLimit: { requests: 5, intervalMs: 1000, source: 'doctor' },
        policy: { maxAttempts: 2, deadlineMs: 30_000 },
        secrets: [key, secret],
        authorize: ({ headers }) => headers.set('authorization', `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`),
      });
      try {
        const response = await http.get<Array<Record<string, unknown>>>('webhooks', { per_page: 100 }, options.signal ? { signal: options.signal } : {});
        const hooks = Array.isArray(response.data) ? response.data : [];
        const ours = hooks.filter((hook) => String(hook['topic'] ?? '').startsWith('order.') && String(hook['delivery_url'] ?? '').includes(`/webhooks/${entry.id}`));
        const active = ours.filter((hook) => hook['status'] === 'active');
        const expected = say(`webhook de pedidos ativo apontando para /webhooks/${entry.id}`, `an active order webhook pointing at /webhooks/${entry.id}`);
        if (active.length > 0) return [{ ...base, status: 'ok', came: active.map((hook) => `${String(hook['topic'])} → ${String(hook['delivery_url'])}`).join(', ') }];
        if (ours.length > 0) {
          return [{ ...base, status: 'differs', expected, came: ours.map((hook) => `${String(hook['topic'])}: ${String(hook['status'])}`).join(', '), note: say('o WooCommerce desativa um webhook depois de falhas seguidas; reative-o no painel', 'WooCommerce disables a webhook after repeated failures; re-enable it in wp-admin') }];
        }
        return [{ ...base, status: 'differs', expected, came: say(`${hooks.length} webhook(s), nenhum de pedidos para esta integração`, `${hooks.length} webhook(s), none for this integration's orders`), note: say('sem webhook os pedidos chegam só pela consulta periódica', 'without a webhook orders arrive only by polling') }];
      } catch (error) {
        return [{ ...base, status: 'error', came: describe(error, say) }];
      }
    }
    case 'mercos':
      return [{ ...base, status: 'unknown', note: say('o Mercos não tem webhooks: o Conecta consulta', 'Mercos has no webhooks: Conecta polls') }];
    default:
      return [{ ...base, status: 'unknown', note: say('a plataforma não permite consultar os webhooks cadastrados', 'the platform offers no way to list registered webhooks') }];
  }
}

/** The platform's `Date` header against our clock, halfway through the request. */
async function checkClock(entry: IntegrationEntry, say: Say, scope: string, signal?: AbortSignal): Promise<CheckRow> {
  const label = say('diferença de relógio', 'clock offset');
  const base = { scope, check: 'integration.clock', label };
  const url = platformBaseUrl(entry);
  if (!url) return { ...base, status: 'unknown', note: say('sem endereço para consultar (só webhooks)', 'no address to ask (webhooks only)') };
  try {
    const started = Date.now();
    const response = await fetch(url, { method: 'GET', redirect: 'manual', ...(signal ? { signal } : {}) });
    const finished = Date.now();
    await response.body?.cancel();
    const date = response.headers.get('date');
    if (!date || Number.isNaN(Date.parse(date))) return { ...base, status: 'unknown', note: say('a resposta não trouxe o cabeçalho Date', 'the answer carried no Date header') };
    // Date has whole seconds: an offset under one second is noise.
    const offset = Date.parse(date) - (started + finished) / 2;
    const seconds = Math.abs(offset) < 1000 ? 0 : Math.round(offset / 1000);
    const came = seconds === 0 ? say('menos de 1 s', 'under 1 s') : say(`${seconds > 0 ? '+' : ''}${seconds} s (plataforma ${seconds > 0 ? 'adiantada' : 'atrasada'})`, `${seconds > 0 ? '+' : ''}${seconds} s (platform ${seconds > 0 ? 'ahead' : 'behind'})`);
    if (Math.abs(offset) <= CLOCK_TOLERANCE_MS) return { ...base, status: 'ok', came };
    return { ...base, status: 'differs', expected: say('até 60 s', 'up to 60 s'), came, note: say('acerte o relógio deste servidor (NTP); filtros por data podem perder pedidos', 'set this server clock (NTP); date filters may miss orders') };
  } catch (error) {
    return { ...base, status: 'error', came: describe(error, say) };
  }
}

function platformBaseUrl(entry: IntegrationEntry): string | undefined {
  const connection = entry.connection as Record<string, unknown>;
  switch (entry.platform as Platform) {
    case 'tray':
      return String(connection['apiAddress']);
    case 'woocommerce':
      return String(connection['storeUrl']);
    case 'lojaintegrada':
      return typeof connection['baseUrl'] === 'string' ? connection['baseUrl'] : LOJAINTEGRADA_BASE_URL;
    case 'mercos': {
      const host = String(connection['baseUrl']);
      return Object.hasOwn(MERCOS_HOSTS, host) ? MERCOS_HOSTS[host as keyof typeof MERCOS_HOSTS] : host;
    }
    case 'recompra': {
      const polling = connection['polling'] as { baseUrl?: string } | undefined;
      return polling?.baseUrl;
    }
  }
}
