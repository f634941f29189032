import { describe, expect, it } from 'vitest';
import {
  CompanyGroupSchema,
  ConfigurationError,
  IntegrationSchema,
  createMemoryStore,
  createPipeline,
  mercosRuleViolations,
  type IntegrationInput,
} from '../src/index.js';
import { createMemoryConnector, createMemoryErp } from '../src/testing/index.js';

const MATRIZ = '11222333000181';
const FILIAL = '45723174000110';

const group = (id: string, cnpjs: string[]) =>
  CompanyGroupSchema.parse({ id, name: id, companies: cnpjs.map((cnpj, index) => ({ cnpj, name: `Empresa ${index + 1}`, priority: index + 1 })) });

function pipelineWith(groups: ReturnType<typeof group>[], entries: Array<Partial<IntegrationInput> & { id: string; groupId: string }>) {
  const integrations = entries.map((entry) => {
    const connector = createMemoryConnector({ platform: entry.platform ?? 'mercos' });
    const integration = IntegrationSchema.parse({ platform: 'mercos', name: entry.id, statusDictionary: connector.defaultStatusDictionary, ...entry });
    return { integration, connector };
  });
  return createPipeline({ store: createMemoryStore(), erp: createMemoryErp({ companies: [{ cnpj: MATRIZ }, { cnpj: FILIAL }] }), groups, integrations });
}

describe('the Mercos rule: Conecta carries Mercos only for a group of several CNPJs and one Mercos account', () => {
  it('accepts one Mercos integration on a group of two companies', () => {
    expect(() => pipelineWith([group('grupo', [MATRIZ, FILIAL])], [{ id: 'mercos', groupId: 'grupo' }])).not.toThrow();
  });

  it('refuses a Mercos integration on a one-company group, naming the integration and why', () => {
    const attempt = () => pipelineWith([group('loja', [MATRIZ])], [{ id: 'mercos-b2b', groupId: 'loja' }]);
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/Mercos integration "mercos-b2b".*one company.*created twice/);
  });

  it('accepts it on a one-company group when the caller says there is no direct integration', () => {
    expect(() => pipelineWith([group('loja', [MATRIZ])], [{ id: 'mercos', groupId: 'loja', noDirectIntegration: true }])).not.toThrow();
  });

  it('refuses two Mercos integrations in one group, even with several companies', () => {
    const attempt = () => pipelineWith([group('grupo', [MATRIZ, FILIAL])], [{ id: 'mercos-a', groupId: 'grupo' }, { id: 'mercos-b', groupId: 'grupo' }]);
    expect(attempt).toThrow(/group "grupo" has 2 Mercos integrations \(mercos-a, mercos-b\)/);
  });

  it('lets other platforms be on one-company groups and several per group', () => {
    expect(() =>
      pipelineWith([group('loja', [MATRIZ])], [
        { id: 'tray', groupId: 'loja', platform: 'tray' },
        { id: 'tray-2', groupId: 'loja', platform: 'tray' },
      ]),
    ).not.toThrow();
  });

  it('lists every violation for a report (the doctor), not only the first', () => {
    const groups = [group('grupo', [MATRIZ, FILIAL]), group('loja', [MATRIZ])];
    const violations = mercosRuleViolations(groups, [
      { id: 'a', platform: 'mercos', groupId: 'grupo' },
      { id: 'b', platform: 'mercos', groupId: 'grupo' },
      { id: 'c', platform: 'mercos', groupId: 'loja' },
      { id: 'd', platform: 'mercos', groupId: 'loja', noDirectIntegration: false },
      { id: 'e', platform: 'woocommerce', groupId: 'loja' },
    ]);
    expect(violations).toEqual([
      { kind: 'several-accounts', groupId: 'grupo', integrationIds: ['a', 'b'] },
      { kind: 'several-accounts', groupId: 'loja', integrationIds: ['c', 'd'] },
      { kind: 'single-company', groupId: 'loja', integrationId: 'c' },
      { kind: 'single-company', groupId: 'loja', integrationId: 'd' },
    ]);
  });
});
