import { describe, expect, it } from 'vitest';
import { createBulkRuns, left } from '../src/bulk.js';
import type { ActionOutcome } from '../src/commands.js';

const ok = (summary = 'feito'): ActionOutcome => ({ ok: true, notice: { code: 'movements-existed' }, summary });
const failed = (summary: string): ActionOutcome => ({ ok: false, notice: { code: 'action-failed', message: summary }, summary });

describe('bulk runs', () => {
  it('runs the step on every order it applies to, counts done / failed / skipped / left, and lists each failure', async () => {
    const seen: string[] = [];
    let inFlight = 0;
    let most = 0;
    const runs = createBulkRuns({
      concurrency: 2,
      execute: async (_action, orderId) => {
        seen.push(orderId);
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 10));
        inFlight -= 1;
        if (orderId === 'tray:3') return failed('Sem estoque suficiente.');
        if (orderId === 'tray:4') throw new Error('boom');
        return ok();
      },
    });
    const targets = [1, 2, 3, 4, 5].map((n) => ({ orderId: `tray:${n}`, number: String(n), applies: n !== 5 }));
    const { run, started } = runs.start({ integrationId: 'tray', action: 'movimentacao', actor: 'ana@loja.com', targets });
    expect(started).toBe(true);
    expect([run.total, run.skipped, left(run)]).toEqual([5, 1, 4]);
    await runs.settled(run.id);
    expect(seen.sort()).toEqual(['tray:1', 'tray:2', 'tray:3', 'tray:4']);
    expect(most).toBe(2);
    expect({ done: run.done, failed: run.failed, skipped: run.skipped, left: left(run) }).toEqual({ done: 2, failed: 2, skipped: 1, left: 0 });
    expect(run.failures).toEqual([
      { orderId: 'tray:3', number: '3', message: 'Sem estoque suficiente.' },
      { orderId: 'tray:4', number: '4', message: 'Erro interno.' },
    ]);
    expect(run.finishedAt).toBeDefined();
    expect(runs.running('tray')).toBeUndefined();
  });

  it('a second start while a run goes on gets that run back; once it ends a new one may start', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const runs = createBulkRuns({
      execute: async () => {
        calls += 1;
        await gate;
        return ok();
      },
    });
    const targets = [{ orderId: 'tray:1', number: '1', applies: true }];
    const first = runs.start({ integrationId: 'tray', action: 'sincronizar', actor: 'ana', targets });
    const second = runs.start({ integrationId: 'tray', action: 'pedido-maino', actor: 'bia', targets });
    expect(second).toEqual({ run: first.run, started: false });
    // Another integration is independent.
    expect(runs.start({ integrationId: 'woocommerce', action: 'sincronizar', actor: 'ana', targets: [] }).started).toBe(true);
    release();
    await runs.settled(first.run.id);
    expect(calls).toBe(1);
    const third = runs.start({ integrationId: 'tray', action: 'sincronizar', actor: 'ana', targets });
    expect(third.started).toBe(true);
    expect(third.run.id).not.toBe(first.run.id);
    expect(runs.get(first.run.id)?.done).toBe(1);
  });
});
