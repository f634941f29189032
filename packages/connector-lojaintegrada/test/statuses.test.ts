import { resolveStatus } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import { LOJAINTEGRADA_SITUACOES, lojaIntegradaDefaultStatusDictionary } from '../src/index.js';
import { connectorFor, fakeWith } from './helpers.js';

const EXPECTED: Record<string, string> = {
  pedido_efetuado: 'ignored',
  aguardando_pagamento: 'ignored',
  pagamento_em_analise: 'ignored',
  pedido_pago: 'pending',
  em_producao: 'pending',
  pedido_em_separacao: 'pending',
  pedido_enviado: 'finalized',
  pronto_para_retirada: 'finalized',
  pedido_entregue: 'finalized',
  pagamento_em_disputa: 'ignored',
  pedido_chargeback: 'ignored',
  pagamento_devolvido: 'cancelled',
  pedido_cancelado: 'cancelled',
};

describe('lojaintegrada status dictionary', () => {
  it('maps all 13 situação codes by codigo', () => {
    const dictionary = lojaIntegradaDefaultStatusDictionary();
    expect(LOJAINTEGRADA_SITUACOES.map((situacao) => situacao.codigo).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [codigo, state] of Object.entries(EXPECTED)) expect(resolveStatus(dictionary, codigo).state, codigo).toBe(state);
  });

  it('never treats chargeback or dispute as a sale to fulfil, although LI flags both aprovado', () => {
    const dictionary = lojaIntegradaDefaultStatusDictionary();
    for (const codigo of ['pedido_chargeback', 'pagamento_em_disputa']) {
      expect(LOJAINTEGRADA_SITUACOES.find((situacao) => situacao.codigo === codigo)?.aprovado).toBe(true);
      expect(['pending', 'finalized']).not.toContain(resolveStatus(dictionary, codigo).state);
    }
  });

  it('keeps a cancellation request apart from a cancellation, and accepts overrides', () => {
    expect(resolveStatus(lojaIntegradaDefaultStatusDictionary(), 'cancelamento_solicitado').state).toBe('ignored');
    expect(resolveStatus(lojaIntegradaDefaultStatusDictionary(), 'pagamento_devolvido_sem_retorno').state).toBe('cancelled');
    const custom = lojaIntegradaDefaultStatusDictionary({ pedido_chargeback: 'cancelled' });
    expect(custom.entries['pedido_chargeback']).toEqual({ state: 'cancelled', label: 'Pagamento em chargeback' });
  });

  it('statuses() reads GET /v1/situacao and every code it returns is mapped', async () => {
    const fake = fakeWith();
    const connector = connectorFor(fake, { pageSize: 5 });
    const statuses = await connector.statuses();
    expect(statuses.map((status) => status.code).sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(statuses.find((status) => status.code === 'pedido_pago')?.label).toBe('Pedido Pago');
    // 13 situações at 5 a page: the listing followed meta over three pages.
    expect(fake.requests().filter((entry) => entry.url.startsWith('/v1/situacao'))).toHaveLength(3);
  });
});
