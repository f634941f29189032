import { setTimeout as sleep } from 'node:timers/promises';

interface Lane {
  tail: Promise<void>;
}

const lanes = new Map<string, Lane>();

async function sleepUntil(until: number): Promise<void> {
  // Timers may fire a millisecond early against Date.now(); Mercos counts a call 1 ms early as a violation.
  for (let left = until - Date.now(); left > 0; left = until - Date.now()) await sleep(left);
}

function waitFor(previous: Promise<void>, signal: AbortSignal | null | undefined): Promise<void> {
  if (!signal) return previous;
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void previous.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/**
 * One request in flight per CompanyToken, and a 429 holds the lane for the wait it names. The token bucket alone
 * cannot do this: a request that passed the bucket before the 429 arrived would reach Mercos during the wait, and
 * Mercos may block for good a client that calls during it.
 */
export function serialFetch(key: string, base: () => typeof fetch, readWaitMs: (body: unknown) => number | undefined): typeof fetch {
  return async (input, init) => {
    let lane = lanes.get(key);
    if (!lane) {
      lane = { tail: Promise.resolve() };
      lanes.set(key, lane);
    }
    const previous = lane.tail;
    let release!: () => void;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    lane.tail = previous.then(() => mine);
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    try {
      await waitFor(previous, signal);
    } catch (error) {
      release();
      throw error;
    }

    let holdUntil = 0;
    try {
      const response = await base()(input, init);
      if (response.status === 429) {
        const body: unknown = await response
          .clone()
          .json()
          .catch(() => undefined);
        const waitMs = readWaitMs(body);
        if (waitMs !== undefined) holdUntil = Date.now() + waitMs;
      }
      return response;
    } finally {
      if (holdUntil > Date.now()) void sleepUntil(holdUntil).then(release);
      else release();
    }
  };
}
