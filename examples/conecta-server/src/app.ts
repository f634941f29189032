import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { streamSSE } from 'hono/streaming';
import {
  ConectaError,
  ConflictError,
  NotFoundError,
  ValidationError,
  countStates,
  createWebhookHandler,
  defineStatusDictionary,
  orderSituation,
  resolveStatus,
  type ConectaEventName,
  type IntakeState,
  type OrderFilter,
  type OrderListItem,
} from '@conecta/core';
import { authenticateMaino } from '@conecta/maino-client';
import { clientAddress, trustedProxySet } from './auth/client-address.js';
import { createLoginThrottle, type LoginThrottle } from './auth/login-throttle.js';
import { createSessions, sameToken, type Session } from './auth/session.js';
import { groupsForCompanies } from './auth/tenants.js';
import type { Conecta } from '@conecta/cli/deployment';
import { createBulkRuns, left, type BulkTarget } from './bulk.js';
import { ACTION_NAMES, BULK_ACTIONS, ORDER_ACTIONS, actionApplies, runOrderAction, type BulkAction, type OrderAction } from './commands.js';
import { FILTER_LABELS, plural, statusName } from './format.js';
import type { Html } from './html.js';
import { SCRIPT, STYLESHEET } from './ui/assets.js';
import { describeError, describeQuarantine, describeStockPush } from './ui/messages.js';
import { renderNotice, type Notice, type NoticeInput } from './ui/notices.js';
import { bulkPage } from './views/bulk.js';
import { dashboardPage, type IntegrationCard } from './views/dashboard.js';
import { loginPage } from './views/login.js';
import { orderPage } from './views/order.js';
import { ordersPage } from './views/orders.js';
import { quarantinePage } from './views/quarantine.js';
import { statusPage } from './views/statuses.js';

const NOTICE_COOKIE = 'conecta_aviso';
const PAGE_SIZE = 25;
/** Forms and commands are small; webhooks carry whole orders. */
const MAX_BODY_BYTES = 64 * 1024;
const MAX_WEBHOOK_BYTES = 1024 * 1024;
/** What "todos os pendentes deste filtro" may start at once, and what a page may select. */
const MAX_BULK_ORDERS = 5_000;
const MAX_SELECTED = 500;

type Env = { Variables: { session: Session } };

export interface AppOptions {
  /** Session lifetime; default 8 hours. */
  sessionTtlMs?: number;
  /** Secure cookies (https only). On by default outside loopback development. */
  secureCookies?: boolean;
  loginThrottle?: LoginThrottle;
  /** Fetch used to reach Mainô for sign-in (tests inject it). */
  fetch?: typeof fetch;
  /**
   * Addresses of the reverse proxies in front of the server. Requests from them are attributed to the address they
   * forward in X-Forwarded-For, so login throttling counts each client instead of the proxy. Default: none.
   */
  trustedProxies?: readonly string[];
  /**
   * Origins (`https://conecta.example`) the dashboard is served from when a proxy terminates TLS in front of it: a
   * form posted from one of them is accepted besides the request's own origin.
   */
  publicOrigins?: readonly string[];
  /** Waits out the login throttle's delay (tests record it instead). */
  sleep?: (ms: number) => Promise<void>;
  /** Where refusals and failures are logged; default console.warn. */
  log?: (line: string) => void;
}

/** The Conecta server: dashboard (Portuguese), commands, live events and one webhook endpoint per integration. */
export function createApp(conecta: Conecta, options: AppOptions = {}) {
  const { pipeline, config } = conecta;
  const secureCookies = options.secureCookies ?? false;
  const sessions = createSessions({ secret: conecta.sessionSecret, ttlMs: options.sessionTtlMs ?? 8 * 3_600_000, store: conecta.store, secureCookies });
  const throttle = options.loginThrottle ?? createLoginThrottle();
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const log = options.log ?? ((line: string) => console.warn(line));
  const proxies = trustedProxySet(options.trustedProxies ?? []);
  const publicOrigins = new Set(options.publicOrigins ?? []);
  const webhooks = createWebhookHandler(pipeline, { maxBodyBytes: MAX_WEBHOOK_BYTES });
  const lastPush = new Map<string, { at: string; pushed: number; unchanged: number; failed: number }>();
  conecta.events.on('stock-pushed', (event) => lastPush.set(event.integrationId, { ...event, at: new Date().toISOString() }));
  // The answer to a refused webhook names no reason (it would guide the sender's next try); the log does.
  conecta.events.on('webhook-received', (event) => {
    if (!event.accepted) log(`[webhook] ${event.integrationId}: delivery refused (${event.reason ?? 'unknown reason'})`);
  });
  const companiesOf = (integrationId: string) => pipeline.context.resolve(integrationId).companies;
  const bulk = createBulkRuns({
    execute: (action, orderId, actor) => runOrderAction(pipeline, action, orderId, { actor, companies: companiesOf(orderId.split(':')[0]!) }),
  });
  const app = new Hono<Env>();

  const groupOf = (integrationId: string) => config.integrations.find((entry) => entry.id === integrationId)?.groupId;
  const canSee = (session: Session, integrationId: string) => {
    const groupId = groupOf(integrationId);
    return groupId !== undefined && session.groupIds.includes(groupId);
  };
  const visibleIntegrations = (session: Session) => config.integrations.filter((entry) => session.groupIds.includes(entry.groupId));
  const page = (c: Context, body: Html, status = 200) => c.html(body, status as 200);

  /** The next page's notice, in a signed cookie: only this server can put text there. */
  const flash = async (c: Context, input: NoticeInput) => {
    const value = Buffer.from(JSON.stringify(input)).toString('base64url');
    await setSignedCookie(c, NOTICE_COOKIE, value, conecta.sessionSecret, { httpOnly: true, sameSite: 'Lax', secure: secureCookies, path: '/', maxAge: 120 });
  };
  const takeNotice = async (c: Context): Promise<Notice | undefined> => {
    const value = await getSignedCookie(c, conecta.sessionSecret, NOTICE_COOKIE);
    if (value === undefined) return undefined;
    deleteCookie(c, NOTICE_COOKIE, { path: '/', secure: secureCookies });
    if (!value) return undefined;
    try {
      return renderNotice(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as NoticeInput);
    } catch {
      return undefined;
    }
  };
  const redirectWith = async (c: Context, location: string, input: NoticeInput) => {
    await flash(c, input);
    return c.redirect(location, 303);
  };

  // Every answer: a policy that runs only our own files (no inline script or style), is never framed, and sends no
  // referrer to other sites. Same-origin referrers keep the Origin header on our own form posts.
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      xFrameOptions: 'DENY',
      referrerPolicy: 'same-origin',
    }),
  );
  // Bodies are bounded before anything reads them: webhooks carry orders, everything else is a small form.
  const tooLarge = (c: Context) => c.text('Requisição grande demais.', 413);
  app.use('/webhooks/*', bodyLimit({ maxSize: MAX_WEBHOOK_BYTES, onError: tooLarge }));
  app.use('*', async (c, next) => (c.req.path.startsWith('/webhooks/') ? next() : bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge })(c, next)));

  app.get('/recursos/painel.css', (c) => c.body(STYLESHEET, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }));
  app.get('/recursos/painel.js', (c) => c.body(SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }));

  // Webhooks stay outside the session and the origin check: each platform's own verification guards them.
  app.post('/webhooks/:integrationId', (c) => webhooks(c.req.raw));
  app.post('/webhooks/:integrationId/*', (c) => webhooks(c.req.raw));
  app.get('/saude', (c) => c.json({ ok: true }));

  // Every form post comes from our own pages: a cross-site form (signing the victim in as the attacker, or acting
  // in their session) is refused by its Origin, or by Sec-Fetch-Site where the browser sends it.
  app.use(
    '*',
    csrf({ origin: (origin, c) => origin === new URL(c.req.url).origin || publicOrigins.has(origin) }),
  );

  app.get('/entrar', (c) => {
    c.header('Cache-Control', 'no-store');
    return page(c, loginPage({ next: safeNext(c.req.query('next')) }));
  });
  app.post('/entrar', async (c) => {
    c.header('Cache-Control', 'no-store');
    const form = await c.req.parseBody();
    const email = String(form['email'] ?? '').trim().slice(0, 254);
    const password = String(form['password'] ?? '');
    const next = safeNext(String(form['next'] ?? '/'));
    const address = requestAddress(c, proxies);
    const wait = throttle.waitMs(email, address);
    if (wait > 0) {
      c.header('Retry-After', String(Math.ceil(wait / 1000)));
      const minutes = Math.ceil(wait / 60_000);
      return page(c, loginPage({ email, next, error: `Muitas tentativas erradas a partir deste endereço. Tente de novo em ${plural(minutes, 'minuto', 'minutos')}.` }), 429);
    }
    // Failures for this account from anywhere slow its answers down; they never lock it.
    const delay = throttle.delayMs(email);
    if (delay > 0) await sleep(delay);
    let companies: string[];
    try {
      const access = await authenticateMaino({
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
    throttle.succeed(email, address);
    await sessions.issue(c, email, groupIds);
    return c.redirect(next, 303);
  });

  // Everything below needs a session; state-changing requests also need the session's CSRF token. Nothing a signed-in
  // page shows may be kept by a browser or a proxy cache.
  app.use('*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    const session = await sessions.read(c);
    if (!session) {
      if (c.req.method === 'GET' && !c.req.path.startsWith('/api/') && c.req.path !== '/eventos') {
        return c.redirect(`/entrar?next=${encodeURIComponent(c.req.path)}`, 302);
      }
      return c.json({ error: 'não autenticado' }, 401);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const header = c.req.header('x-csrf-token');
      const form = header ? undefined : await c.req.parseBody({ all: true }).catch(() => ({}) as Record<string, unknown>);
      const token = header ?? (typeof form?.['_csrf'] === 'string' ? (form['_csrf'] as string) : undefined);
      if (!sameToken(token, session.csrf)) return c.text('Requisição recusada: token CSRF ausente ou inválido.', 403);
    }
    c.set('session', session);
    await next();
    c.header('Cache-Control', 'no-store');
  });

  app.post('/sair', async (c) => {
    // Revoked in the store as well as deleted: a copy of the cookie (another tab, a stolen one) stops working on
    // every worker, and after a restart.
    await sessions.revoke(c, c.get('session'));
    return c.redirect('/entrar', 303);
  });

  app.get('/', async (c) => {
    const session = c.get('session');
    const cards: IntegrationCard[] = [];
    for (const entry of visibleIntegrations(session)) {
      const resolved = pipeline.context.resolve(entry.id);
      const summary = await pipeline.summary(entry.id);
      const last = summary.lastOrder ? await pipeline.getOrder(summary.lastOrder.id).catch(() => undefined) : undefined;
      cards.push({
        id: entry.id,
        name: entry.name,
        platform: entry.platform,
        groupName: resolved.group.name,
        mode: resolved.mode,
        summary,
        ...(last ? { lastOrderSituation: orderSituation(last.order, countStates(last.movements)) } : {}),
        stockPush: { enabled: resolved.integration.stockPush.enabled, last: lastPush.get(entry.id) },
      });
    }
    return page(c, dashboardPage({ user: session.user, csrf: session.csrf, cards, notice: await takeNotice(c) }));
  });

  // In on-command mode held orders wait for a person: the listing and the order page say when the free stock covers
  // them again. Automatic mode retries them by itself. A stock reading that fails only leaves the hint out.
  const heldReadyToRetry = async (integrationId: string, items: Parameters<typeof pipeline.readyToRetry>[0]): Promise<ReadonlySet<string>> =>
    pipeline.context.resolve(integrationId).mode === 'on-command' ? pipeline.readyToRetry(items).catch(() => new Set<string>()) : new Set<string>();

  app.get('/integracoes/:id/pedidos', async (c) => {
    const session = c.get('session');
    const id = c.req.param('id');
    if (!canSee(session, id)) return c.notFound();
    const filter = c.req.query('filtro') ?? 'all';
    if (!Object.hasOwn(FILTER_LABELS, filter)) return c.text('Filtro desconhecido.', 400);
    const search = (c.req.query('busca') ?? '').slice(0, 60);
    const requested = c.req.query('pagina') ?? '1';
    if (!/^[1-9]\d{0,5}$/.test(requested)) return c.text('Página inválida: use um número a partir de 1.', 400);
    const pageNumber = Number(requested);
    const { items, total } = await pipeline.listOrders({ integrationId: id, filter: filter as OrderFilter, search: search || undefined, limit: PAGE_SIZE, offset: (pageNumber - 1) * PAGE_SIZE });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (pageNumber > pages) return c.text(`Página inexistente: esta listagem tem ${plural(pages, 'página', 'páginas')}.`, 400);
    const entry = config.integrations.find((integration) => integration.id === id)!;
    const readyToRetry = await heldReadyToRetry(id, items);
    return page(
      c,
      ordersPage({ user: session.user, csrf: session.csrf, integration: { id, name: entry.name, platform: entry.platform }, filter, search, page: pageNumber, pages, total, items, readyToRetry, running: bulk.running(id), notice: await takeNotice(c) }),
    );
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
    if (orderSituation(detail.order, countStates(detail.movements)) === 'without-movements') {
      preview = await pipeline.previewAllocation(guard.orderId).catch((error: unknown) => {
        previewError = describeError(error, resolved.companies);
        return undefined;
      });
    }
    const readyToRetry = (await heldReadyToRetry(guard.integrationId, [{ order: detail.order, movementStates: countStates(detail.movements) }])).has(detail.order.id);
    const resolution = resolveStatus(resolved.integration.statusDictionary, detail.order.status);
    return page(
      c,
      orderPage({
        user: session.user,
        csrf: session.csrf,
        integration: { id: guard.integrationId, name: resolved.integration.name, mode: resolved.mode },
        detail,
        companies: resolved.companies,
        status: { name: statusName(resolved.integration.platform, detail.order.status, detail.order.statusLabel), mapped: !resolution.unmapped },
        preview,
        previewError,
        readyToRetry,
        notice: await takeNotice(c),
      }),
    );
  });

  for (const action of ORDER_ACTIONS) {
    app.post(`/pedidos/:orderId/${action}`, async (c) => {
      const guard = orderGuard(c);
      if (!guard) return c.notFound();
      const session = c.get('session');
      const back = `/pedidos/${encodeURIComponent(guard.orderId)}`;
      const companies = companiesOf(guard.integrationId);
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const overrides: Array<{ lineIndex: number; companyCnpj: string }> = [];
      if (action === 'movimentacao') {
        for (const [key, value] of Object.entries(form)) {
          if (!key.startsWith('empresa-') || value === '') continue;
          const line = /^empresa-(\d{1,4})$/.exec(key);
          if (!line || typeof value !== 'string' || !companies.some((company) => company.cnpj === value)) {
            return redirectWith(c, back, { code: 'action-failed', message: 'A empresa escolhida não é uma empresa ativa do grupo.' });
          }
          overrides.push({ lineIndex: Number(line[1]), companyCnpj: value });
        }
      }
      const outcome = await runOrderAction(pipeline, action as OrderAction, guard.orderId, { actor: session.user, companies, overrides });
      return redirectWith(c, back, outcome.notice);
    });
  }

  // A person maps a line the store sent without SKU; the next "Criar movimentação" (or the runner) uses it.
  app.post('/pedidos/:orderId/mapear-linha', async (c) => {
    const guard = orderGuard(c);
    if (!guard) return c.notFound();
    const back = `/pedidos/${encodeURIComponent(guard.orderId)}`;
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const line = /^\d{1,4}$/.exec(String(form['linha'] ?? ''));
    const sku = typeof form['sku'] === 'string' ? form['sku'].trim() : '';
    if (!line || sku === '') return redirectWith(c, back, { code: 'action-failed', message: 'Informe o SKU do item.' });
    const lineIndex = Number(line[0]);
    try {
      const order = await pipeline.mapOrderLine(guard.orderId, lineIndex, sku, c.get('session').user);
      return redirectWith(c, back, { code: 'line-mapped', line: lineIndex + 1, sku: order.lines[lineIndex]!.sku! });
    } catch (error) {
      const message =
        error instanceof ConflictError
          ? 'Este item não pode ser ligado a outro SKU: ele já veio com SKU da loja ou já tem movimentação.'
          : describeError(error, companiesOf(guard.integrationId));
      return redirectWith(c, back, { code: 'action-failed', message });
    }
  });

  // Bulk work: a step over the selected orders, or over every order of the filter it applies to.
  app.post('/integracoes/:id/lote', async (c) => {
    const session = c.get('session');
    const id = c.req.param('id');
    if (!canSee(session, id)) return c.notFound();
    const form = await c.req.parseBody({ all: true });
    const action = String(form['acao'] ?? '');
    if (!(BULK_ACTIONS as readonly string[]).includes(action)) return c.text('Ação desconhecida.', 400);
    const filter = String(form['filtro'] ?? 'all');
    if (!Object.hasOwn(FILTER_LABELS, filter)) return c.text('Filtro desconhecido.', 400);
    const search = String(form['busca'] ?? '').slice(0, 60);
    const back = `/integracoes/${id}/pedidos?filtro=${filter}${search ? `&busca=${encodeURIComponent(search)}` : ''}`;
    const running = bulk.running(id);
    if (running) return c.redirect(`/lotes/${running.id}`, 303);

    let items: OrderListItem[] = [];
    if (form['todos'] === '1') {
      for (let offset = 0; offset < MAX_BULK_ORDERS; offset += 500) {
        const listing = await pipeline.listOrders({ integrationId: id, filter: filter as OrderFilter, search: search || undefined, limit: 500, offset });
        items.push(...listing.items);
        if (offset + 500 >= listing.total) break;
      }
      items = items.filter((item) => actionApplies(action as BulkAction, item));
      if (items.length === 0) return redirectWith(c, back, { code: 'action-failed', message: `Nenhum pedido deste filtro está pronto para "${ACTION_NAMES[action as BulkAction]}".` });
    } else {
      const chosen = [form['pedido'] ?? []].flat().filter((value): value is string => typeof value === 'string');
      if (chosen.length === 0) return redirectWith(c, back, { code: 'action-failed', message: 'Selecione ao menos um pedido, ou marque "Todos os pendentes deste filtro".' });
      if (chosen.length > MAX_SELECTED) return c.text(`Selecione no máximo ${MAX_SELECTED} pedidos por vez, ou use "Todos os pendentes deste filtro".`, 400);
      for (const orderId of new Set(chosen)) {
        if (!orderId.startsWith(`${id}:`)) return c.notFound();
        const detail = await pipeline.getOrder(orderId).catch(() => undefined);
        if (!detail) return c.notFound();
        items.push({ order: detail.order, movementCount: detail.movements.length, movementStates: countStates(detail.movements) });
      }
    }
    const targets: BulkTarget[] = items.map((item) => ({ orderId: item.order.id, number: item.order.number, applies: actionApplies(action as BulkAction, item) }));
    const { run } = bulk.start({ integrationId: id, action: action as BulkAction, actor: session.user, targets });
    return c.redirect(`/lotes/${run.id}`, 303);
  });

  const visibleRun = (c: Context<Env>) => {
    const run = bulk.get(c.req.param('runId') ?? '');
    return run && canSee(c.get('session'), run.integrationId) ? run : undefined;
  };
  app.get('/lotes/:runId', (c) => {
    const session = c.get('session');
    const run = visibleRun(c);
    if (!run) return c.notFound();
    const entry = config.integrations.find((integration) => integration.id === run.integrationId)!;
    const startedNow = Date.now() - Date.parse(run.startedAt) < 2_000;
    return page(c, bulkPage({ user: session.user, csrf: session.csrf, integration: { id: entry.id, name: entry.name }, run, startedNow }));
  });
  app.get('/api/lotes/:runId', (c) => {
    const run = visibleRun(c);
    if (!run) return c.json({ error: 'não encontrado' }, 404);
    return c.json({ id: run.id, action: run.action, total: run.total, done: run.done, failed: run.failed, skipped: run.skipped, left: left(run), finished: run.finishedAt !== undefined });
  });

  app.get('/integracoes/:id/quarentena', async (c) => {
    const session = c.get('session');
    const id = c.req.param('id');
    if (!canSee(session, id)) return c.notFound();
    const entry = config.integrations.find((integration) => integration.id === id)!;
    const records = await conecta.store.listQuarantine(id, { limit: 100 });
    const { quarantined } = await pipeline.summary(id);
    return page(c, quarantinePage({ user: session.user, csrf: session.csrf, integration: { id, name: entry.name }, records, total: quarantined, notice: await takeNotice(c) }));
  });

  app.post('/integracoes/:id/quarentena/:quarantineId/reprocessar', async (c) => {
    const session = c.get('session');
    const id = c.req.param('id');
    if (!canSee(session, id)) return c.notFound();
    const back = `/integracoes/${id}/quarentena`;
    try {
      const { orderId } = await pipeline.reprocessQuarantined(id, c.req.param('quarantineId'), { actor: session.user });
      const { order } = await pipeline.getOrder(orderId);
      return redirectWith(c, back, { code: 'quarantine-reprocessed', orderPath: `/pedidos/${encodeURIComponent(orderId)}`, number: order.number });
    } catch (error) {
      if (error instanceof ValidationError && error.path !== 'externalId') {
        return redirectWith(c, back, { code: 'action-failed', message: `A loja ainda envia este pedido com problema: ${describeQuarantine({ path: error.path, message: error.issues[0]?.message ?? '', code: error.code })} Ele continua na quarentena.` });
      }
      if (error instanceof NotFoundError) {
        return redirectWith(c, back, { code: 'action-failed', message: 'Este registro não está mais na quarentena (já foi reprocessado), ou a loja não tem mais este pedido.' });
      }
      return redirectWith(c, back, { code: 'action-failed', message: describeError(error, companiesOf(id)) });
    }
  });

  app.get('/integracoes/:id/status', async (c) => {
    const session = c.get('session');
    const id = c.req.param('id');
    if (!canSee(session, id)) return c.notFound();
    const report = await pipeline.statusReport(id);
    const { connector, integration } = pipeline.context.resolve(id);
    const platformStatuses = await connector.statuses().catch(() => []);
    return page(
      c,
      statusPage({
        user: session.user,
        csrf: session.csrf,
        integration: { id, name: integration.name, platform: integration.platform },
        dictionary: report.dictionary,
        platformStatuses,
        seen: report.seen,
        notice: await takeNotice(c),
        lastEdit: report.lastEdit,
      }),
    );
  });

  app.post('/integracoes/:id/status', async (c) => {
    const session = c.get('session');
    const id = c.req.param('id');
    if (!canSee(session, id)) return c.notFound();
    const form = await c.req.parseBody();
    // An edit changes the statuses it names and keeps every other mapping: a form that sent only some of them (or a
    // script posting one) never wipes the rest. An empty value unmaps that status.
    await pipeline.statusReport(id);
    const { integration } = pipeline.context.resolve(id);
    const entries: Record<string, { state: IntakeState; label?: string }> = structuredClone(integration.statusDictionary.entries);
    let touched = 0;
    for (const [key, value] of Object.entries(form)) {
      if (!key.startsWith('status:')) continue;
      const code = key.slice('status:'.length);
      if (typeof value !== 'string' || code === '' || code.length > 100) return c.text('Status inválido.', 400);
      touched += 1;
      if (value === '') {
        delete entries[code];
        continue;
      }
      if (!['pending', 'finalized', 'cancelled', 'ignored'].includes(value)) return c.text(`Valor inválido para o status ${code}: use pendente, finalizado, cancelado ou ignorado.`, 400);
      entries[code] = { state: value as IntakeState, ...(entries[code]?.label ? { label: entries[code].label } : {}) };
    }
    if (touched === 0) return c.text('Nada a salvar: o formulário não trouxe nenhum status.', 400);
    const { reclassified } = await pipeline.updateStatusDictionary(id, defineStatusDictionary(integration.platform, entries), { actor: session.user });
    return redirectWith(c, `/integracoes/${id}/status`, { code: 'dictionary-saved', user: session.user, reclassified });
  });

  app.post('/integracoes/:id/estoque', async (c) => {
    const session = c.get('session');
    const id = c.req.param('id');
    if (!canSee(session, id)) return c.notFound();
    const { integration } = pipeline.context.resolve(id);
    if (!integration.stockPush.enabled) return redirectWith(c, '/', { code: 'stock-push', kind: 'error', text: 'O envio de estoque está desativado para esta integração.' });
    try {
      const result = await pipeline.pushStock(id);
      return redirectWith(c, '/', { code: 'stock-push', ...describeStockPush(result) });
    } catch (error) {
      return redirectWith(c, '/', { code: 'stock-push', kind: 'error', text: `Falha ao enviar estoque: ${describeError(error, companiesOf(id))}` });
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
      const names: ConectaEventName[] = [
        'order-imported',
        'order-quarantined',
        'quarantine-reprocessed',
        'movements-created',
        'movement-synced',
        'movement-failed',
        'erp-order-created',
        'order-cancelled',
        'stock-pushed',
        'status-dictionary-updated',
      ];
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
    if (error instanceof HTTPException) {
      if (error.status === 403) return c.text('Requisição recusada: ela não veio de uma página deste Conecta.', 403);
      if (error.status === 413) return c.text('Requisição grande demais.', 413);
      return c.text('Requisição inválida.', error.status);
    }
    log(`[http] ${c.req.method} ${c.req.path}: ${error instanceof Error ? error.message : String(error)}`);
    return c.text('Erro interno: a ação não foi concluída.', 500);
  });
  return Object.assign(app, { bulk });
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
