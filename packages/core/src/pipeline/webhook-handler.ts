import { ConectaError } from '../errors/conecta-error.js';
import type { Pipeline } from './pipeline.js';

/**
 * A framework-agnostic webhook endpoint: `(Request) => Response`. Routes by the last path segment that names a
 * configured integration (`/webhooks/<integrationId>`), or by `resolveIntegration`.
 */
export function createWebhookHandler(
  pipeline: Pipeline,
  options: {
    resolveIntegration?: (request: Request) => string | undefined;
    /** Larger bodies are refused with 413 before they are read whole; default 1 MiB. */
    maxBodyBytes?: number;
  } = {},
): (request: Request) => Promise<Response> {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const known = new Set(pipeline.context.integrationIds());
  const fromPath = (request: Request) => new URL(request.url).pathname.split('/').filter(Boolean).reverse().find((segment) => known.has(segment));
  return async (request) => {
    if (request.method !== 'POST') return json(405, { error: 'method not allowed' });
    const integrationId = options.resolveIntegration?.(request) ?? fromPath(request);
    if (!integrationId) return json(404, { error: 'unknown integration' });
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > maxBodyBytes) return json(413, { error: 'payload too large' });
    const rawBody = await readLimited(request, maxBodyBytes);
    if (!rawBody) return json(413, { error: 'payload too large' });
    try {
      const outcome = await pipeline.receiveWebhook(integrationId, { rawBody, headers: request.headers, url: request.url });
      pipeline.events.emit('webhook-received', { integrationId, accepted: true });
      // A delivery seen before is answered 200 like any other: its import ran again and changed nothing newer, and a
      // non-2xx makes Tray redeliver it for days and WooCommerce count it towards disabling the webhook.
      return json(200, { status: outcome.status, deliveryId: outcome.deliveryId, imported: outcome.ingest?.imported ?? 0, quarantined: outcome.ingest?.quarantined ?? 0 });
    } catch (error) {
      const code = ConectaError.isConectaError(error) ? error.code : 'UPSTREAM';
      const reason = ConectaError.isConectaError(error) && 'reason' in error ? String((error as { reason: unknown }).reason) : code;
      pipeline.events.emit('webhook-received', { integrationId, accepted: false, reason });
      // Messages and reasons stay out of the response: the caller may be anyone on the internet, and telling a bad
      // signature from a stale timestamp or a wrong token would guide their next attempt. The reason goes to the
      // 'webhook-received' event for the logs.
      if (code === 'WEBHOOK_REJECTED' || code === 'AUTH') return json(401, { error: 'rejected' });
      if (code === 'VALIDATION') return json(400, { error: 'invalid payload' });
      return json(503, { error: 'temporarily unavailable' });
    }
  };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** Reads the body up to `limit` bytes; null when it is larger (a missing or lying Content-Length included). */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
