import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { TrayFake } from '@conecta/connector-tray/fake';
import { CD, FILIAL, MATRIZ, NAMES, createWorld, stopServer, type World } from '../support/world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});
afterAll(() => stopServer());

describe('e2e: several companies, on command', () => {
  it('splits a line over two companies by priority, then sync and one Mainô order per company', async () => {
    world = await createWorld({ companies: 3, mode: 'on-command', platforms: ['tray', 'woocommerce'] });
    const tray = world.fakes.tray as TrayFake;
    // TEN-42: the Matriz (priority 1) has 2, the Filial 10, the CD 50: a line of 5 needs the Matriz and the Filial.
    // MEIA: only the CD has it.
    world.setStock('TEN-42', [2, 10, 50]);
    world.setStock('MEIA', [0, 0, 20]);
    const externalId = tray.addOrder(
      [
        { reference: 'TEN-42', quantity: '5', price: '299.90' },
        { reference: 'MEIA', quantity: '3', price: '19.90' },
      ],
      { status: 'A ENVIAR' },
    );
    const orderId = world.orderId('tray', externalId);

    await world.pipeline.poll('tray');
    // On command: the runner leaves it alone.
    await world.runner().drain();
    expect((await world.pipeline.getOrder(orderId)).movements).toHaveLength(0);
    expect((await world.pipeline.process(orderId)).outcome).toBe('skipped');
    expect(world.maino.orders(MATRIZ)).toHaveLength(0);

    const preview = await world.pipeline.previewAllocation(orderId);
    expect(preview.complete).toBe(true);

    const created = await world.pipeline.createMovements(orderId, { actor: 'ana@grupo' });
    expect(created.created).toBe(true);
    expect(created.movements.map((m) => [m.lineIndex, m.sku, m.companyCnpj, m.quantityMilli]).sort()).toEqual(
      [
        [0, 'TEN-42', MATRIZ, 2000],
        [0, 'TEN-42', FILIAL, 3000],
        [1, 'MEIA', CD, 3000],
      ].sort(),
    );
    // Asking again does not allocate twice.
    expect((await world.pipeline.createMovements(orderId, { actor: 'ana@grupo' })).created).toBe(false);

    const synced = await world.pipeline.sync(orderId, { actor: 'ana@grupo' });
    expect(synced.failed).toEqual([]);
    expect(synced.synced).toHaveLength(3);

    const result = await world.pipeline.createErpOrder(orderId, { actor: 'ana@grupo' });
    expect(result.pending).toEqual([]);
    expect(result.created.map((entry) => entry.companyCnpj).sort()).toEqual([MATRIZ, FILIAL, CD].sort());
    for (const cnpj of [MATRIZ, FILIAL, CD]) {
      expect(world.maino.countByReference(cnpj, world.reference('tray', externalId, cnpj))).toBe(1);
      const [mainoOrder] = world.maino.orders(cnpj);
      expect(mainoOrder!.tags).toContain(NAMES.tray);
    }
    expect(world.maino.orders(MATRIZ)[0]!.itens.map((item) => [item.codigo, item.qtdeMilli])).toEqual([['TEN-42', 2000]]);
    expect(world.maino.orders(FILIAL)[0]!.itens.map((item) => [item.codigo, item.qtdeMilli])).toEqual([['TEN-42', 3000]]);
    expect(world.maino.orders(CD)[0]!.itens.map((item) => [item.codigo, item.qtdeMilli])).toEqual([['MEIA', 3000]]);
    expect(world.maino.stockOf(MATRIZ, 'TEN-42')).toMatchObject({ qtdeMilli: 2000, committedMilli: 2000 });
    expect(world.maino.stockOf(FILIAL, 'TEN-42')).toMatchObject({ committedMilli: 3000 });
    expect(world.maino.stockOf(CD, 'MEIA')).toMatchObject({ committedMilli: 3000 });

    const detail = await world.pipeline.getOrder(orderId);
    expect(detail.movements.every((m) => m.state === 'done' && m.audit.at(-1)!.actor === 'ana@grupo')).toBe(true);
    // Repeating the create is a no-op.
    await world.pipeline.createErpOrder(orderId, { actor: 'ana@grupo' });
    for (const cnpj of [MATRIZ, FILIAL, CD]) expect(world.maino.orders(cnpj)).toHaveLength(1);
  });

  it('a second order sees the stock the first one holds, even before its Mainô order exists', async () => {
    world = await createWorld({ companies: 3, mode: 'on-command', platforms: ['tray'] });
    const tray = world.fakes.tray as TrayFake;
    world.setStock('BONE', [3, 3, 0]);
    const first = tray.addOrder([{ reference: 'BONE', quantity: '4', price: '50.00' }]);
    const second = tray.addOrder([{ reference: 'BONE', quantity: '2', price: '50.00' }]);
    await world.pipeline.poll('tray');
    const a = await world.pipeline.createMovements(world.orderId('tray', first), { actor: 'ana' });
    const b = await world.pipeline.createMovements(world.orderId('tray', second), { actor: 'ana' });
    expect(a.movements.map((m) => [m.companyCnpj, m.quantityMilli])).toEqual([
      [MATRIZ, 3000],
      [FILIAL, 1000],
    ]);
    expect(b.movements.map((m) => [m.companyCnpj, m.quantityMilli])).toEqual([[FILIAL, 2000]]);
    for (const externalId of [first, second]) {
      const orderId = world.orderId('tray', externalId);
      expect((await world.pipeline.sync(orderId, { actor: 'ana' })).failed).toEqual([]);
      expect((await world.pipeline.createErpOrder(orderId, { actor: 'ana' })).pending).toEqual([]);
    }
    expect(world.maino.stockOf(MATRIZ, 'BONE')).toMatchObject({ qtdeMilli: 3000, committedMilli: 3000 });
    expect(world.maino.stockOf(FILIAL, 'BONE')).toMatchObject({ qtdeMilli: 3000, committedMilli: 3000 });
  });
});
