// Shared by check.mjs and check.cjs (loaded with `import` from the first and `require()` from the second, which Node
// allows for an ES module from 22.12 on). `core` and `http` are the two entry points as the calling file loaded them;
// `other` is @conecta/core as the other module system loads it. Throws on the first broken promise.
import { createServer } from 'node:http';
import { inspect } from 'node:util';

const assert = (condition, message) => {
  if (!condition) throw new Error(message);
};

/** One instance of each error class, whichever way @conecta/core is loaded. */
export function checkSameClasses(core, other, label) {
  for (const name of ['ConectaError', 'UpstreamError', 'NotFoundError', 'AuthError', 'ValidationError', 'RateLimitError']) {
    assert(typeof core[name] === 'function', `${label}: @conecta/core exports no ${name}`);
    assert(core[name] === other[name], `${label}: ${name} from import and from require() are two different classes`);
  }
  assert(core.registerSecret === other.registerSecret, `${label}: registerSecret from import and from require() differ`);
}

/**
 * A secret registered through @conecta/core only (never handed to the HTTP client) must be redacted from an error
 * that @conecta/core/http builds, and that error must be an instance of @conecta/core's classes. With a second copy
 * of the secret registry or the error classes (the dual-package hazard), one of these fails.
 */
export async function checkHttpError(core, http, label) {
  const secret = `sk_live_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  core.registerSecret(secret);
  const server = createServer((request, response) => {
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ message: `no order at ${request.url} for key ${secret}` }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  let caught;
  try {
    const client = http.createHttpClient({
      platform: 'consumer-check',
      baseUrl: `http://127.0.0.1:${port}/api`,
      rateLimit: { requests: 100, intervalMs: 1000, source: 'consumer check' },
    });
    await client.get(`orders/${secret}`, { q: secret });
  } catch (error) {
    caught = error;
  } finally {
    server.close();
  }
  assert(caught, `${label}: a 404 did not throw`);
  const views = {
    message: String(caught.message),
    stack: String(caught.stack),
    json: JSON.stringify(caught),
    inspect: inspect(caught, { depth: 6 }),
  };
  for (const [view, text] of Object.entries(views)) {
    assert(!text.includes(secret), `${label}: the secret registered through @conecta/core shows in the HTTP error's ${view}: ${text.slice(0, 400)}`);
  }
  // The server echoed the secret, so a redacted error says so somewhere: this cannot pass by leaving everything out.
  assert(Object.values(views).some((text) => text.includes(core.REDACTED)), `${label}: the HTTP error never shows ${core.REDACTED}`);
  assert(caught instanceof core.ConectaError, `${label}: the HTTP error is not an instance of @conecta/core's ConectaError`);
  const own = core[caught.constructor.name];
  assert(own === caught.constructor, `${label}: the HTTP error's class ${caught.constructor.name} is not the one @conecta/core exports`);
  return `${caught.constructor.name}, redacted`;
}
