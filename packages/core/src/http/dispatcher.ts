import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';

/** What Node's own fetch accepts as `dispatcher` (its bundled undici's type is not exported). */
export type FetchDispatcher = object;

let shared: { agent: Dispatcher; dispatcher: FetchDispatcher } | undefined;

const KEEP_ALIVE = { keepAliveTimeout: 4_000 };

/** Plain-http requests are forwarded to the proxy as absolute URLs, as curl and undici 8 do; https ones tunnel. */
const PLAIN_HTTP_FORWARDED = { proxyTunnel: false };

/** The first of the upper- and lower-case forms that is set, as undici reads them. */
function fromEnv(name: string): string | undefined {
  return process.env[name.toLowerCase()] ?? process.env[name] ?? undefined;
}

/**
 * The process's one connection pool for the SDK's requests: keep-alive sockets reused across every client, and the
 * proxy the environment names (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, upper or lower case), read when the pool is
 * first used. undici 7 rather than 8: 8 needs Node.js >= 22.19 while the packages promise 22.12; 7's dispatchers
 * speak both handler contracts, so Node 22's, 24's and 26's own fetch all accept this pool.
 */
export function sharedDispatcher(): FetchDispatcher {
  if (!shared) {
    const httpProxy = fromEnv('HTTP_PROXY');
    const httpsProxy = fromEnv('HTTPS_PROXY');
    // Read once here rather than on every request (undici re-reads NO_PROXY per dispatch when not given it); without
    // any proxy a plain pool skips the per-request proxy decision altogether.
    const agent =
      httpProxy || httpsProxy
        ? new EnvHttpProxyAgent({ ...KEEP_ALIVE, ...PLAIN_HTTP_FORWARDED, ...(httpProxy ? { httpProxy } : {}), ...(httpsProxy ? { httpsProxy } : {}), noProxy: fromEnv('NO_PROXY') ?? '' })
        : new Agent(KEEP_ALIVE);
    shared = { agent, dispatcher: agent };
  }
  return shared.dispatcher;
}

/**
 * Closes the pool's sockets; the next request opens a new pool, reading the proxy variables again. For tests and for
 * a process that changes its proxy settings at run time.
 */
export async function resetSharedDispatcher(): Promise<void> {
  const previous = shared;
  shared = undefined;
  await previous?.agent.close();
}
