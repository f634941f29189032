import { Dispatcher1Wrapper, EnvHttpProxyAgent } from 'undici';

/** What Node's own fetch accepts as `dispatcher` (its bundled undici's type is not exported). */
export type FetchDispatcher = object;

let shared: { agent: EnvHttpProxyAgent; dispatcher: FetchDispatcher } | undefined;

/**
 * The process's one connection pool for the SDK's requests: keep-alive sockets reused across every client, and the
 * proxy the environment names (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, upper or lower case), read when the pool is
 * first used. Node's fetch speaks an older dispatcher contract than this undici, hence the wrapper.
 */
export function sharedDispatcher(): FetchDispatcher {
  if (!shared) {
    const agent = new EnvHttpProxyAgent({ keepAliveTimeout: 4_000 });
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
