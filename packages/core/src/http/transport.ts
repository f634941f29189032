// Called through the module objects at request time, so interceptors that patch them (msw's) see every request.
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/** One attempt, as the HTTP client's retry loop hands it to the wire. */
export interface TransportRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  /** Covers the whole attempt: connecting, the answer's headers and its body. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The answer with its body read whole. */
export interface TransportResponse {
  status: number;
  readonly headers: Headers;
  text: string;
}

export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** The attempt ran out of its time; the server may still have acted on it. */
export class TransportTimeoutError extends Error {
  override name = 'TransportTimeoutError';
}

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Sends attempts with node:http over keep-alive sockets: less than half the CPU per request of Node's fetch
 * (bench/http-transport.ts), and requests are most of a busy pipeline's CPU. Like fetch, it decompresses gzip,
 * deflate and brotli and follows redirects of reads, without credentials across origins.
 */
export function createNodeTransport(): Transport {
  // The settings of Node's own global agent: idle sockets close before a typical server's keep-alive timeout.
  const agents = {
    http: new http.Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 }),
    https: new https.Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5000 }),
  };
  const send = (request: TransportRequest, redirects: number): Promise<TransportResponse> =>
    new Promise((resolve, reject) => {
      const { url, signal } = request;
      if (signal?.aborted) return reject(signal.reason);
      const secure = url.protocol === 'https:';
      const headers: Record<string, string | number> = { 'accept-encoding': 'gzip, deflate, br', ...request.headers };
      if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
      const outgoing = (secure ? https : http).request(url, { method: request.method, headers, agent: secure ? agents.https : agents.http });
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        outcome();
      };
      const fail = (error: unknown) => settle(() => reject(error));
      const timer = setTimeout(() => {
        const error = new TransportTimeoutError(`no complete answer within ${request.timeoutMs} ms`);
        fail(error);
        outgoing.destroy(error);
      }, request.timeoutMs);
      const onAbort = () => {
        fail(signal!.reason);
        outgoing.destroy();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      outgoing.on('error', fail);
      outgoing.on('response', (incoming) => {
        const location = incoming.headers.location;
        if (REDIRECT_STATUSES.has(incoming.statusCode ?? 0) && location && (request.method === 'GET' || request.method === 'HEAD') && redirects < MAX_REDIRECTS) {
          incoming.resume();
          const next = new URL(location, url);
          const sameOrigin = next.origin === url.origin;
          const nextHeaders = sameOrigin ? request.headers : withoutCredentials(request.headers);
          settle(() => resolve(send({ ...request, url: next, headers: nextHeaders }, redirects + 1)));
          return;
        }
        // A connection cut mid-body errors the response itself; a pipe would not pass that on to the decoder.
        incoming.on('error', fail);
        const body = decoded(incoming);
        const chunks: Buffer[] = [];
        body.on('data', (chunk: Buffer) => chunks.push(chunk));
        body.on('error', fail);
        body.on('end', () => settle(() => resolve(new NodeResponse(incoming.statusCode ?? 0, incoming.headers, Buffer.concat(chunks).toString('utf8')))));
      });
      outgoing.end(request.body);
    });
  return (request) => send(request, 0);
}

/** Sends attempts through a fetch implementation (msw, a test double, another runtime's fetch). */
export function createFetchTransport(fetchImpl: typeof fetch): Transport {
  return async (request) => {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, request.timeoutMs);
    const onAbort = () => controller.abort(request.signal!.reason);
    request.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (request.signal?.aborted) throw request.signal.reason;
      const response = await fetchImpl(request.url, { method: request.method, headers: request.headers, body: request.body ?? null, signal: controller.signal });
      return { status: response.status, headers: response.headers, text: await response.text() };
    } catch (error) {
      if (timedOut) throw new TransportTimeoutError(`no complete answer within ${request.timeoutMs} ms`, { cause: error });
      throw error;
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    }
  };
}

class NodeResponse implements TransportResponse {
  private built: Headers | undefined;
  constructor(
    readonly status: number,
    private readonly raw: IncomingHttpHeaders,
    readonly text: string,
  ) {}

  // Most answers are read for their body only: a Headers object is built when someone asks.
  get headers(): Headers {
    if (!this.built) {
      this.built = new Headers();
      for (const [name, value] of Object.entries(this.raw)) {
        if (value === undefined) continue;
        for (const item of Array.isArray(value) ? value : [value]) this.built.append(name, item);
      }
    }
    return this.built;
  }
}

function decoded(incoming: IncomingMessage): NodeJS.ReadableStream {
  switch (incoming.headers['content-encoding']?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return incoming.pipe(createGunzip());
    case 'deflate':
      return incoming.pipe(createInflate());
    case 'br':
      return incoming.pipe(createBrotliDecompress());
    default:
      return incoming;
  }
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name !== 'authorization' && name !== 'cookie' && name !== 'proxy-authorization') kept[name] = value;
  }
  return kept;
}
