import { describe, expect, it } from 'vitest';
import { CompanyGroupSchema, IntegrationSchema, createMemoryStore, createPipeline, createRunner } from '../src/index.js';
import { createMemoryConnector, createMemoryErp, platformOrder } from '../src/testing/index.js';

const BIG = '11222333000181';
const SMALL = '45723174000110';

describe('the runner shares work between company groups', () => {
  it('serves a group with one shop as often as a group with two, one order at a time', async () => {
    const store = createMemoryStore();
    const erp = createMemoryErp({ companies: [{ cnpj: BIG }, { cnpj: SMALL }] });
    erp.setStock(BIG, 'A', 1_000_000);
    erp.setStock(SMALL, 'A', 1_000_000);
    const groups = [
      CompanyGroupSchema.parse({ id: 'grande', name: 'Grupo Grande', companies: [{ cnpj: BIG, name: 'Grande', priority: 1 }] }),
      CompanyGroupSchema.parse({ id: 'pequeno', name: 'Grupo Pequeno', companies: [{ cnpj: SMALL, name: 'Pequeno', priority: 1 }] }),
    ];
    const shops = [
      ['grande-tray', 'grande', 8, 0],
      ['grande-woo', 'grande', 8, 1],
      ['pequeno-loja', 'pequeno', 4, 30],
    ] as const;
    const integrations = shops.map(([id, groupId, count, minute]) => {
      const connector = createMemoryConnector({ platform: 'memory', pageSize: 50 });
      for (let index = 0; index < count; index += 1) {
        const at = new Date(Date.parse('2026-03-01T10:00:00.000Z') + minute * 60_000 + index * 1000).toISOString();
        connector.put(platformOrder(`${id}-${index}`, { createdAt: at, updatedAt: at, lines: [{ sku: 'A', name: 'Caneca', quantityMilli: 1000, unitPriceCents: 1000 }] }));
      }
      return { integration: IntegrationSchema.parse({ id, platform: 'memory', name: id, groupId, mode: 'automatic', statusDictionary: connector.defaultStatusDictionary }), connector };
    });
    const pipeline = createPipeline({ store, erp, groups, integrations });
    const served: string[] = [];
    pipeline.events.on('order-processed', (event) => served.push(event.integrationId));
    // One order at a time: each claim is a new turn, so only the store's memory of turns keeps the rotation.
    await createRunner(pipeline, { concurrency: 1 }).drain();
    expect(served).toHaveLength(20);
    // The small group's four orders alternate with the big group's, whose two shops take turns between them.
    expect(served.slice(0, 8)).toEqual(['grande-tray', 'pequeno-loja', 'grande-woo', 'pequeno-loja', 'grande-tray', 'pequeno-loja', 'grande-woo', 'pequeno-loja']);
  });
});
