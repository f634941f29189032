import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CD, FILIAL, MATRIZ, PLATFORM_IDS, createWorld, seedPaid, stopServer, type World } from '../support/world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});
afterAll(() => stopServer());

describe('e2e: stock push after orders took stock', () => {
  it('each store gets the companies\u2019 free Mainô stock less the buffer, in whole units', async () => {
    world = await createWorld({ companies: 3, mode: 'automatic', stockPush: { buffer: 1 } });
    const w = world;
    const seeded = seedPaid(w, 2, [3, 4, 10]);
    const pushers = PLATFORM_IDS.filter((id) => w.slots.find((slot) => slot.id === id)!.connector.capabilities.stockPush);
    const skus = new Map<string, Set<string>>();
    for (const id of pushers) {
      const set = new Set<string>();
      for (const externalId of seeded[id]) for (const line of w.fakes[id].expectedOrder(externalId).lines) set.add(line.sku);
      skus.set(id, set);
      // Products the store does not know yet (some fakes create them with the seeded orders).
      const missing = [...set].filter((sku) => w.fakes[id].stockOf(sku) === undefined);
      if (missing.length) w.fakes[id].seedProducts(missing);
    }
    await w.runner().drain();
    for (const id of pushers) {
      const summary = await w.pipeline.pushStock(id);
      expect(summary.failed, `${id} ${JSON.stringify(summary)}`).toBe(0);
      expect(summary.notFound, id).toEqual([]);
      for (const sku of skus.get(id)!) {
        const free = [MATRIZ, FILIAL, CD].reduce((sum, cnpj) => {
          const stock = w.maino.stockOf(cnpj, sku)!;
          return sum + Math.max(0, stock.qtdeMilli - stock.committedMilli);
        }, 0);
        const expected = Math.max(0, Math.floor(free / 1000) - 1) * 1000;
        expect(w.fakes[id].stockOf(sku), `${id} ${sku}`).toBe(expected);
      }
      // Nothing changed: nothing is sent again.
      expect((await w.pipeline.pushStock(id)).pushed).toBe(0);
    }
  });
});
