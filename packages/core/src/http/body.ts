/** Thrown by `readBodyBytes` when the answer passes the limit; the HTTP client turns it into a ResponseTooLargeError. */
export class BodyTooLarge extends Error {
  constructor(readonly limitBytes: number, readonly declaredBytes: number | undefined) {
    super(`the answer is larger than the limit of ${limitBytes} bytes`);
  }
}

/** Thrown by `readBodyBytes` when the body did not arrive in time. */
export class BodyTimeout extends Error {}

/**
 * Reads an answer's body as bytes, never holding more than `limitBytes` of it: a declared Content-Length over the limit
 * fails before reading, and otherwise the decoded bytes are counted as they arrive (a compressed answer can be far
 * larger than its Content-Length). A body that stalls past `timeoutMs` fails too.
 */
export async function readBodyBytes(response: Response, limitBytes: number, timeoutMs: number): Promise<Uint8Array> {
  const body = response.body;
  if (!body) return new Uint8Array(0);
  const declared = response.headers.get('content-length');
  const declaredBytes = declared === null ? undefined : Number(declared);
  const encoded = response.headers.has('content-encoding');
  if (declaredBytes !== undefined && declaredBytes > limitBytes && !encoded) {
    await body.cancel().catch(() => undefined);
    throw new BodyTooLarge(limitBytes, declaredBytes);
  }
  const reader = body.getReader();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    reader.cancel(new BodyTimeout(`the body did not arrive within ${timeoutMs} ms`)).catch(() => undefined);
  }, timeoutMs);
  try {
    const chunks: Uint8Array[] = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > limitBytes) {
        await reader.cancel().catch(() => undefined);
        throw new BodyTooLarge(limitBytes, declaredBytes);
      }
      chunks.push(value);
    }
    if (timedOut) throw new BodyTimeout(`the body did not arrive within ${timeoutMs} ms`);
    if (chunks.length === 1) return chunks[0]!;
    return Buffer.concat(chunks, received);
  } catch (error) {
    if (timedOut && !(error instanceof BodyTooLarge)) throw new BodyTimeout(`the body did not arrive within ${timeoutMs} ms`, { cause: error });
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
