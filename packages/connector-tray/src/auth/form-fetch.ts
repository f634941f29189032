/**
 * The core HTTP client only sends JSON bodies, while Tray's `POST /auth` takes form fields. This fetch wrapper
 * re-encodes a JSON body as application/x-www-form-urlencoded when the request carries `x-conecta-form: 1`, so the
 * exchange still goes through the one HTTP policy (bucket, retries, typed and redacted errors).
 */
export function formEncodingFetch(base?: typeof fetch): typeof fetch {
  return async (input, init) => {
    const send = base ?? globalThis.fetch;
    const request = new Request(input, init);
    if (request.headers.get('x-conecta-form') !== '1') return send(request);
    const fields = (await request.json()) as Record<string, unknown>;
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) body.set(key, String(value));
    const headers = new Headers(request.headers);
    headers.delete('x-conecta-form');
    headers.set('content-type', 'application/x-www-form-urlencoded');
    return send(new Request(request.url, { method: request.method, headers, body, signal: request.signal }));
  };
}
