import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { composeConecta } from '@conecta/cli/deployment';
import { DEMO_COMPANIES, DEMO_USERS, startDemo } from '@conecta/cli/demo';
import { ORIGIN, buildApp, form, from, sessionCookie, signIn, startHarness, withCookie, type App, type Harness } from './helpers.js';

/**
 * The "exposing it safely" points, each over HTTP against the demo's fakes: what an attacker reaching the
 * port (or a cross-site page in a victim's browser) could try, and what an operator's pages must never carry.
 */
const MAIN = DEMO_USERS.main;
const OTHER = DEMO_USERS.other;

let harness: Harness;
let app: App;
let main: { cookie: string; csrf: string };
const orderPath = (orderId: string) => `/pedidos/${encodeURIComponent(orderId)}`;
const trayFake = () =>
  harness.demo.platforms.find((platform) => platform.integrationId === 'tray')!.fake as unknown as {
    addOrder(lines: Array<{ reference: string; quantity: string; price: string }>, options?: { status?: string; total?: string; partialTotal?: string }): string;
    modifyOrder(externalId: string, changes?: { status?: string }): void;
  };

beforeAll(async () => {
  // Tests add products to Mainô while the server runs and expect the next check to see them: no snapshot here.
  harness = await startHarness({ ordersPerStore: 2 , stockFreshnessMs: 0 });
  for (const id of ['tray', 'woocommerce']) await harness.conecta.pipeline.poll(id);
  app = buildApp(harness, { log: () => undefined });
  main = await signIn(app, MAIN.email, MAIN.password);
});
afterAll(async () => {
  await harness?.close();
});

describe('the session secret', () => {
  const dir = mkdtempSync(join(tmpdir(), 'conecta-secret-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is written nowhere in the source: the demo has none in its environment', () => {
    expect(Object.keys(harness.demo.env).filter((name) => /SESSION/.test(name))).toEqual([]);
    expect(harness.demo.config.sessionSecret).toBeUndefined();
    // The server's own sources and the deployment it shares with the command line (config, composition, demo).
    const sources = [new URL('../src', import.meta.url), new URL('../../../packages/cli/src/deployment', import.meta.url)]
      .flatMap((folder) => readdirSync(folder, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => readFileSync(join(entry.parentPath, entry.name), 'utf8'));
    for (const text of sources) expect(text).not.toMatch(/session-secret-change-me|SESSION_SECRET:\s*'/);
  });

  it('outside the demo, the server refuses to start without one, or with a short one', async () => {
    const demo = await startDemo({ ordersPerStore: 0, storePath: ':memory:' });
    try {
      await expect(composeConecta(demo.config, { ...demo.env })).rejects.toThrow(/sessionSecret: required outside the demo/);
      const configured = { ...demo.config, sessionSecret: 'env:CONECTA_SESSION_SECRET' };
      await expect(composeConecta(configured, { ...demo.env, CONECTA_SESSION_SECRET: 'short' })).rejects.toThrow(/at least 32 characters/);
      await expect(composeConecta(configured, { ...demo.env })).rejects.toThrow(/CONECTA_SESSION_SECRET is not set/);
      const ok = await composeConecta(configured, { ...demo.env, CONECTA_SESSION_SECRET: 'a'.repeat(64) });
      expect(ok.sessionSecret).toBe('a'.repeat(64));
      await ok.close();
    } finally {
      await demo.close();
    }
  });

  it('the demo draws one per data directory and keeps it beside the SQLite file (owner-only), so a restart keeps sessions', async () => {
    const storePath = join(dir, 'conecta.db');
    const demo = await startDemo({ ordersPerStore: 0, storePath });
    try {
      const first = await composeConecta(demo.config, { ...demo.env }, { demo: true });
      const file = join(dir, 'session-secret');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8').trim()).toBe(first.sessionSecret);
      expect(first.sessionSecret).toMatch(/^[0-9a-f]{64}$/);
      const session = await signIn(createApp(first, { secureCookies: false }), MAIN.email, MAIN.password);
      await first.close();

      const restarted = await composeConecta(demo.config, { ...demo.env }, { demo: true });
      expect(restarted.sessionSecret).toBe(first.sessionSecret);
      expect((await createApp(restarted, { secureCookies: false }).request('/', withCookie(session.cookie))).status).toBe(200);
      await restarted.close();
      // Another data directory, another secret; an in-memory demo draws one per run.
      expect(harness.conecta.sessionSecret).not.toBe(first.sessionSecret);
    } finally {
      await demo.close();
    }
  });
});

describe('security headers', () => {
  it('every answer forbids framing, sniffing and inline code, and sends no referrer to other sites', async () => {
    const { items } = await harness.conecta.pipeline.listOrders({ integrationId: 'tray', limit: 1, offset: 0 });
    const answers = [
      await app.request('/entrar'),
      await app.request('/'),
      await app.request('/', withCookie(main.cookie)),
      await app.request(orderPath(items[0]!.order.id), withCookie(main.cookie)),
      await app.request('/integracoes/tray/pedidos', withCookie(main.cookie)),
      await app.request('/api/integracoes/tray/resumo', withCookie(main.cookie)),
      await app.request('/recursos/painel.js'),
      await app.request('/saude'),
      await app.request('/nao-existe', withCookie(main.cookie)),
      await app.request('/webhooks/woocommerce', { method: 'POST', body: '{}' }),
    ];
    for (const response of answers) {
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
    }
  });

  it('pages carry no inline script or style (the policy would block them), and signed-in answers are never stored', async () => {
    const { items } = await harness.conecta.pipeline.listOrders({ integrationId: 'tray', limit: 1, offset: 0 });
    for (const path of ['/', '/integracoes/tray/pedidos', orderPath(items[0]!.order.id), '/integracoes/tray/status', '/integracoes/tray/quarentena', '/api/integracoes/tray/resumo']) {
      const response = await app.request(path, withCookie(main.cookie));
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toBe('no-store');
      const text = await response.text();
      expect(text, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
      expect(text, path).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    }
    expect((await app.request('/entrar')).headers.get('cache-control')).toBe('no-store');
  });
});

describe('request bodies', () => {
  const big = 'x'.repeat(200 * 1024);
  const stream = (bytes: number) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (let sent = 0; sent < bytes; sent += 64 * 1024) controller.enqueue(new Uint8Array(64 * 1024).fill(120));
        controller.close();
      },
    });

  it('sign-in refuses a large body (413) before reading it, with or without a Content-Length', async () => {
    const declared = await app.request('/entrar', form({ email: MAIN.email, password: MAIN.password, padding: big }), from('10.7.0.1'));
    expect(declared.status).toBe(413);
    expect(sessionCookie(declared)).toBeUndefined();
    const chunked = await app.request(
      '/entrar',
      { method: 'POST', body: stream(10 * 1024 * 1024), headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN }, duplex: 'half' } as RequestInit,
      from('10.7.0.2'),
    );
    expect(chunked.status).toBe(413);
  });

  it('every other route is bounded too: signed-in forms at 64 KiB, webhooks at 1 MiB', async () => {
    const dictionary = await app.request('/integracoes/tray/status', withCookie(main.cookie, form({ _csrf: main.csrf, 'status:A ENVIAR': 'pending', padding: big })));
    expect(dictionary.status).toBe(413);
    const webhook = await app.request('/webhooks/woocommerce', { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1), headers: { 'content-type': 'application/json' } });
    expect(webhook.status).toBe(413);
    const small = await app.request('/webhooks/woocommerce', { method: 'POST', body: 'x'.repeat(100 * 1024), headers: { 'content-type': 'application/json' } });
    expect(small.status).toBe(401);
  });
});

describe('form posts come from our own pages', () => {
  it('sign-in from another site (or with no origin at all) is refused: no session is set', async () => {
    for (const origin of ['https://evil.example', 'null', null]) {
      const response = await buildApp(harness).request('/entrar', form({ email: OTHER.email, password: OTHER.password }, origin), from('10.8.0.1'));
      expect(response.status, String(origin)).toBe(403);
      expect(sessionCookie(response)).toBeUndefined();
      expect(await response.text()).toContain('não veio de uma página deste Conecta');
    }
    // A browser that sends Sec-Fetch-Site instead: same-origin passes, cross-site does not.
    const base = form({ email: OTHER.email, password: OTHER.password }, null);
    const withSite = (site: string) => ({ ...base, headers: { ...(base.headers as Record<string, string>), 'sec-fetch-site': site } });
    expect((await buildApp(harness).request('/entrar', withSite('cross-site'), from('10.8.0.2'))).status).toBe(403);
    expect((await buildApp(harness).request('/entrar', withSite('same-origin'), from('10.8.0.3'))).status).toBe(303);
    // Behind a TLS proxy the public origin is configured.
    const proxied = buildApp(harness, { publicOrigins: ['https://conecta.example'] });
    expect((await proxied.request('/entrar', form({ email: OTHER.email, password: OTHER.password }, 'https://conecta.example'), from('10.8.0.4'))).status).toBe(303);
  });

  it('a signed-in action posted from another site is refused even with the right CSRF token', async () => {
    const response = await app.request('/integracoes/tray/status', withCookie(main.cookie, form({ _csrf: main.csrf, 'status:A ENVIAR': 'ignored' }, 'https://evil.example')));
    expect(response.status).toBe(403);
    expect((await harness.conecta.pipeline.statusReport('tray')).dictionary.entries['A ENVIAR']?.state).toBe('pending');
  });
});

describe('sign-out', () => {
  it('reaches every worker on the store and survives a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conecta-signout-'));
    const demo = await startDemo({ ordersPerStore: 0, storePath: join(dir, 'conecta.db') });
    try {
      const workerA = await composeConecta(demo.config, { ...demo.env }, { demo: true });
      const workerB = await composeConecta(demo.config, { ...demo.env }, { demo: true });
      const appA = createApp(workerA, { secureCookies: false });
      const appB = createApp(workerB, { secureCookies: false });
      const leaving = await signIn(appA, MAIN.email, MAIN.password);
      const staying = await signIn(appA, MAIN.email, MAIN.password);
      expect((await appB.request('/', withCookie(leaving.cookie))).status).toBe(200);
      expect((await appA.request('/sair', withCookie(leaving.cookie, form({ _csrf: leaving.csrf })))).status).toBe(303);
      // The other worker refuses the signed-out cookie at once; the other session is untouched.
      expect((await appB.request('/', withCookie(leaving.cookie))).status).toBe(302);
      expect((await appB.request('/', withCookie(staying.cookie))).status).toBe(200);
      await workerA.close();
      await workerB.close();
      const restarted = await composeConecta(demo.config, { ...demo.env }, { demo: true });
      const appC = createApp(restarted, { secureCookies: false });
      expect((await appC.request('/', withCookie(leaving.cookie))).status).toBe(302);
      expect((await appC.request('/', withCookie(staying.cookie))).status).toBe(200);
      await restarted.close();
    } finally {
      await demo.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the status dictionary form', () => {
  it('a partial post changes only the statuses it names; an empty value unmaps one; bad values are refused', async () => {
    const before = (await harness.conecta.pipeline.statusReport('woocommerce')).dictionary.entries;
    const saved = await app.request('/integracoes/woocommerce/status', withCookie(main.cookie, form({ _csrf: main.csrf, 'status:em-separacao': 'pending' })));
    expect(saved.status).toBe(303);
    const after = (await harness.conecta.pipeline.statusReport('woocommerce')).dictionary.entries;
    expect(after['em-separacao']).toEqual({ state: 'pending' });
    for (const [code, mapping] of Object.entries(before)) expect(after[code], code).toEqual(mapping);

    expect((await app.request('/integracoes/woocommerce/status', withCookie(main.cookie, form({ _csrf: main.csrf, 'status:em-separacao': '' })))).status).toBe(303);
    const unmapped = (await harness.conecta.pipeline.statusReport('woocommerce')).dictionary.entries;
    expect(unmapped['em-separacao']).toBeUndefined();
    expect(Object.keys(unmapped).length).toBe(Object.keys(before).length);

    expect((await app.request('/integracoes/woocommerce/status', withCookie(main.cookie, form({ _csrf: main.csrf, 'status:processing': 'shipped' })))).status).toBe(400);
    expect((await app.request('/integracoes/woocommerce/status', withCookie(main.cookie, form({ _csrf: main.csrf })))).status).toBe(400);
    expect((await harness.conecta.pipeline.statusReport('woocommerce')).dictionary.entries).toEqual(unmapped);
  });

  it('mapping a status reclassifies every stored order it touches, with the count shown', async () => {
    const tray = trayFake();
    const sku = 'RECLASS-1';
    harness.demo.maino.addProducts(DEMO_COMPANIES[0].cnpj, [{ sku, name: 'Produto', qtdeMilli: 10_000 }]);
    const externalId = tray.addOrder([{ reference: sku, quantity: '1', price: '10.00' }], { partialTotal: '10.00', total: '10.00' });
    await harness.conecta.pipeline.poll('tray');
    const orderId = `tray:${externalId}`;
    expect((await app.request(`${orderPath(orderId)}/movimentacao`, withCookie(main.cookie, form({ _csrf: main.csrf })))).status).toBe(303);
    // The store cancels it under a status the dictionary does not know: the page says so, the order keeps going.
    const unknown = 'ESTORNO SOLICITADO';
    expect((await harness.conecta.pipeline.statusReport('tray')).dictionary.entries[unknown]).toBeUndefined();
    tray.modifyOrder(externalId, { status: unknown });
    await harness.conecta.pipeline.poll('tray');
    const page = await (await app.request(orderPath(orderId), withCookie(main.cookie))).text();
    expect(page).toContain('não está no dicionário desta integração');

    const saved = await app.request('/integracoes/tray/status', withCookie(main.cookie, form({ _csrf: main.csrf, [`status:${unknown}`]: 'cancelled' })));
    const notice = await (await app.request('/integracoes/tray/status', withCookie(`${main.cookie}; ${setCookiePairs(saved)}`))).text();
    expect(notice).toContain('1 pedido reclassificado.');
    const after = await (await app.request(orderPath(orderId), withCookie(main.cookie))).text();
    expect(after).toMatch(/<span class="badge cancelled"[^>]*>Cancelado<\/span>/);
    expect(after).toMatch(/<button type="submit" form="form-movimentacao" disabled>/);
  });
});

/** The cookies a response set, as a Cookie header adds them (the notice travels in one). */
function setCookiePairs(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0]!)
    .join('; ');
}

describe('listings and notices', () => {
  it('a page number out of range, or not a number, is a 400 (not a 500)', async () => {
    for (const pagina of ['0', '-1', 'abc', '1.5', '99999', '9999999999']) {
      const response = await app.request(`/integracoes/tray/pedidos?pagina=${pagina}`, withCookie(main.cookie));
      expect(response.status, pagina).toBe(400);
      expect(await response.text()).toMatch(/Página (inválida|inexistente)/);
    }
    expect((await app.request('/integracoes/tray/pedidos?pagina=1', withCookie(main.cookie))).status).toBe(200);
    const empty = await app.request('/integracoes/tray/pedidos?filtro=ignored&pagina=1', withCookie(main.cookie));
    expect(empty.status).toBe(200);
    expect(await empty.text()).toContain('Nenhum pedido neste filtro.');
  });

  it('text in ?msg= or ?erro= never reaches a page; a notice comes only from the server, signed', async () => {
    const { items } = await harness.conecta.pipeline.listOrders({ integrationId: 'tray', limit: 1, offset: 0 });
    for (const path of ['/', orderPath(items[0]!.order.id), '/integracoes/tray/status', '/integracoes/tray/pedidos']) {
      const text = await (await app.request(`${path}${path.includes('?') ? '&' : '?'}msg=Ligue+para+0800-FRAUDE&erro=Sua+conta+foi+bloqueada`, withCookie(main.cookie))).text();
      expect(text, path).not.toContain('0800-FRAUDE');
      expect(text, path).not.toContain('bloqueada');
    }
    // A notice cookie someone wrote (unsigned, or with the signature of another secret) is ignored.
    const forged = Buffer.from(JSON.stringify({ code: 'action-failed', message: 'Ligue para 0800-FRAUDE' })).toString('base64url');
    for (const value of [forged, `${forged}.c2lnbmF0dXJl`]) {
      const text = await (await app.request('/', withCookie(`${main.cookie}; conecta_aviso=${encodeURIComponent(value)}`))).text();
      expect(text).not.toContain('0800-FRAUDE');
    }
  });

  it('a stock push that sent nothing says so and why, instead of a success with zeros', async () => {
    const push = async () => {
      const response = await app.request('/integracoes/woocommerce/estoque', withCookie(main.cookie, form({ _csrf: main.csrf })));
      expect(response.status).toBe(303);
      return (await (await app.request('/', withCookie(`${main.cookie}; ${setCookiePairs(response)}`))).text()).match(/<div class="notice[^"]*"[^>]*data-notice="stock-push">([^<]*)/)?.[1];
    };
    expect(await push()).toMatch(/^Estoque enviado: \d+ produtos? atualizados?/);
    expect(await push()).toMatch(/^Nada enviado: o estoque de \d+ produtos? não mudou desde o último envio\.$/);
  });

  it('an operator’s mistake is explained in Portuguese, lines counted from 1 and CNPJs formatted', async () => {
    const tray = trayFake();
    const sku = 'PT-SKU-1';
    harness.demo.maino.addProducts(DEMO_COMPANIES[0].cnpj, [{ sku, name: 'Produto', qtdeMilli: 10_000 }]);
    harness.demo.maino.addProducts(DEMO_COMPANIES[2].cnpj, [{ sku, name: 'Produto', qtdeMilli: 0 }]);
    const externalId = tray.addOrder([{ reference: sku, quantity: '2', price: '10.00' }], { partialTotal: '20.00', total: '20.00' });
    await harness.conecta.pipeline.poll('tray');
    const orderId = `tray:${externalId}`;
    const response = await app.request(`${orderPath(orderId)}/movimentacao`, withCookie(main.cookie, form({ _csrf: main.csrf, 'empresa-0': DEMO_COMPANIES[2].cnpj })));
    const text = await (await app.request(orderPath(orderId), withCookie(`${main.cookie}; ${setCookiePairs(response)}`))).text();
    expect(text).toContain('Na linha 1, CD Joinville (12.ABC.345/01DE-35) tem 0 de PT-SKU-1 livre, e a linha precisa de 2: faltam 2.');
    expect(text).toMatch(/class="notice error"/);
    expect(text).not.toMatch(/invalid field|overrides\.0|12ABC34501DE35 has/);
  });
});

describe('webhook refusals', () => {
  it('answer without naming the reason; the log has it', async () => {
    const lines: string[] = [];
    const logged = buildApp(harness, { log: (line) => lines.push(line) });
    const woo = harness.demo.platforms.find((platform) => platform.integrationId === 'woocommerce')!.fake;
    const [externalId] = woo.seedOrders(1);
    for (const delivery of [woo.webhooks!.tampered!(externalId!), woo.webhooks!.unsigned(externalId!)]) {
      const response = await logged.request('/webhooks/woocommerce', { method: 'POST', body: delivery.rawBody as string, headers: delivery.headers });
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('{"error":"rejected"}');
    }
    expect(lines.filter((line) => line.startsWith('[webhook] woocommerce: delivery refused (')).length).toBeGreaterThanOrEqual(2);
    expect(lines.join('\n')).toMatch(/signature/);
  });
});

describe('bulk runs', () => {
  it('a second start while one runs gets the running one back; another tenant cannot see it', async () => {
    const tray = trayFake();
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const sku = `DOUBLE-${index}`;
      harness.demo.maino.addProducts(DEMO_COMPANIES[1].cnpj, [{ sku, name: 'Produto', qtdeMilli: 5_000 }]);
      ids.push(`tray:${tray.addOrder([{ reference: sku, quantity: '1', price: '5.00' }], { partialTotal: '5.00', total: '5.00' })}`);
    }
    await harness.conecta.pipeline.poll('tray');
    const start = () => app.request('/integracoes/tray/lote', withCookie(main.cookie, form({ _csrf: main.csrf, acao: 'movimentacao', filtro: 'without-movements', pedido: ids })));
    const [first, second] = await Promise.all([start(), start()]);
    expect(first.headers.get('location')).toMatch(/^\/lotes\/[\w-]+$/);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    const runId = first.headers.get('location')!.split('/').pop()!;
    await app.bulk.settled(runId);
    const progress = (await (await app.request(`/api/lotes/${runId}`, withCookie(main.cookie))).json()) as Record<string, unknown>;
    expect(progress).toMatchObject({ total: 3, done: 3, failed: 0, skipped: 0, left: 0, finished: true });
    for (const orderId of ids) expect((await harness.conecta.pipeline.getOrder(orderId)).movements).toHaveLength(1);

    const other = await signIn(app, OTHER.email, OTHER.password);
    expect((await app.request(`/lotes/${runId}`, withCookie(other.cookie))).status).toBe(404);
    expect((await app.request(`/api/lotes/${runId}`, withCookie(other.cookie))).status).toBe(404);
    expect((await app.request('/integracoes/tray/lote', withCookie(other.cookie, form({ _csrf: other.csrf, acao: 'movimentacao', pedido: ids })))).status).toBe(404);
    // Orders of another integration cannot be slipped into a run.
    const { items } = await harness.conecta.pipeline.listOrders({ integrationId: 'woocommerce', limit: 1, offset: 0 });
    expect((await app.request('/integracoes/tray/lote', withCookie(main.cookie, form({ _csrf: main.csrf, acao: 'movimentacao', pedido: [items[0]!.order.id] })))).status).toBe(404);
  });
});
