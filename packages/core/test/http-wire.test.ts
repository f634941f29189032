import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, ResponseTooLargeError, UpstreamError, registerSecret } from '../src/index.js';
import { createHttpClient, resetSharedDispatcher, type HttpClientOptions } from '../src/http/index.js';

// The default path over real sockets (ky, Node's fetch, the shared undici pool): what msw cannot show (encodings,
// redirects, cut connections, keep-alive, proxies, body limits).
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

const client = (baseUrl: string, attemptTimeoutMs = 2000, overrides: Partial<HttpClientOptions> = {}) =>
  createHttpClient({
    platform: 'test',
    baseUrl,
    rateLimit: { requests: 1000, intervalMs: 1000, source: 'test' },
    policy: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 3, attemptTimeoutMs },
    ...overrides,
  });

describe('HTTP over the wire', () => {
  it('asks for compressed answers and decodes gzip and brotli', async () => {
    const body = JSON.stringify({ pedidos: [{ id: 1, nome: 'Ação' }] });
    const accepted: string[] = [];
    const { url } = await serve((request, response) => {
      accepted.push(String(request.headers['accept-encoding']));
      const brotli = request.url?.includes('br');
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': brotli ? 'br' : 'gzip' });
      response.end(brotli ? brotliCompressSync(body) : gzipSync(body));
    });
    expect((await client(url).get('gzip')).data).toEqual({ pedidos: [{ id: 1, nome: 'Ação' }] });
    expect((await client(url).get('br')).data).toEqual({ pedidos: [{ id: 1, nome: 'Ação' }] });
    expect(accepted[0]).toContain('gzip');
  });

  it('takes a 204 and a HEAD answer that announce gzip but carry no body', async () => {
    let calls = 0;
    const { url } = await serve((request, response) => {
      calls += 1;
      if (request.method === 'HEAD') {
        response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': '120' });
        return void response.end();
      }
      response.writeHead(204, { 'content-encoding': 'gzip' });
      response.end();
    });
    const deleted = await client(url).request({ method: 'DELETE', path: 'pedidos/1' });
    expect(deleted).toMatchObject({ status: 204, data: undefined });
    const head = await client(url).request({ method: 'HEAD', path: 'pedidos' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('120');
    // Neither was taken for a network error and retried.
    expect(calls).toBe(2);
  });

  it('reuses keep-alive connections for requests one after another', async () => {
    const { url, connections } = await serve((_request, response) => response.end('{"ok":true}'));
    const http = client(url);
    for (let index = 0; index < 20; index += 1) expect((await http.get('ping')).data).toEqual({ ok: true });
    // undici may open a second socket while the first is being handed back to the pool, never one per request.
    expect(connections()).toBeLessThanOrEqual(2);
    const other = client(url);
    for (let index = 0; index < 5; index += 1) await other.get('ping');
    // Another client to the same host shares the process's pool.
    expect(connections()).toBeLessThanOrEqual(2);
  });

  it('follows a redirect of a read, keeping credentials on the same origin only', async () => {
    const other = await serve((request, response) => response.end(JSON.stringify({ where: 'other', authorization: request.headers.authorization ?? null })));
    const { url } = await serve((request, response) => {
      if (request.url === '/old') return void response.writeHead(301, { location: '/new' }).end();
      if (request.url === '/away') return void response.writeHead(302, { location: `${other.url}/landing` }).end();
      response.end(JSON.stringify({ where: request.url, authorization: request.headers.authorization ?? null }));
    });
    const http = client(url, 2000, { authorize: ({ headers }) => headers.set('authorization', 'Basic c2VjcmV0') });
    expect((await http.get('old')).data).toEqual({ where: '/new', authorization: 'Basic c2VjcmV0' });
    expect((await http.get('away')).data).toEqual({ where: 'other', authorization: null });
  });

  it('follows a 303 after a POST with a GET, sending the create once', async () => {
    const seen: string[] = [];
    const { url } = await serve((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      if (request.method === 'POST') return void response.writeHead(303, { location: '/pedidos/77' }).end();
      response.end(JSON.stringify({ id: 77 }));
    });
    const created = await client(url).request({ method: 'POST', path: 'pedidos', json: { referencia: 'A-1' } });
    expect(created).toMatchObject({ status: 200, data: { id: 77 } });
    expect(seen).toEqual(['POST /pedidos', 'GET /pedidos/77']);
  });

  it('times out an answer whose body stalls, as a retryable TIMEOUT, and does not retry a create after it', async () => {
    let calls = 0;
    const { url } = await serve((_request, response) => {
      calls += 1;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"pedidos": [');
    });
    const error = await client(url, 150).request({ path: 'slow', method: 'POST', json: {} }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(calls).toBe(1);
  });

  it('times out an answer whose headers never come', async () => {
    const { url } = await serve(() => {
      // never answers
    });
    const started = Date.now();
    const error = await client(url, 100, { policy: { maxAttempts: 1, attemptTimeoutMs: 100 } }).get('hang').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(Date.now() - started).toBeLessThan(1500);
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

describe('answer size limit', () => {
  const big = JSON.stringify({ items: 'x'.repeat(64 * 1024) });

  it('refuses a declared Content-Length over the limit without reading the body', async () => {
    let calls = 0;
    const { url } = await serve((_request, response) => {
      calls += 1;
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) });
      response.end(big);
    });
    const error = await client(url, 2000, { policy: { maxResponseBytes: 16 * 1024 } }).get('big').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ limitBytes: 16 * 1024, status: 200, retryable: false });
    expect(calls).toBe(1);
  });

  it('counts a chunked or compressed body as it arrives and stops at the limit', async () => {
    const { url } = await serve((request, response) => {
      if (request.url === '/gzip') {
        // 64 KB of JSON in a few hundred compressed bytes: the Content-Length says nothing of what it decodes to.
        const packed = gzipSync(big);
        response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(packed.length) });
        return void response.end(packed);
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      for (let offset = 0; offset < big.length; offset += 4096) response.write(big.slice(offset, offset + 4096));
      response.end();
    });
    const http = client(url, 2000, { policy: { maxResponseBytes: 16 * 1024 } });
    await expect(http.get('chunked')).rejects.toBeInstanceOf(ResponseTooLargeError);
    await expect(http.get('gzip')).rejects.toBeInstanceOf(ResponseTooLargeError);
    // Under the limit the same answers are read whole.
    expect((await client(url).get('gzip')).data).toEqual(JSON.parse(big));
  });

  it("hands a body over undecoded with responseType 'bytes', chunks joined, under the same limit", async () => {
    const text = JSON.stringify([{ name: 'Caneca – São Paulo', total: '19.90' }]).repeat(200);
    const { url } = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const bytes = Buffer.from(text);
      // Split inside a multi-byte character, as a socket may.
      for (let offset = 0; offset < bytes.length; offset += 1001) response.write(bytes.subarray(offset, offset + 1001));
      response.end();
    });
    const answer = await client(url).get<Uint8Array>('bytes', undefined, { responseType: 'bytes' });
    expect(answer.data).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(answer.data).equals(Buffer.from(text))).toBe(true);
    await expect(client(url, 2000, { policy: { maxResponseBytes: 4 * 1024 } }).get('bytes', undefined, { responseType: 'bytes' })).rejects.toBeInstanceOf(ResponseTooLargeError);
  });
});

describe('errors in the style of a request error', () => {
  it('carry method, redacted URL and headers, response headers and a bounded body as properties', async () => {
    const token = 'wire-secret-token-4471';
    registerSecret(token);
    const { url } = await serve((_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json', 'x-request-id': 'req-9', 'set-cookie': `session=${token}` });
      response.end(JSON.stringify({ message: `token ${token} revoked`, padding: 'y'.repeat(10_000) }));
    });
    const http = client(url, 2000, {
      authorize: ({ headers, query }) => {
        headers.set('authorization', `Bearer ${token}`);
        query.set('access_token', token);
      },
    });
    const error = (await http.get('orders', { page: 2 }).catch((caught: unknown) => caught)) as AuthError;
    expect(error).toBeInstanceOf(AuthError);
    expect(error.status).toBe(401);
    expect(error.request).toMatchObject({ method: 'GET', url: `${url}/orders?page=2&access_token=[REDACTED]` });
    expect(error.request!.headers['authorization']).toBe('[REDACTED]');
    expect(error.response).toMatchObject({ status: 401, headers: { 'x-request-id': 'req-9', 'set-cookie': '[REDACTED]' } });
    expect(error.response!.body!.length).toBeLessThanOrEqual(4_000);
    expect(error.response!.body).toContain('[REDACTED] revoked');
    const everything = JSON.stringify(error) + error.stack + error.message;
    expect(everything).not.toContain(token);
  });

  it('tells a refused connection as a retryable network error with the request attached', async () => {
    const { url } = await serve(() => undefined);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const error = await client(url).get('orders').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ code: 'NETWORK', retryable: true, request: { method: 'GET', url: `${url}/orders` } });
  });
});

describe('proxy from the environment', () => {
  /** A forward proxy on loopback that counts what it relays: CONNECT tunnels and absolute-form requests. */
  async function countingProxy(): Promise<{ url: string; connects: string[]; requests: string[] }> {
    const connects: string[] = [];
    const requests: string[] = [];
    const proxy = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      const target = new URL(request.url!);
      const upstream = httpRequest(target, { method: request.method, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(response);
      });
      request.pipe(upstream);
    });
    proxy.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
      connects.push(String(request.url));
      const [host, port] = String(request.url).split(':');
      const upstream = connect(Number(port), host!, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
    });
    servers.push(proxy);
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, connects, requests };
  }

  const saved = { ...process.env };
  afterEach(async () => {
    for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await resetSharedDispatcher();
  });

  it('sends requests through HTTP_PROXY / HTTPS_PROXY and straight to hosts NO_PROXY names', async () => {
    const proxy = await countingProxy();
    const { url } = await serve((request, response) => response.end(JSON.stringify({ path: request.url })));
    const port = new URL(url).port;
    process.env['HTTP_PROXY'] = proxy.url;
    process.env['HTTPS_PROXY'] = proxy.url;
    delete process.env['NO_PROXY'];
    delete process.env['no_proxy'];
    await resetSharedDispatcher();
    // 127.0.0.1 by another name, so the proxy relays it: undici never proxies a host the environment exempts.
    const viaProxy = client(`http://localhost:${port}`);
    expect((await viaProxy.get('orders', { page: 1 })).data).toEqual({ path: '/orders?page=1' });
    expect(proxy.requests).toEqual([`GET http://localhost:${port}/orders?page=1`]);

    process.env['NO_PROXY'] = 'localhost';
    await resetSharedDispatcher();
    expect((await client(`http://localhost:${port}`).get('direct')).data).toEqual({ path: '/direct' });
    expect(proxy.requests).toHaveLength(1);
  });

  it('tunnels https through HTTPS_PROXY with CONNECT', async () => {
    const proxy = await countingProxy();
    process.env['HTTPS_PROXY'] = proxy.url;
    delete process.env['NO_PROXY'];
    delete process.env['no_proxy'];
    await resetSharedDispatcher();
    // Nothing answers TLS behind the tunnel; what matters is that the request went to the proxy as a CONNECT.
    const target = await serve(() => undefined);
    const port = new URL(target.url).port;
    await client(`https://localhost:${port}`, 1000, { policy: { maxAttempts: 1 } }).get('orders').catch(() => undefined);
    expect(proxy.connects).toEqual([`localhost:${port}`]);
  });
});
