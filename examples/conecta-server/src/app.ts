import { Hono, type Context } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import {
  ConectaError,
  createWebhookHandler,
  defineStatusDictionary,
  type ConectaEventName,
  type IntakeState,
  type OrderFilter,
  type StatusDictionary,
} from '@conecta/core';
import { authenticate } from '@conecta/maino-client';
import { clientAddress, trustedProxySet } from './auth/client-address.js';
import { createLoginThrottle } from './auth/login-throttle.js';
import { createSessionCodec, sameToken, type Session } from './auth/session.js';
import { groupsForCompanies } from './auth/tenants.js';
import type { Conecta } from './compose.js';
import { FILTER_LABELS } from './format.js';
import type { Html } from './html.js';
import { dashboardPage, type IntegrationCard } from './views/dashboard.js';
import { loginPage } from './views/login.js';
import { orderPage } from './views/order.js';
import { ordersPage } from './views/orders.js';
import { statusPage } from './views/statuses.js';

const SESSION_COOKIE = 'conecta_session';
const PAGE_SIZE = 25;

type Env = { Variables: { session: Session } };

export interface AppOptions {
  /** Session lifetime; default 8 hours. */
  sessionTtlMs?: number;
  /** Secure cookies (https only). On by default outside loopback development. */
  secureCookies?: boolean;
  loginThrottle?: ReturnType<typeof createLoginThrottle>;
  /** Fetch used to reach Mainô for sign-in (tests inject it). */
  fetch?: typeof fetch;
  /**
   * Addresses of the reverse proxies in front of the server. Requests from them are attributed to the address they
   * forward in X-Forwarded-For, so login throttling counts each client instead of the proxy. Default: none.
   */
  trustedProxies?: readonly string[];
}

/** The Conecta server: dashboard (Portuguese), commands, live events and one webhook endpoint per integration. */
export function createApp(conecta: Conecta, options: AppOptions = {}) {
  const { pipeline, config } = conecta;
  const sessions = createSessionCodec(conecta.sessionSecret, options.sessionTtlMs ?? 8 * 3_600_000);
  const throttle = options.loginThrottle ?? createLoginThrottle();
  const proxies = trustedProxySet(options.trustedProxies ?? []);
  const webhooks = createWebhookHandler(pipeline);
  const lastPush = new Map<string, { at: string; pushed: number; unchanged: number; failed: number }>();
  conecta.events.on('stock-pushed', (event) => lastPush.set(event.integrationId, { ...event, at: new Date().toISOString() }));
  const app = new Hono<Env>();

  const groupOf = (integrationId: string) => config.integrations.find((entry) => entry.id === integrationId)?.groupId;
  const canSee = (session: Session, integrationId: string) => {
    const groupId = groupOf(integrationId);
    return groupId !== undefined && session.groupIds.includes(groupId);
  };
  const visibleIntegrations = (session: Session) => config.integrations.filter((entry) => session.groupIds.includes(entry.groupId));
  const page = (c: Context, body: Html, status = 200) => c.html(body.toString(), status as 200);

  // Webhooks stay outside the session: each platform's own verification guards them.
  app.post('/webhooks/:integrationId', (c) => webhooks(c.req.raw));
  app.post('/webhooks/:integrationId/*', (c) => webhooks(c.req.raw));
  app.get('/saude', (c) => c.json({ ok: true }));

  app.get('/entrar', (c) => page(c, loginPage({ next: safeNext(c.req.query('next')) })));
  app.post('/entrar', async (c) => {
    const form = await c.req.parseBody();
    const email = String(form['email'] ?? '').trim();
    const password = String(form['password'] ?? '');
    const next = safeNext(String(form['next'] ?? '/'));
    const address = requestAddress(c, proxies);
    const wait = throttle.waitMs(email, address);
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      return page(c, loginPage({ email, next, error: `Muitas tentativas. Tente de novo em ${Math.ceil(wait / 60_000)} minuto(s).` }), 429);
    }
    let companies: string[];
    try {
      const access = await authenticate({
        baseUrl: conecta.mainoBaseUrl,
        applicationUid: conecta.applicationUid,
        email,
        password,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        http: { maxAttempts: 2 },
      });
      companies = access.map((entry) => entry.cnpj);
    } catch (error) {
      const code = ConectaError.isConectaError(error) ? error.code : 'UPSTREAM';
      if (code === 'AUTH' || code === 'VALIDATION') {
        throttle.fail(email, address);
        return page(c, loginPage({ email, next, error: 'E-mail ou senha incorretos.' }), 401);
      }
      return page(c, loginPage({ email, next, error: 'O Mainô não respondeu. Tente de novo em instantes.' }), 503);
    }
    const groupIds = groupsForCompanies(config.groups, companies);
    if (groupIds.length === 0) {
      throttle.fail(email, address);
      return page(c, loginPage({ email, next, error: 'Seu usuário do Mainô não tem acesso a nenhum grupo configurado neste Conecta.' }), 403);
    }
    throttle.succeed(email);
    const { cookie } = sessions.issue(email, groupIds);
    setCookie(c, SESSION_COOKIE, cookie, { httpOnly: true, sameSite: 'Lax', secure: options.secureCookies ?? false, path: '/', maxAge: Math.floor(sessions.ttlMs / 1000) });
    return c.redirect(next, 303);
  });

  // Everything below needs a session; state-changing requests also need the session's CSRF token.
  app.use('*', async (c, next) => {
    const session = sessions.read(getCookie(c, SESSION_COOKIE));
    if (!session) {
      if (c.req.method === 'GET' && !c.req.path.startsWith('/api/') && c.req.path !== '/eventos') {
        return c.redirect(`/entrar?next=${encodeURIComponent(c.req.path)}`, 302);
      }
      return c.json({ error: 'não autenticado' }, 401);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const header = c.req.header('x-csrf-token');
      const form = header ? undefined : await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const token = header ?? (typeof form?.['_csrf'] === 'string' ? (form['_csrf'] as string) : undefined);
      if (!sameToken(token, session.csrf)) return c.text('Requisição recusada: token CSRF ausente ou inválido.', 403);
    }
    c.set('session', session);
    await next();
  });

  app.post('/sair', (c) => {
    // Revoked as well as deleted: a copy of the cookie (another tab, a stolen one) stops working too.
    sessions.revoke(c.get('session'));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/entrar', 303);
  });

  app.get('/', async (c) => {
    const session = c.get('session');
    const cards: IntegrationCard[] = [];
    for (const entry of visibleIntegrations(session)) {
      const resolved = pipeline.context.resolve(entry.id);
      cards.push({
        id: entry.id,
        name: entry.name,
        platform: entry.platform,
        groupName: resolved.group.name,
        mode: resolved.mode,
        summary: await pipeline.summary(entry.id),
        stockPush: { enabled: resolved.integration.stockPush.enabled, last: lastPush.get(entry.id) },
      });
    }
    return page(c, dashboardPage({ user: session.user, csrf: session.csrf, cards, message: c.req.query('msg') }));
  });

  app.get('/integracoes/:id/pedidos', async (c) => {
    const session = c.get('session');
    const id = c.req.param('id');
    if (!canSee(session, id)) return c.notFound();
    const filter = (c.req.query('filtro') ?? 'all') as OrderFilter;
    if (!Object.hasOwn(FILTER_LABELS, filter)) return c.text('filtro desconhecido', 400);
    const search = (c.req.query('busca') ?? '').slice(0, 60);
    const pageNumber = Math.max(1, Number.parseInt(c.req.query('pagina') ?? '1', 10) || 1);
    const { items, total } = await pipeline.listOrders({ integrationId: id, filter, search: search || undefined, limit: PAGE_SIZE, offset: (pageNumber - 1) * PAGE_SIZE });
    const entry = config.integrations.find((integration) => integration.id === id)!;
    return page(c, ordersPage({ user: session.user, csrf: session.csrf, integration: { id, name: entry.name }, filter, search, page: pageNumber, pageSize: PAGE_SIZE, total, items }));
  });

  const orderGuard = (c: Context<Env>) => {
    // Hono has already decoded the path parameter; decoding it again would throw on a "%" (a 500) and would let
    // "%253A" reach the guard as ":".
    const orderId = c.req.param('orderId') ?? '';
    const integrationId = orderId.split(':')[0] ?? '';
    return canSee(c.get('session'), integrationId) ? { orderId, integrationId } : undefined;
  };

  app.get('/pedidos/:orderId', async (c) => {
    const session = c.get('session');
    const guard = orderGuard(c);
    if (!guard) return c.notFound();
    const detail = await pipeline.getOrder(guard.orderId).catch(() => undefined);
    if (!detail) return c.notFound();
    const resolved = pipeline.context.resolve(guard.integrationId);
    let preview;
    let previewError: string | undefined;
    // The allocator's plan only means something before movements exist: afterwards the stock it would read is the
    // stock those movements reserved or consumed, and the page would explain a plan that was not the one carried out.
    const hasMovements = detail.movements.some((movement) => movement.state !== 'cancelled');
    if (!hasMovements && (detail.order.intakeState === 'pending' || detail.order.intakeState === 'finalized')) {
      preview = await pipeline.previewAllocation(guard.orderId).catch((error: unknown) => {
        previewError = error instanceof Error ? error.message : String(error);
        return undefined;
      });
    }
    return page(
      c,
      orderPage({
        user: session.user,
        csrf: session.csrf,
        integration: { id: guard.integrationId, name: resolved.integration.name, mode: resolved.mode },
        detail,
        companies: resolved.companies,
        preview,
        previewError,
        message: c.req.query('msg'),
        error: c.req.query('erro'),
      }),
    );
  });

  const command = (path: string, run: (orderId: string, session: Session, form: Record<string, unknown>) => Promise<string>) =>
    app.post(`/pedidos/:orderId/${path}`, async (c) => {
      const guard = orderGuard(c);
      if (!guard) return c.notFound();
      const form = await c.req.parseBody().catch(() => ({}));
      const back = `/pedidos/${encodeURIComponent(guard.orderId)}`;
      try {
        const message = await run(guard.orderId, c.get('session'), form);
        return c.redirect(`${back}?msg=${encodeURIComponent(message)}`, 303);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return c.redirect(`${back}?erro=${encodeURIComponent(message)}`, 303);
      }
    });

  command('movimentacao', async (orderId, session, form) => {
    const overrides = Object.entries(form)
      .filter(([key, value]) => key.startsWith('empresa-') && typeof value === 'string' && value !== '')
      .map(([key, value]) => ({ lineIndex: Number(key.slice('empresa-'.length)), companyCnpj: String(value) }));
    const result = await pipeline.createMovements(orderId, { actor: session.user, overrides });
    if (result.movements.length === 0) return 'Sem estoque suficiente: nenhuma movimentação criada.';
    return result.created ? `${result.movements.length} movimentação(ões) criada(s).` : 'O pedido já tinha movimentações.';
  });
  command('mapear-linha', async (orderId, session, form) => {
    const lineIndex = Number(form['linha']);
    const sku = typeof form['sku'] === 'string' ? form['sku'] : '';
    const order = await pipeline.mapOrderLine(orderId, lineIndex, sku, session.user);
    return `Item ${lineIndex + 1} ligado ao SKU ${order.lines[lineIndex]!.sku}.`;
  });
  command('sincronizar', async (orderId, session) => {
    const result = await pipeline.sync(orderId, { actor: session.user });
    return `${result.synced.length} sincronizada(s), ${result.failed.length} com falha.`;
  });
  command('pedido-maino', async (orderId, session) => {
    const result = await pipeline.createErpOrder(orderId, { actor: session.user });
    const pending = result.pending.length ? ` Pendentes: ${result.pending.map((entry) => entry.reason).join('; ')}` : '';
    return `${result.created.length} pedido(s) no Mainô.${pending}`;
  });
  command('reprocessar', async (orderId, session) => {
    const result = await pipeline.retryFailed(orderId, { actor: session.user });
    return `${result.synced.length} sincronizada(s), ${result.failed.length} com falha.`;
  });

  app.get('/integracoes/:id/status', async (c) => {
    const session = c.get('session');
    const id = c.req.param('id');
    if (!canSee(session, id)) return c.notFound();
    const { connector, integration } = pipeline.context.resolve(id);
    const report = await pipeline.statusReport(id);
    const platformStatuses = await connector.statuses().catch(() => []);
    return page(c, statusPage({ user: session.user, csrf: session.csrf, integration: { id, name: integration.name }, dictionary: report.dictionary, platformStatuses, seen: report.seen, message: c.req.query('msg'), error: c.req.query('erro'), lastEdit: report.lastEdit }));
  });

  app.post('/integracoes/:id/status', async (c) => {
    const session = c.get('session');
    const id = c.req.param('id');
    if (!canSee(session, id)) return c.notFound();
    const form = await c.req.parseBody();
    const { integration } = pipeline.context.resolve(id);
    const entries: Record<string, { state: IntakeState; label?: string }> = {};
    for (const [key, value] of Object.entries(form)) {
      if (!key.startsWith('status:') || typeof value !== 'string' || value === '') continue;
      if (!['pending', 'finalized', 'cancelled', 'ignored'].includes(value)) return c.text(`estado inválido para ${key}`, 400);
      const code = key.slice('status:'.length);
      entries[code] = { state: value as IntakeState, ...(integration.statusDictionary.entries[code]?.label ? { label: integration.statusDictionary.entries[code]!.label } : {}) };
    }
    const dictionary: StatusDictionary = defineStatusDictionary(integration.platform, entries);
    const { reclassified } = await pipeline.updateStatusDictionary(id, dictionary, { actor: session.user });
    return c.redirect(`/integracoes/${id}/status?msg=${encodeURIComponent(`Dicionário salvo por ${session.user}. ${reclassified} pedido(s) reclassificado(s).`)}`, 303);
  });

  app.post('/integracoes/:id/estoque', async (c) => {
    const session = c.get('session');
    const id = c.req.param('id');
    if (!canSee(session, id)) return c.notFound();
    try {
      const result = await pipeline.pushStock(id);
      return c.redirect(`/?msg=${encodeURIComponent(`Estoque enviado: ${result.pushed} atualizado(s), ${result.unchanged} sem mudança.`)}`, 303);
    } catch (error) {
      return c.redirect(`/?msg=${encodeURIComponent(`Falha ao enviar estoque: ${error instanceof Error ? error.message : String(error)}`)}`, 303);
    }
  });

  // JSON for scripts and tests, scoped like the pages.
  app.get('/api/integracoes/:id/resumo', async (c) => {
    const id = c.req.param('id');
    if (!canSee(c.get('session'), id)) return c.json({ error: 'não encontrado' }, 404);
    return c.json(await pipeline.summary(id));
  });
  app.get('/api/pedidos/:orderId', async (c) => {
    const guard = orderGuard(c);
    if (!guard) return c.json({ error: 'não encontrado' }, 404);
    const detail = await pipeline.getOrder(guard.orderId).catch(() => undefined);
    return detail ? c.json(detail) : c.json({ error: 'não encontrado' }, 404);
  });

  app.get('/eventos', (c) => {
    const session = c.get('session');
    return streamSSE(c, async (stream) => {
      const names: ConectaEventName[] = ['order-imported', 'movements-created', 'movement-synced', 'movement-failed', 'erp-order-created', 'order-cancelled', 'stock-pushed', 'status-dictionary-updated'];
      const listeners = names.map((name) => {
        const listener = (event: { integrationId?: string }) => {
          if (event.integrationId && !canSee(session, event.integrationId)) return;
          void stream.writeSSE({ data: JSON.stringify({ type: name, integrationId: event.integrationId }) });
        };
        conecta.events.on(name, listener as never);
        return [name, listener] as const;
      });
      stream.onAbort(() => {
        for (const [name, listener] of listeners) conecta.events.off(name, listener as never);
      });
      while (!stream.aborted) await stream.sleep(15_000).then(() => stream.writeSSE({ event: 'ping', data: '' }));
    });
  });

  app.notFound((c) => c.text('Não encontrado', 404));
  app.onError((error, c) => {
    const message = ConectaError.isConectaError(error) ? error.message : 'erro interno';
    return c.text(`Erro: ${message}`, 500);
  });
  return app;
}

/** Only local paths are followed after sign-in, so a crafted link cannot send the user elsewhere. */
function safeNext(next: string | undefined): string {
  // Browsers read "/\host" as "//host", and drop tabs and newlines ("/\t/host"): both would leave the site.
  return next && next.startsWith('/') && !next.startsWith('//') && !/[\\\u0000-\u001f\u007f]/.test(next) ? next : '/';
}

/** Hono's node adapter puts the socket in c.env.incoming. */
function requestAddress(c: Context, proxies: ReadonlySet<string>): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return clientAddress(incoming?.socket?.remoteAddress, c.req.header('x-forwarded-for'), proxies);
}
