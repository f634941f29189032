import pLimit, { type LimitFunction } from 'p-limit';

/** At most `size` tasks of one credential at once (p-limit), first come, first served. */
export interface Lane {
  /** Runs `task` when a slot is free; a caller that aborts while queued stops waiting at once. */
  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export function createLane(size: number): Lane {
  return laneOf(pLimit(size));
}

function laneOf(limit: LimitFunction): Lane {
  return {
    run(task, signal) {
      if (!signal) return limit(task);
      signal.throwIfAborted();
      return new Promise((resolve, reject) => {
        let abandoned = false;
        const onAbort = () => {
          abandoned = true;
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        // A task given up while queued still takes its turn, but returns at once without doing anything.
        limit(async () => {
          if (abandoned) return undefined as never;
          signal.removeEventListener('abort', onAbort);
          return task();
        }).then(resolve, reject);
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
