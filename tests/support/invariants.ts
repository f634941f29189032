import { expect } from 'vitest';
import type { PlatformId, World } from './world.js';

/**
 * The end state every reliability run must reach, whatever faults it went through:
 * - every seeded order is stored exactly once;
 * - a live order is done: per line, its done movements add up to the line's quantity, and each supplying company has
 *   exactly one open Mainô order for it (by external reference), the other companies none;
 * - a cancelled order holds nothing: its movements are released or reversed and its Mainô orders cancelled;
 * - Mainô's committed stock per company and SKU is exactly what the done movements of live orders hold, and never
 *   above the stock on hand (no company below zero);
 * - Mainô has no order the store does not know of.
 */
export async function assertInvariants(world: World, seeded: Partial<Record<PlatformId, string[]>>): Promise<{ done: number; cancelled: number }> {
  const committedByMovements = new Map<string, number>();
  const knownReferences = new Set<string>();
  let done = 0;
  let cancelled = 0;
  for (const slot of world.slots) {
    const externalIds = seeded[slot.id] ?? [];
    const page = await world.pipeline.listOrders({ integrationId: slot.id, limit: 10_000 });
    const counts = new Map<string, number>();
    for (const item of page.items) counts.set(item.order.externalId, (counts.get(item.order.externalId) ?? 0) + 1);
    for (const externalId of externalIds) expect(counts.get(externalId), `${slot.id}:${externalId} stored once`).toBe(1);
    expect(page.total, `${slot.id}: no extra orders`).toBe(externalIds.length);

    for (const item of page.items) {
      const { order, movements } = await world.pipeline.getOrder(item.order.id);
      const label = order.id;
      for (const cnpj of world.cnpjs) knownReferences.add(world.reference(slot.id, order.externalId, cnpj));
      if (order.intakeState === 'cancelled') {
        cancelled += 1;
        for (const movement of movements) expect(['cancelled', 'reversed'], `${label} movement ${movement.id}`).toContain(movement.state);
        for (const cnpj of world.cnpjs) {
          const mainoOrders = world.maino.orders(cnpj).filter((o) => o.referencia_externa === world.reference(slot.id, order.externalId, cnpj));
          expect(mainoOrders.length, `${label} in ${cnpj}: at most one Mainô order`).toBeLessThanOrEqual(1);
          for (const mainoOrder of mainoOrders) expect(mainoOrder.status, `${label} Mainô order cancelled`).toBe('cancelado');
        }
        continue;
      }
      done += 1;
      expect(movements.length, `${label} has movements`).toBeGreaterThan(0);
      for (const movement of movements) expect(movement.state, `${label} movement ${movement.id} (${movement.failure?.reason ?? ''})`).toBe('done');
      order.lines.forEach((line, lineIndex) => {
        const sum = movements.filter((m) => m.lineIndex === lineIndex).reduce((total, m) => total + m.quantityMilli, 0);
        expect(sum, `${label} line ${lineIndex} (${line.sku})`).toBe(line.quantityMilli);
      });
      const suppliers = new Set(movements.map((m) => m.companyCnpj));
      for (const cnpj of world.cnpjs) {
        const reference = world.reference(slot.id, order.externalId, cnpj);
        expect(world.maino.countByReference(cnpj, reference), `${reference}`).toBe(suppliers.has(cnpj) ? 1 : 0);
      }
      for (const movement of movements) {
        const key = `${movement.companyCnpj}|${movement.sku}`;
        committedByMovements.set(key, (committedByMovements.get(key) ?? 0) + movement.quantityMilli);
        const mainoOrder = world.maino.orders(movement.companyCnpj).find((o) => o.referencia_externa === world.reference(slot.id, order.externalId, movement.companyCnpj));
        expect(mainoOrder?.status, `${label} Mainô order open`).toBe('em_aberto');
      }
    }
  }

  for (const cnpj of world.cnpjs) {
    for (const mainoOrder of world.maino.orders(cnpj)) expect(knownReferences.has(mainoOrder.referencia_externa ?? ''), `Mainô order ${mainoOrder.id} is known`).toBe(true);
    const skus = new Set(world.maino.orders(cnpj).flatMap((o) => o.itens.map((item) => item.codigo)));
    for (const key of committedByMovements.keys()) if (key.startsWith(`${cnpj}|`)) skus.add(key.slice(cnpj.length + 1));
    for (const sku of skus) {
      const stock = world.maino.stockOf(cnpj, sku);
      expect(stock, `${cnpj} ${sku} exists`).toBeDefined();
      expect(stock!.qtdeMilli - stock!.committedMilli, `${cnpj} ${sku} not below zero`).toBeGreaterThanOrEqual(0);
      expect(stock!.committedMilli, `${cnpj} ${sku} committed = done movements`).toBe(committedByMovements.get(`${cnpj}|${sku}`) ?? 0);
    }
  }
  return { done, cancelled };
}

/** Runs the runner until nothing is left to do (or `rounds` passes), swallowing the poll errors a fault may cause. */
export async function settle(world: World, seeded: Partial<Record<PlatformId, string[]>>, options: { rounds?: number; leaseMs?: number; pauseMs?: number } = {}): Promise<number> {
  const rounds = options.rounds ?? 25;
  for (let round = 0; round < rounds; round += 1) {
    try {
      await world.runner({ leaseMs: options.leaseMs ?? 150 }).drain();
    } catch {
      // A poll that gave up after its retries: the next round polls again from the saved cursor.
    }
    if (await quiet(world, seeded)) return round + 1;
    await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 160));
  }
  return rounds;
}

async function quiet(world: World, seeded: Partial<Record<PlatformId, string[]>>): Promise<boolean> {
  for (const slot of world.slots) {
    const page = await world.pipeline.listOrders({ integrationId: slot.id, limit: 10_000 });
    if (page.total < (seeded[slot.id]?.length ?? 0)) return false;
    for (const item of page.items) {
      if (item.order.intakeState === 'cancelled') {
        if ((item.movementStates.created ?? 0) + (item.movementStates.synced ?? 0) + (item.movementStates.failed ?? 0) + (item.movementStates.done ?? 0) > 0) return false;
      } else if (item.movementCount === 0 || (item.movementStates.done ?? 0) !== item.movementCount) {
        return false;
      }
    }
  }
  return true;
}
