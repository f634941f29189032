import { Agent, Dispatcher1Wrapper, EnvHttpProxyAgent, type Dispatcher } from 'undici';

/** What Node's own fetch accepts as `dispatcher` (its bundled undici's type is not exported). */
export type FetchDispatcher = object;

let shared: { agent: Dispatcher; dispatcher: FetchDispatcher } | undefined;

const KEEP_ALIVE = { keepAliveTimeout: 4_000 };

/** The first of the upper- and lower-case forms that is set, as undici reads them. */
function fromEnv(name: string): string | undefined {
  return process.env[name.toLowerCase()] ?? process.env[name] ?? undefined;
}

/**
 * The process's one connection pool for the SDK's requests: keep-alive sockets reused across every client, and the
 * proxy the environment names (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, upper or lower case), read when the pool is
 * first used. Node's fetch speaks an older dispatcher contract than this undici, hence the wrapper.
 */
export function sharedDispatcher(): FetchDispatcher {
  if (!shared) {
    const httpProxy = fromEnv('HTTP_PROXY');
    const httpsProxy = fromEnv('HTTPS_PROXY');
    // Read once here rather than on every request (undici re-reads NO_PROXY per dispatch when not given it); without
    // any proxy a plain pool skips the per-request proxy decision altogether.
    const agent =
      httpProxy || httpsProxy
        ? new EnvHttpProxyAgent({ ...KEEP_ALIVE, ...(httpProxy ? { httpProxy } : {}), ...(httpsProxy ? { httpsProxy } : {}), noProxy: fromEnv('NO_PROXY') ?? '' })
        : new Agent(KEEP_ALIVE);
    shared = { agent, dispatcher: new Dispatcher1Wrapper(agent) };
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
