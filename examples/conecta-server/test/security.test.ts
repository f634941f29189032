import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginThrottle } from '../src/auth/login-throttle.js';
import { DEMO_COMPANIES, DEMO_USERS, OTHER_TENANT_COMPANY } from '@conecta/cli/demo';
import { buildApp, form, from, sessionCookie, signedSession, signIn, startHarness, withCookie, type App, type Harness } from './helpers.js';

/**
 * The issue: people sign in with their Mainô credentials, each sees only the groups (tenants) their login reaches,
 * and nothing is shown to, or done for, someone it does not belong to. Everything goes over HTTP through the app.
 */
const MAIN = DEMO_USERS.main;
const OTHER = DEMO_USERS.other;
const ALL_CNPJS = [...DEMO_COMPANIES.map((company) => company.cnpj), OTHER_TENANT_COMPANY.cnpj];

let harness: Harness;
let app: App;
let trayOrder: string;
let recompraOrder: string;

beforeAll(async () => {
  // Every check reads Mainô here, so the faults injected below reach the pages whose errors are checked for secrets.
  harness = await startHarness({ stockFreshnessMs: 0 });
  // Mercos is left out: its connector reads each product at Mercos' paced rate (about 5 s apiece), ~30 s here.
  for (const id of ['tray', 'woocommerce', 'lojaintegrada', 'recompra']) await harness.conecta.pipeline.poll(id);
  app = buildApp(harness);
  trayOrder = (await harness.conecta.pipeline.listOrders({ integrationId: 'tray', filter: 'all', limit: 1, offset: 0 })).items[0]!.order.id;
  recompraOrder = (await harness.conecta.pipeline.listOrders({ integrationId: 'recompra', filter: 'all', limit: 1, offset: 0 })).items[0]!.order.id;
});
afterAll(async () => {
  await harness?.close();
});

/** Everything a command could change: the order's movements and audit, every Mainô order, the Tray dictionary. */
async function snapshot(orderId: string) {
  const { pipeline } = harness.conecta;
  return JSON.stringify({
    detail: await pipeline.getOrder(orderId),
    maino: ALL_CNPJS.map((cnpj) => harness.demo.maino.orders(cnpj)),
    dictionary: (await pipeline.statusReport(orderId.split(':')[0]!)).dictionary,
  });
}

const orderPath = (orderId: string) => `/pedidos/${encodeURIComponent(orderId)}`;
const COMMANDS = ['movimentacao', 'sincronizar', 'pedido-maino', 'reprocessar'];

describe('signed out', () => {
  it('pages redirect to the sign-in page, keeping where the user was going', async () => {
    for (const path of ['/', '/integracoes/tray/pedidos', orderPath(trayOrder), '/integracoes/tray/status']) {
      const response = await app.request(path);
      expect(response.status, path).toBe(302);
      expect(response.headers.get('location'), path).toBe(`/entrar?next=${encodeURIComponent(path)}`);
    }
    expect((await app.request('/entrar')).status).toBe(200);
  });

  it('the JSON API, the event stream and every POST are refused, and nothing changes', async () => {
    for (const path of [`/api/pedidos/${encodeURIComponent(trayOrder)}`, '/api/integracoes/tray/resumo', '/eventos']) {
      const response = await app.request(path);
      expect(response.status, path).toBe(401);
      expect(await response.json()).toEqual({ error: 'não autenticado' });
    }
    const before = await snapshot(trayOrder);
    for (const command of COMMANDS) expect((await app.request(`${orderPath(trayOrder)}/${command}`, form({}))).status, command).toBe(401);
    expect((await app.request('/integracoes/tray/status', form({ 'status:A ENVIAR': 'ignored' }))).status).toBe(401);
    expect((await app.request('/integracoes/woocommerce/estoque', form({}))).status).toBe(401);
    expect(await snapshot(trayOrder)).toBe(before);
  });

  it('after sign-in only local paths are followed (no open redirect)', async () => {
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example/', '/\t/evil.example/', 'javascript:alert(1)']) {
      const fresh = buildApp(harness);
      const response = await fresh.request('/entrar', form({ email: MAIN.email, password: MAIN.password, next }), from('10.1.0.1'));
      expect(response.status, next).toBe(303);
      expect(response.headers.get('location'), JSON.stringify(next)).toBe('/');
    }
    const response = await buildApp(harness).request('/entrar', form({ email: MAIN.email, password: MAIN.password, next: '/integracoes/tray/pedidos' }));
    expect(response.headers.get('location')).toBe('/integracoes/tray/pedidos');
  });
});

describe('tenants', () => {
  it('each user sees only the integrations of the groups their Mainô login reaches', async () => {
    const main = await signIn(app, MAIN.email, MAIN.password);
    const other = await signIn(app, OTHER.email, OTHER.password);
    const mainPage = await (await app.request('/', withCookie(main.cookie))).text();
    const otherPage = await (await app.request('/', withCookie(other.cookie))).text();
    for (const id of ['tray', 'woocommerce', 'lojaintegrada', 'mercos']) {
      expect(mainPage).toContain(`data-integration="${id}"`);
      expect(otherPage).not.toContain(`data-integration="${id}"`);
    }
    expect(otherPage).toContain('data-integration="recompra"');
    expect(mainPage).not.toContain('data-integration="recompra"');
    expect(mainPage).not.toContain('Loja Vizinha');
    expect(otherPage).not.toContain('Grupo Demo');
  });

  it("group B cannot list, open or read group A's orders, even guessing ids (404, same as a missing order)", async () => {
    const other = await signIn(app, OTHER.email, OTHER.password);
    const main = await signIn(app, MAIN.email, MAIN.password);
    const cases: Array<[string, string]> = [
      [other.cookie, '/integracoes/tray/pedidos'],
      [other.cookie, '/integracoes/tray/pedidos?filtro=done'],
      [other.cookie, '/integracoes/tray/status'],
      [other.cookie, orderPath(trayOrder)],
      [other.cookie, orderPath('tray:999999')],
      [other.cookie, `/api/pedidos/${encodeURIComponent(trayOrder)}`],
      [other.cookie, '/api/integracoes/tray/resumo'],
      [main.cookie, '/integracoes/recompra/pedidos'],
      [main.cookie, '/integracoes/recompra/status'],
      [main.cookie, orderPath(recompraOrder)],
      [main.cookie, `/api/pedidos/${encodeURIComponent(recompraOrder)}`],
      [main.cookie, '/api/integracoes/recompra/resumo'],
    ];
    for (const [cookie, path] of cases) {
      const response = await app.request(path, withCookie(cookie));
      expect(response.status, path).toBe(404);
      const body = await response.text();
      expect(body, path).not.toContain('Pedido ');
      expect(body, path).not.toMatch(/TRAY-SKU|RECOMPRA/i);
    }
    // The owner does see them.
    expect((await app.request(orderPath(trayOrder), withCookie(main.cookie))).status).toBe(200);
    expect((await app.request(orderPath(recompraOrder), withCookie(other.cookie))).status).toBe(200);
    expect((await app.request(`/api/pedidos/${encodeURIComponent(trayOrder)}`, withCookie(main.cookie))).status).toBe(200);
  });

  it("group B cannot act on group A's orders or integrations, even with its own valid CSRF token: 404, nothing changed", async () => {
    const other = await signIn(app, OTHER.email, OTHER.password);
    const before = await snapshot(trayOrder);
    const stockRequests = harness.demo.platforms.find((platform) => platform.integrationId === 'woocommerce')!.fake.requests().length;
    for (const command of COMMANDS) {
      const response = await app.request(`${orderPath(trayOrder)}/${command}`, withCookie(other.cookie, form({ _csrf: other.csrf, 'empresa-0': DEMO_COMPANIES[0].cnpj })));
      expect(response.status, command).toBe(404);
    }
    expect((await app.request('/integracoes/tray/status', withCookie(other.cookie, form({ _csrf: other.csrf, 'status:A ENVIAR': 'ignored' })))).status).toBe(404);
    expect((await app.request('/integracoes/woocommerce/estoque', withCookie(other.cookie, form({ _csrf: other.csrf })))).status).toBe(404);
    expect(await snapshot(trayOrder)).toBe(before);
    expect(harness.demo.platforms.find((platform) => platform.integrationId === 'woocommerce')!.fake.requests().length).toBe(stockRequests);
  });

  it('the live event stream carries only the signed-in tenant’s events', async () => {
    const other = await signIn(app, OTHER.email, OTHER.password);
    const response = await app.request('/eventos', withCookie(other.cookie));
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    harness.conecta.events.emit('order-imported', { integrationId: 'tray', orderId: 'tray:1', intakeState: 'pending' } as never);
    harness.conecta.events.emit('order-imported', { integrationId: 'recompra', orderId: 'recompra:1', intakeState: 'pending' } as never);
    const { value } = await reader.read();
    await reader.cancel();
    const text = new TextDecoder().decode(value);
    expect(text).toContain('"integrationId":"recompra"');
    expect(text).not.toContain('tray');
  });
});

describe('CSRF', () => {
  it('a POST without the session’s token is refused (403) and nothing changes', async () => {
    const main = await signIn(app, MAIN.email, MAIN.password);
    const other = await signIn(app, OTHER.email, OTHER.password);
    const before = await snapshot(trayOrder);
    for (const command of COMMANDS) {
      for (const token of [undefined, '', 'forged-token', other.csrf]) {
        const fields: Record<string, string> = token === undefined ? {} : { _csrf: token };
        const response = await app.request(`${orderPath(trayOrder)}/${command}`, withCookie(main.cookie, form(fields)));
        expect(response.status, `${command} with ${String(token)}`).toBe(403);
      }
    }
    const header = await app.request(`${orderPath(trayOrder)}/movimentacao`, withCookie(main.cookie, { method: 'POST', headers: { 'x-csrf-token': 'forged-token' } }));
    expect(header.status).toBe(403);
    expect((await app.request('/integracoes/tray/status', withCookie(main.cookie, form({ 'status:A ENVIAR': 'ignored' })))).status).toBe(403);
    expect(await snapshot(trayOrder)).toBe(before);
    // Signing out needs the token too (a forged sign-out form is refused); the session still works.
    expect((await app.request('/sair', withCookie(main.cookie, form({})))).status).toBe(403);
    expect((await app.request('/', withCookie(main.cookie))).status).toBe(200);
  });
});

describe('login throttling', () => {
  const throttleApp = (throttle: Parameters<typeof createLoginThrottle>[0], extra: Parameters<typeof buildApp>[1] = {}) => {
    const delays: number[] = [];
    const built = buildApp(harness, { loginThrottle: createLoginThrottle(throttle), sleep: async (ms) => void delays.push(ms), ...extra });
    return { app: built, delays };
  };

  it('five wrong passwords from one address slow that address for that account (429 + Retry-After); the account still works from a new address', async () => {
    const { app: throttled, delays } = throttleApp({ perPair: 5, perAddress: 20, windowMs: 15 * 60_000 });
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await throttled.request('/entrar', form({ email: MAIN.email, password: `wrong-${attempt}` }), from('10.2.0.1'));
      expect(response.status).toBe(401);
      expect(await response.text()).toContain('E-mail ou senha incorretos.');
    }
    const blocked = await throttled.request('/entrar', form({ email: MAIN.email.toUpperCase(), password: MAIN.password }), from('10.2.0.1'));
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(sessionCookie(blocked)).toBeUndefined();
    expect(await blocked.text()).toContain('Muitas tentativas');
    // Not locked for everyone: the owner, from an address that did not fail, signs in (slowed, not refused).
    const owner = await throttled.request('/entrar', form({ email: MAIN.email, password: MAIN.password }), from('10.2.0.99'));
    expect(owner.status).toBe(303);
    expect(sessionCookie(owner)).toBeDefined();
    expect(delays.at(-1)).toBeGreaterThan(0);
    // Another account from the throttled address is not affected.
    expect((await throttled.request('/entrar', form({ email: OTHER.email, password: OTHER.password }), from('10.2.0.1'))).status).toBe(303);
  });

  it('a guesser spread over many addresses is slowed down more and more, never locks the account out', async () => {
    const { app: throttled, delays } = throttleApp({ perPair: 5, perAddress: 20, baseDelayMs: 100, maxDelayMs: 1_600 });
    for (let attempt = 0; attempt < 12; attempt += 1) {
      expect((await throttled.request('/entrar', form({ email: MAIN.email, password: `wrong-${attempt}` }), from(`10.5.0.${attempt}`))).status).toBe(401);
    }
    // No delay for the first five failures, then doubling up to the cap.
    expect(delays).toEqual([100, 200, 400, 800, 1_600, 1_600, 1_600]);
    expect((await throttled.request('/entrar', form({ email: MAIN.email, password: MAIN.password }), from('10.5.0.200'))).status).toBe(303);
  });

  it('too many failures from one address are slowed down, whatever the account', async () => {
    const { app: throttled } = throttleApp({ perPair: 5, perAddress: 5, windowMs: 15 * 60_000 });
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await throttled.request('/entrar', form({ email: `guess${attempt}@conecta.dev`, password: 'x-wrong' }), from('10.3.0.1'));
      expect(response.status).toBe(401);
    }
    const blocked = await throttled.request('/entrar', form({ email: OTHER.email, password: OTHER.password }), from('10.3.0.1'));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(sessionCookie(blocked)).toBeUndefined();
    expect((await throttled.request('/entrar', form({ email: OTHER.email, password: OTHER.password }), from('10.3.0.2'))).status).toBe(303);
  });

  it('behind a trusted reverse proxy, counts each forwarded client instead of the proxy; others cannot forge it', async () => {
    const proxy = '10.9.0.1';
    const { app: throttled } = throttleApp({ perPair: 3, perAddress: 3, windowMs: 15 * 60_000 }, { trustedProxies: [proxy] });
    const attempt = (email: string, password: string, forwardedFor: string, peer = proxy) => {
      const request = form({ email, password });
      return throttled.request('/entrar', { ...request, headers: { ...(request.headers as Record<string, string>), 'x-forwarded-for': forwardedFor } }, from(peer));
    };
    for (let index = 0; index < 3; index += 1) expect((await attempt(`guess${index}@conecta.dev`, 'x-wrong', '203.0.113.5')).status).toBe(401);
    // That client is slowed down; another client behind the same proxy is not.
    expect((await attempt(OTHER.email, OTHER.password, '203.0.113.5')).status).toBe(429);
    expect((await attempt(OTHER.email, OTHER.password, '203.0.113.6')).status).toBe(303);
    // A direct peer that is not a trusted proxy is counted by its own address, whatever it forwards.
    for (let index = 0; index < 3; index += 1) {
      expect((await attempt(`direct${index}@conecta.dev`, 'x-wrong', `198.51.100.${index}`, '198.51.100.200')).status).toBe(401);
    }
    expect((await attempt(OTHER.email, OTHER.password, '198.51.100.99', '198.51.100.200')).status).toBe(429);
  });

  it('the wait ends when the window moves on', async () => {
    let now = 1_000_000;
    const { app: throttled } = throttleApp({ perPair: 2, windowMs: 60_000, now: () => now });
    for (let attempt = 0; attempt < 2; attempt += 1) await throttled.request('/entrar', form({ email: MAIN.email, password: 'nope' }), from('10.4.0.1'));
    const blocked = await throttled.request('/entrar', form({ email: MAIN.email, password: MAIN.password }), from('10.4.0.1'));
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('60');
    now += 60_001;
    expect((await throttled.request('/entrar', form({ email: MAIN.email, password: MAIN.password }), from('10.4.0.1'))).status).toBe(303);
  });
});

describe('sessions', () => {
  it('an expired cookie is refused', async () => {
    const cookie = await signedSession(harness.conecta.sessionSecret, { user: MAIN.email, groupIds: ['grupo-demo'], expiresAt: Date.now() - 3_600_000 });
    const page = await app.request('/', withCookie(cookie));
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/entrar?next=%2F');
    expect((await app.request(`/api/pedidos/${encodeURIComponent(trayOrder)}`, withCookie(cookie))).status).toBe(401);
    // The same cookie, not yet expired, is accepted: the refusal above was the expiry.
    const valid = await signedSession(harness.conecta.sessionSecret, { user: MAIN.email, groupIds: ['grupo-demo'], expiresAt: Date.now() + 3_600_000 });
    expect((await app.request('/', withCookie(valid))).status).toBe(200);

    const shortLived = buildApp(harness, { sessionTtlMs: 300 });
    const session = await signIn(shortLived, MAIN.email, MAIN.password);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await shortLived.request('/', withCookie(session.cookie))).status).toBe(302);
    const before = await snapshot(trayOrder);
    expect((await shortLived.request(`${orderPath(trayOrder)}/movimentacao`, withCookie(session.cookie, form({ _csrf: session.csrf })))).status).toBe(401);
    expect(await snapshot(trayOrder)).toBe(before);
  });

  it('a tampered or forged cookie is refused', async () => {
    const other = await signIn(app, OTHER.email, OTHER.password);
    // hono's signed cookie: `<value>.<base64 HMAC-SHA256>`, URL-encoded.
    const raw = decodeURIComponent(other.cookie);
    const cut = raw.lastIndexOf('.');
    const [payload, signature] = [raw.slice(0, cut), raw.slice(cut + 1)];
    const session = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { groupIds: string[]; user: string; expiresAt: number };
    const widened = Buffer.from(JSON.stringify({ ...session, groupIds: ['grupo-demo', 'loja-vizinha'] })).toString('base64url');
    const forgedSigner = await signedSession('not-the-server-secret-0123456789abcdef', { user: MAIN.email, groupIds: ['grupo-demo'], expiresAt: Date.now() + 3_600_000 });
    const flipped = signature.slice(0, 3) + (signature[3] === 'A' ? 'B' : 'A') + signature.slice(4);
    const cookies = [`${widened}.${signature}`, `${payload}.${flipped}`, payload, `${payload}.`, 'garbage', `${payload}.${signature}.extra`].map(encodeURIComponent);
    for (const cookie of [...cookies, forgedSigner]) {
      const response = await app.request('/integracoes/tray/pedidos', withCookie(cookie));
      expect(response.status, cookie.slice(0, 20)).toBe(302);
    }
    expect((await app.request('/integracoes/recompra/pedidos', withCookie(other.cookie))).status).toBe(200);
  });

  it('the session cookie is HttpOnly, SameSite=Lax, scoped to / and expires with the session', async () => {
    const response = await buildApp(harness).request('/entrar', form({ email: MAIN.email, password: MAIN.password }));
    const header = response.headers.get('set-cookie') ?? '';
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Lax/i);
    expect(header).toMatch(/Path=\//);
    expect(header).toMatch(/Max-Age=28800/);
    const secure = await buildApp(harness, { secureCookies: true }).request('/entrar', form({ email: MAIN.email, password: MAIN.password }));
    expect(secure.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it('sign-out clears the cookie, and the old cookie no longer works', async () => {
    const main = await signIn(app, MAIN.email, MAIN.password);
    const response = await app.request('/sair', withCookie(main.cookie, form({ _csrf: main.csrf })));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/entrar');
    expect(response.headers.get('set-cookie')).toMatch(/conecta_session=;.*Max-Age=0/);
    // A copy of the cookie (another tab, a stolen copy) is refused after sign-out.
    expect((await app.request('/', withCookie(main.cookie))).status).toBe(302);
    expect((await app.request(`${orderPath(trayOrder)}/movimentacao`, withCookie(main.cookie, form({ _csrf: main.csrf })))).status).toBe(401);
    // Signing in again works.
    const again = await signIn(app, MAIN.email, MAIN.password);
    expect((await app.request('/', withCookie(again.cookie))).status).toBe(200);
  });
});

describe('webhooks', () => {
  it('work without a session, but reject a bad or missing signature', async () => {
    const woo = harness.demo.platforms.find((platform) => platform.integrationId === 'woocommerce')!.fake;
    const [externalId] = woo.seedOrders(1, { status: 'processing' });
    const post = (input: { rawBody: string | Uint8Array; headers: Headers | Record<string, string> }, path = '/webhooks/woocommerce') =>
      app.request(path, { method: 'POST', body: input.rawBody as string, headers: input.headers });

    const before = await snapshot(`woocommerce:${externalId}`).catch(() => 'missing');
    expect(before).toBe('missing');
    for (const bad of [woo.webhooks!.tampered!(externalId!), woo.webhooks!.unsigned(externalId!)]) {
      const response = await post(bad);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'rejected' });
    }
    await expect(harness.conecta.pipeline.getOrder(`woocommerce:${externalId}`)).rejects.toThrow();

    const good = woo.webhooks!.valid(externalId!);
    const accepted = await post(good);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ status: 'accepted', imported: 1 });
    expect((await harness.conecta.pipeline.getOrder(`woocommerce:${externalId}`)).order.externalId).toBe(externalId);
    const redelivered = await post(good);
    expect(redelivered.status).toBe(200);
    expect(await redelivered.json()).toMatchObject({ status: 'duplicate' });

    // Tray: unsigned notifications, guarded by the secret path token.
    const tray = harness.demo.platforms.find((platform) => platform.integrationId === 'tray')!.fake;
    const [trayId] = tray.seedOrders(1, { status: 'A ENVIAR' });
    const body = tray.webhooks!.valid(trayId!).rawBody as string;
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await app.request('/webhooks/tray', { method: 'POST', body, headers })).status).toBe(401);
    expect((await app.request('/webhooks/tray/wrong-token-0123456789', { method: 'POST', body, headers })).status).toBe(401);
    const trayAccepted = await app.request(`/webhooks/tray/${harness.demo.env['TRAY_WEBHOOK_TOKEN']}`, { method: 'POST', body, headers });
    expect(trayAccepted.status).toBe(200);
    expect((await harness.conecta.pipeline.getOrder(`tray:${trayId}`)).order.externalId).toBe(trayId);
    expect((await app.request('/webhooks/nao-existe', { method: 'POST', body: '{}' })).status).toBe(404);
  });
});

describe('audit', () => {
  it('every command records who did it, and the order page shows the signed-in e-mail', async () => {
    const main = await signIn(app, MAIN.email, MAIN.password);
    const tray = harness.demo.platforms.find((platform) => platform.integrationId === 'tray')!.fake as unknown as { addOrder(lines: Array<{ reference: string; quantity: string; price: string }>): string };
    const sku = 'AUDIT-SKU-1';
    harness.demo.maino.addProducts(DEMO_COMPANIES[0].cnpj, [{ sku, name: 'Produto auditado', qtdeMilli: 10_000 }]);
    const externalId = tray.addOrder([{ reference: sku, quantity: '2', price: '10.00' }]);
    await harness.conecta.pipeline.poll('tray');
    const orderId = `tray:${externalId}`;
    for (const command of ['movimentacao', 'sincronizar', 'pedido-maino']) {
      const response = await app.request(`${orderPath(orderId)}/${command}`, withCookie(main.cookie, form({ _csrf: main.csrf })));
      expect(response.status, command).toBe(303);
      expect(response.headers.get('location'), command).not.toContain('erro=');
    }
    const { movements } = await harness.conecta.pipeline.getOrder(orderId);
    expect(movements).toHaveLength(1);
    expect(movements[0]!.state).toBe('done');
    const actors = movements[0]!.audit.map((entry) => entry.actor);
    expect(actors.length).toBeGreaterThanOrEqual(3);
    expect(new Set(actors)).toEqual(new Set([MAIN.email]));
    const page = await (await app.request(orderPath(orderId), withCookie(main.cookie))).text();
    expect(page).toContain(`· ${MAIN.email} ·`);
    expect(harness.demo.maino.countByReference(DEMO_COMPANIES[0].cnpj, orderId)).toBeGreaterThanOrEqual(0);
  });
});

describe('secrets', () => {
  it('no page, API answer, error or header contains a configured secret', async () => {
    const secrets = Object.entries(harness.demo.env);
    expect(secrets.length).toBeGreaterThan(15);
    const seen: string[] = [];
    const fetchAll = async (target: App, path: string, init?: RequestInit, env?: unknown) => {
      const response = await target.request(path, init, env as never);
      seen.push(`${init?.method ?? 'GET'} ${path} -> ${response.status}\n${[...response.headers].map(([key, value]) => `${key}: ${value}`).join('\n')}\n${await response.text()}`);
      return response;
    };
    const main = await signIn(app, MAIN.email, MAIN.password);
    const other = await signIn(app, OTHER.email, OTHER.password);

    // Errors first, so their messages show up on the pages read below.
    const failing = (await harness.conecta.pipeline.listOrders({ integrationId: 'tray', filter: 'without-movements', limit: 1, offset: 0 })).items[0]!.order.id;
    await fetchAll(app, `${orderPath(failing)}/movimentacao`, withCookie(main.cookie, form({ _csrf: main.csrf })));
    harness.demo.maino.inject({ kind: 'status', status: 401, times: 20 });
    const sync = await fetchAll(app, `${orderPath(failing)}/sincronizar`, withCookie(main.cookie, form({ _csrf: main.csrf })));
    await fetchAll(app, sync.headers.get('location') ?? orderPath(failing), withCookie(main.cookie));
    harness.demo.maino.reset({ data: false });
    harness.demo.maino.inject({ kind: 'status', status: 503, times: 2 });
    expect((await fetchAll(buildApp(harness), '/entrar', form({ email: MAIN.email, password: MAIN.password }))).status).toBe(503);
    harness.demo.maino.reset({ data: false });

    for (const [cookie, integrations] of [
      [main.cookie, ['tray', 'woocommerce', 'lojaintegrada', 'mercos']],
      [other.cookie, ['recompra']],
    ] as const) {
      await fetchAll(app, '/', withCookie(cookie));
      for (const id of integrations) {
        for (const filter of ['all', 'pending-sync', 'without-movements', 'cancelled', 'failed', 'unmapped', 'done']) {
          await fetchAll(app, `/integracoes/${id}/pedidos?filtro=${filter}`, withCookie(cookie));
        }
        await fetchAll(app, `/integracoes/${id}/status`, withCookie(cookie));
        await fetchAll(app, `/api/integracoes/${id}/resumo`, withCookie(cookie));
        // Two orders per integration (an order page asks Mainô for stock, at the client's paced rate).
        const { items } = await harness.conecta.pipeline.listOrders({ integrationId: id, filter: 'all', limit: 2, offset: 0 });
        for (const { order } of items) {
          await fetchAll(app, orderPath(order.id), withCookie(cookie));
          await fetchAll(app, `/api/pedidos/${encodeURIComponent(order.id)}`, withCookie(cookie));
        }
      }
    }
    await fetchAll(app, '/entrar');
    await fetchAll(app, '/');
    await fetchAll(app, '/saude');
    await fetchAll(app, '/integracoes/tray/pedidos?filtro=nada', withCookie(main.cookie));
    expect((await fetchAll(app, '/integracoes/tray/pedidos?filtro=constructor', withCookie(main.cookie))).status).toBe(400);
    expect((await fetchAll(app, '/pedidos/%25', withCookie(main.cookie))).status).toBe(404);
    expect((await fetchAll(app, '/pedidos/tray%3A%25E0%25A4%25A', withCookie(main.cookie))).status).toBe(404);
    expect((await fetchAll(app, `/pedidos/${encodeURIComponent(encodeURIComponent(failing))}`, withCookie(main.cookie))).status).toBe(404);
    await fetchAll(app, '/nao-existe', withCookie(main.cookie));
    await fetchAll(app, `${orderPath(trayOrder)}/movimentacao`, withCookie(main.cookie, form({})));
    await fetchAll(app, '/entrar', form({ email: MAIN.email, password: 'wrong' }));
    await fetchAll(app, '/entrar', form({ email: 'ninguem@conecta.dev', password: harness.demo.env['MAINO_APPLICATION_UID']! }));
    const woo = harness.demo.platforms.find((platform) => platform.integrationId === 'woocommerce')!.fake;
    const [wooId] = woo.seedOrders(1);
    const tampered = woo.webhooks!.tampered!(wooId!);
    await fetchAll(app, '/webhooks/woocommerce', { method: 'POST', body: tampered.rawBody as string, headers: tampered.headers });
    await fetchAll(app, '/webhooks/woocommerce', { method: 'POST', body: 'not json', headers: { 'content-type': 'application/json' } });
    await fetchAll(app, '/webhooks/tray/wrong', { method: 'POST', body: 'seller_id=1&scope_id=1&scope_name=order&act=insert' });
    await fetchAll(app, '/webhooks/recompra', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    await fetchAll(app, '/webhooks/lojaintegrada', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    await fetchAll(app, '/webhooks/mercos', { method: 'POST', body: '{}' });

    expect(seen.length).toBeGreaterThan(50);
    const everything = seen.join('\n\n');
    expect(everything).toContain('O Mainô recusou a credencial de Matriz Curitiba (11.222.333/0001-81).');
    for (const [name, value] of secrets) {
      const at = everything.indexOf(value);
      expect(at, `${name} leaked: …${everything.slice(Math.max(0, at - 200), at + 40)}…`).toBe(-1);
    }
  });
});
