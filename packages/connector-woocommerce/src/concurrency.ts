/**
 * Runs `task(0..count-1)` with at most `limit` in flight and yields results in index order. Stopping early aborts the
 * tasks still running, and their failures are not left unhandled.
 */
export async function* orderedConcurrent<T>(
  count: number,
  limit: number,
  task: (index: number, signal: AbortSignal) => Promise<T>,
  signal?: AbortSignal,
): AsyncGenerator<T> {
  const controller = new AbortController();
  const combined = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
  const started: Array<Promise<T>> = [];
  const start = (index: number) => {
    const promise = task(index, combined);
    promise.catch(() => undefined);
    started[index] = promise;
  };
  try {
    for (let index = 0; index < count; index += 1) {
      for (let ahead = started.length; ahead < Math.min(count, index + limit); ahead += 1) start(ahead);
      const result = await started[index]!;
      // Handed to the caller from here on: holding it would keep the whole listing in memory.
      delete started[index];
      yield result;
    }
  } finally {
    controller.abort();
  }
}
