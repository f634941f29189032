/** A counting semaphore: at most `size` holders at once, waiters served first come, first served. */
export interface Lane {
  /** Resolves with a release function once a slot is free. */
  acquire(signal?: AbortSignal): Promise<() => void>;
}

export function createLane(size: number): Lane {
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    active -= 1;
    const next = waiting.shift();
    if (next) next();
  };
  const once = () => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };
  return {
    acquire(signal) {
      signal?.throwIfAborted();
      if (active < size) {
        active += 1;
        return Promise.resolve(once());
      }
      return new Promise((resolve, reject) => {
        const grant = () => {
          signal?.removeEventListener('abort', abort);
          active += 1;
          resolve(once());
        };
        const abort = () => {
          const index = waiting.indexOf(grant);
          if (index >= 0) waiting.splice(index, 1);
          reject(signal!.reason);
        };
        waiting.push(grant);
        signal?.addEventListener('abort', abort, { once: true });
      });
    },
  };
}

const shared = new Map<string, Lane>();

/** One lane per credential key in this process. */
export function sharedLane(key: string, size: number): Lane {
  const fullKey = `${key}\u0000${size}`;
  let lane = shared.get(fullKey);
  if (!lane) {
    lane = createLane(size);
    shared.set(fullKey, lane);
  }
  return lane;
}
