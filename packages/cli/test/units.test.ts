import { describe, expect, it } from 'vitest';
import { serveHandler } from '@conecta/core/testing';
import { createMainoFake } from '@conecta/maino-client/fake';
import { parseDateArg } from '../src/dates.js';
import { probeMainoCompany } from '../src/index.js';
import { sayIn } from '../src/i18n.js';
import { createProgress } from '../src/progress.js';

const MATRIZ = '11222333000181';
const say = sayIn('pt');

describe('the progress line', () => {
  it('on a terminal redraws one line: bar over the date range, orders, pages, rate, time left, refused', () => {
    let written = '';
    let now = 0;
    const progress = createProgress({ stream: { write: (text: string) => (written += text), isTTY: true }, say, fromMs: Date.parse('2026-01-01T00:00:00Z'), toMs: Date.parse('2026-01-11T00:00:00Z'), now: () => now });
    now = 10_000;
    progress.update({ pages: 2, orders: 100, refused: 1, reachedAt: '2026-01-03T12:00:00Z' });
    // A quarter of the range in 10 s: 30 s left.
    expect(written).toBe(`\r\u001b[2K[${'█'.repeat(6)}${'░'.repeat(18)}]  25% · 100 pedidos · 2 páginas · 10.0 pedidos/s · faltam ~0:30 · 1 recusado`);
    progress.finish();
    expect(written.endsWith('\n')).toBe(true);
  });

  it('elsewhere prints whole lines, at most one a second', () => {
    const lines: string[] = [];
    let now = 0;
    const progress = createProgress({ stream: { write: (text: string) => lines.push(text), isTTY: false }, say: sayIn('en'), fromMs: 0, toMs: 1000, now: () => now });
    progress.update({ pages: 1, orders: 50, refused: 0 });
    now = 500;
    progress.update({ pages: 2, orders: 100, refused: 0 });
    now = 1500;
    progress.update({ pages: 3, orders: 150, refused: 0 });
    expect(lines).toEqual(['50 orders · 1 page · 0 refused\n', '150 orders · 3 pages · 100.0 orders/s · 0 refused\n']);
  });
});

describe('command-line dates', () => {
  it('reads a bare date as that day in Brazil, --until as its end, and refuses what is not a date', () => {
    expect(new Date(parseDateArg('2026-01-01', '--since', say)).toISOString()).toBe('2026-01-01T03:00:00.000Z');
    expect(new Date(parseDateArg('2026-01-31', '--until', say, { endOfDay: true })).toISOString()).toBe('2026-02-01T03:00:00.000Z');
    expect(parseDateArg('2026-01-01T10:00:00Z', '--since', say)).toBe(Date.parse('2026-01-01T10:00:00Z'));
    expect(() => parseDateArg('2026-02-30', '--since', say)).toThrow('--since 2026-02-30: use uma data AAAA-MM-DD ou um instante ISO');
    expect(() => parseDateArg('ontem', '--since', say)).toThrow(/--since ontem/);
  });
});

describe('probeMainoCompany', () => {
  it('reports the rate-limit headers Mainô sends', async () => {
    const fake = createMainoFake({ baseUrl: 'http://127.0.0.1/api/v2', orderShape: 'legacy' });
    fake.addCompany(MATRIZ, 'Matriz');
    fake.addApiKey(MATRIZ, 'chave-da-matriz-123');
    fake.addProducts(MATRIZ, [{ sku: 'A', name: 'A', qtdeMilli: 1000 }, { sku: 'B', name: 'B', qtdeMilli: 2000 }]);
    const server = await serveHandler(async (request) => {
      const url = new URL(request.url);
      const response = await fake.handle(new Request(`http://127.0.0.1${url.pathname}${url.search}`, request));
      const headers = new Headers(response.headers);
      headers.set('x-ratelimit-limit', '120');
      headers.set('x-ratelimit-remaining', '118');
      return new Response(response.body, { status: response.status, headers });
    });
    try {
      const rows = await probeMainoCompany({ baseUrl: `${server.url}/api/v2`, cnpj: MATRIZ, companyName: 'Matriz', apiKey: 'chave-da-matriz-123', say, rateLimit: { requests: 50, intervalMs: 1000, source: 'test' } });
      const headers = rows.find((row) => row.check === 'maino.rate-limit-headers')!;
      expect(headers.status).toBe('ok');
      expect(headers.came).toMatch(/x-ratelimit-limit: 120/);
      expect(headers.came).toMatch(/x-ratelimit-remaining: \d+/);
      // No orders in this company: the order checks say so instead of guessing.
      expect(rows.find((row) => row.check === 'maino.orders.reference-filter')).toMatchObject({ status: 'unknown', note: expect.stringContaining('um filtro ignorado também não devolveria nada') });
    } finally {
      await server.close();
    }
  });
});

describe('the demo session secret', () => {
  it('on a fresh checkout makes the data directory, then keeps the secret it drew there', async () => {
    const { mkdtempSync, readFileSync, rmSync, statSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { resolveSessionSecret } = await import('../src/deployment/session-secret.js');
    const root = mkdtempSync(join(tmpdir(), 'conecta-secret-'));
    try {
      const storePath = join(root, 'nao-existe', '.data', 'demo.db');
      const drawn = resolveSessionSecret({ configured: undefined, demo: true, storePath });
      expect(drawn).toMatch(/^[0-9a-f]{64}$/);
      const file = join(root, 'nao-existe', '.data', 'session-secret');
      expect(readFileSync(file, 'utf8').trim()).toBe(drawn);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(resolveSessionSecret({ configured: undefined, demo: true, storePath })).toBe(drawn);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
