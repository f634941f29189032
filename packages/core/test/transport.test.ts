import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../src/index.js';
import { createHttpClient } from '../src/http/index.js';
import { createNodeTransport, TransportTimeoutError } from '../src/http/transport.js';

// The default transport over real sockets: what msw cannot show (encodings, redirects, cut connections, keep-alive).
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve).closeAllConnections())));
});

async function serve(handle: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  const server = createServer(handle);
  server.on('connection', () => {
    connections += 1;
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
}

const client = (baseUrl: string, attemptTimeoutMs = 2000) =>
  createHttpClient({
    platform: 'test',
    baseUrl,
    rateLimit: { requests: 1000, intervalMs: 1000, source: 'test' },
    policy: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 3, attemptTimeoutMs },
  });

describe('node transport', () => {
  it('decodes gzip and brotli answers it asked for', async () => {
    const body = JSON.stringify({ pedidos: [{ id: 1, nome: 'Ação' }] });
    const { url } = await serve((request, response) => {
      const accepted = String(request.headers['accept-encoding']);
      const brotli = request.url?.includes('br');
      expect(accepted).toContain(brotli ? 'br' : 'gzip');
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': brotli ? 'br' : 'gzip' });
      response.end(brotli ? brotliCompressSync(body) : gzipSync(body));
    });
    expect((await client(url).get('gzip')).data).toEqual({ pedidos: [{ id: 1, nome: 'Ação' }] });
    expect((await client(url).get('br')).data).toEqual({ pedidos: [{ id: 1, nome: 'Ação' }] });
  });

  it('reuses one keep-alive connection for requests one after another', async () => {
    const { url, connections } = await serve((_request, response) => response.end('{"ok":true}'));
    const http = client(url);
    for (let index = 0; index < 5; index += 1) expect((await http.get('ping')).data).toEqual({ ok: true });
    expect(connections()).toBe(1);
  });

  it('follows a redirect of a read, keeping credentials on the same origin only', async () => {
    const other = await serve((request, response) => response.end(JSON.stringify({ where: 'other', authorization: request.headers.authorization ?? null })));
    const { url } = await serve((request, response) => {
      if (request.url === '/old') return void response.writeHead(301, { location: '/new' }).end();
      if (request.url === '/away') return void response.writeHead(302, { location: `${other.url}/landing` }).end();
      response.end(JSON.stringify({ where: request.url, authorization: request.headers.authorization ?? null }));
    });
    const transport = createNodeTransport();
    const send = async (path: string) =>
      JSON.parse((await transport({ method: 'GET', url: new URL(`${url}${path}`), headers: { authorization: 'Basic c2VjcmV0', accept: 'application/json' }, timeoutMs: 2000 })).text);
    expect(await send('/old')).toEqual({ where: '/new', authorization: 'Basic c2VjcmV0' });
    expect(await send('/away')).toEqual({ where: 'other', authorization: null });
  });

  it('does not follow a redirect of a create: the caller sees the status', async () => {
    let posts = 0;
    const { url } = await serve((request, response) => {
      if (request.method === 'POST') posts += 1;
      response.writeHead(302, { location: '/elsewhere' }).end();
    });
    const error = await client(url).request({ method: 'POST', path: 'orders', json: { id: 1 } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ status: 302 });
    expect(posts).toBe(1);
  });

  it('times out an answer whose body stalls, as a retryable TIMEOUT', async () => {
    const { url } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"pedidos": [');
    });
    const transport = createNodeTransport();
    await expect(transport({ method: 'GET', url: new URL(`${url}/slow`), headers: {}, timeoutMs: 150 })).rejects.toBeInstanceOf(TransportTimeoutError);
    const error = await client(url, 150).request({ path: 'slow', idempotent: false }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it('retries a read whose connection was cut mid-body', async () => {
    let calls = 0;
    const { url } = await serve((_request, response) => {
      calls += 1;
      if (calls === 1) {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        response.write('{"partial":');
        setTimeout(() => response.socket?.destroy(), 10);
        return;
      }
      response.end('{"ok":true}');
    });
    expect((await client(url).get('orders')).data).toEqual({ ok: true });
    expect(calls).toBe(2);
  });

  it('stops at once when the caller aborts', async () => {
    const { url } = await serve(() => {
      // never answers
    });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    const error = await client(url, 5000).request({ path: 'hang', signal: controller.signal }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ retryable: false });
    expect(String((error as Error).message)).toContain('aborted');
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
