import { ConflictError, StockShortfallError, UpstreamError, ValidationError, type Company } from '@conecta/core';
import { describe, expect, it } from 'vitest';
import { describeError, describeFailure, describeQuarantine, describeStockPush } from '../src/ui/messages.js';

const companies: Company[] = [
  { cnpj: '11222333000181', name: 'Matriz Curitiba', priority: 1, active: true },
  { cnpj: '19131243000197', name: 'CD Joinville', priority: 3, active: true },
] as Company[];

describe('messages people read', () => {
  it('a stock push says what it did, and a push that sent nothing says why', () => {
    expect(describeStockPush({ pushed: 3, unchanged: 2, failed: 0, notFound: [] })).toEqual({ kind: 'info', text: 'Estoque enviado: 3 produtos atualizados, 2 sem mudança.' });
    expect(describeStockPush({ pushed: 0, unchanged: 4, failed: 0, notFound: [] })).toEqual({ kind: 'info', text: 'Nada enviado: o estoque de 4 produtos não mudou desde o último envio.' });
    expect(describeStockPush({ pushed: 0, unchanged: 0, failed: 0, notFound: [] }).text).toBe('Nada enviado: esta loja ainda não vendeu nenhum produto, então não há estoque a enviar.');
    expect(describeStockPush({ pushed: 0, unchanged: 0, failed: 1, notFound: ['SKU-9'] })).toEqual({
      kind: 'error',
      text: 'Nada foi atualizado na loja. 1 produto não existe na loja: SKU-9. 1 produto falhou.',
    });
  });

  it('errors an operator can cause are Portuguese, with CNPJs formatted and lines counted from 1', () => {
    const shortfall = new StockShortfallError({ lineIndex: 0, sku: 'TRAY-SKU-5', companyCnpj: '19131243000197', availableMilli: 0, neededMilli: 2000 });
    expect(describeError(shortfall, companies)).toBe('Na linha 1, CD Joinville (19.131.243/0001-97) tem 0 de TRAY-SKU-5 livre, e a linha precisa de 2: faltam 2. Escolha outra empresa ou deixe no automático.');
    expect(describeError(new ValidationError([{ path: 'overrides.2.companyCnpj', message: 'x is not an active company' }]), companies)).toBe('Na linha 3, a empresa escolhida não é uma empresa ativa do grupo.');
    expect(describeError(new ConflictError('order 1 is cancelled'), companies)).toMatch(/^O pedido mudou enquanto a ação rodava/);
    expect(describeError(new UpstreamError('timeout', { code: 'TIMEOUT' }), companies)).toBe('O Mainô não respondeu a tempo. Nada foi duplicado; tente de novo em instantes.');
    expect(describeError(new Error('secret detail'), companies)).not.toContain('secret detail');
    const movement = { sku: 'A-1', companyCnpj: '11222333000181', quantityMilli: 3000 };
    expect(describeFailure({ code: 'NOT_FOUND', reason: 'product A-1 does not exist', retryable: false }, movement, companies)).toBe('O produto A-1 não está cadastrado no Mainô em Matriz Curitiba (11.222.333/0001-81).');
    expect(describeFailure({ code: 'SHORTFALL', reason: 'company 11222333000181 has 1.5 of A-1 free, the order needs 3', retryable: true }, movement, companies)).toBe(
      'Matriz Curitiba (11.222.333/0001-81) não tem 3 de A-1 livre no Mainô (tem 1,5 livre).',
    );
  });

  it('a quarantine reason names the field, items counted from 1, and the value received', () => {
    const raw = { ProductsSold: [{ ProductsSold: { price: 'R$ 19,90 (promo)' } }] };
    expect(describeQuarantine({ path: 'ProductsSold.0.price', message: '"R$ 19,90 (promo)" is not a decimal number', code: 'VALIDATION', raw })).toBe(
      'O campo price (ProductsSold, item 1) deveria ser um número (recebido: "R$ 19,90 (promo)").',
    );
    expect(describeQuarantine({ path: 'line_items.1.sku', message: 'SKU is empty: the product cannot be matched in Mainô', code: 'VALIDATION' })).toBe(
      'O campo sku (line_items, item 2) está vazio: o produto não pode ser encontrado no Mainô.',
    );
    expect(describeQuarantine({ path: '', message: 'webhook body is not JSON', code: 'VALIDATION' })).toBe('O pedido tem um valor que o conector não reconhece.');
  });
});
