import { randomBytes } from 'node:crypto';
import type { ActionOutcome, BulkAction } from './commands.js';

export interface BulkRun {
  id: string;
  integrationId: string;
  action: BulkAction;
  actor: string;
  total: number;
  done: number;
  failed: number;
  /** Selected orders the step did not apply to (already past it, cancelled, ...). */
  skipped: number;
  failures: Array<{ orderId: string; number: string; message: string }>;
  startedAt: string;
  finishedAt?: string;
}

export interface BulkTarget {
  orderId: string;
  number: string;
  applies: boolean;
}

/**
 * Runs one step over many orders in the background, a few at a time (each call is paced by the platform's and
 * Mainô's limits anyway), keeping counts a page can poll. One run per integration at a time: a second start while
 * one runs (a double click, a second tab) gets the running one back instead of starting again. Runs live in this
 * process; finished ones are kept for an hour so their summary can be read.
 */
export function createBulkRuns(options: { execute: (action: BulkAction, orderId: string, actor: string) => Promise<ActionOutcome>; concurrency?: number; keepMs?: number; onChange?: (run: BulkRun) => void }) {
  const concurrency = options.concurrency ?? 3;
  const keepMs = options.keepMs ?? 3_600_000;
  const runs = new Map<string, BulkRun>();
  const running = new Map<string, BulkRun>();
  const settled = new Map<string, Promise<void>>();

  const prune = () => {
    const cutoff = Date.now() - keepMs;
    for (const [id, run] of runs) if (run.finishedAt && Date.parse(run.finishedAt) < cutoff) runs.delete(id);
  };

  async function execute(run: BulkRun, targets: BulkTarget[]): Promise<void> {
    const queue = targets.filter((target) => target.applies);
    const worker = async () => {
      for (let target = queue.shift(); target; target = queue.shift()) {
        const outcome = await options.execute(run.action, target.orderId, run.actor).catch((error: unknown) => ({ ok: false, summary: error instanceof Error ? 'Erro interno.' : String(error) }));
        if (outcome.ok) run.done += 1;
        else {
          run.failed += 1;
          run.failures.push({ orderId: target.orderId, number: target.number, message: outcome.summary });
        }
        options.onChange?.(run);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, queue.length)) }, worker));
    run.finishedAt = new Date().toISOString();
    running.delete(run.integrationId);
    options.onChange?.(run);
  }

  return {
    start(input: { integrationId: string; action: BulkAction; actor: string; targets: BulkTarget[] }): { run: BulkRun; started: boolean } {
      prune();
      const current = running.get(input.integrationId);
      if (current) return { run: current, started: false };
      const run: BulkRun = {
        id: randomBytes(12).toString('base64url'),
        integrationId: input.integrationId,
        action: input.action,
        actor: input.actor,
        total: input.targets.length,
        done: 0,
        failed: 0,
        skipped: input.targets.filter((target) => !target.applies).length,
        failures: [],
        startedAt: new Date().toISOString(),
      };
      runs.set(run.id, run);
      running.set(run.integrationId, run);
      settled.set(run.id, execute(run, input.targets));
      return { run, started: true };
    },
    get(id: string): BulkRun | undefined {
      return runs.get(id);
    },
    running(integrationId: string): BulkRun | undefined {
      return running.get(integrationId);
    },
    /** Resolves when the run has finished (tests, and a clean shutdown). */
    async settled(id: string): Promise<void> {
      await settled.get(id);
    },
  };
}

export type BulkRuns = ReturnType<typeof createBulkRuns>;

export function left(run: BulkRun): number {
  return run.total - run.done - run.failed - run.skipped;
}
