import { keyPaths, readPublishedPayload } from '@conecta/core/testing';
import { describe, expect, it } from 'vitest';
import { CREDENTIALS, FIXTURES, fakeWith } from './helpers.js';

const AUTH = { authorization: `chave_api ${CREDENTIALS.chaveApi} aplicacao ${CREDENTIALS.chaveAplicacao}` };

/** The fake answers with the shapes LI publishes, so the contract suite and e2e run on them, not on invented ones. */
describe('lojaintegrada fake shapes follow the published payloads', () => {
  it('a detail has exactly the keys of the documentation example', async () => {
    const fake = fakeWith();
    const [numero] = fake.seedOrders(1);
    const detail = await (await fake.handle(new Request(`${fake.baseUrl}/v1/pedido/${numero}`, { headers: AUTH }))).json();
    expect(keyPaths(detail).sort()).toEqual(keyPaths(readPublishedPayload(FIXTURES, 'pedido-165-openapi.json')).sort());
  });

  it('a search summary has exactly the keys of the documentation search example', async () => {
    const fake = fakeWith();
    fake.seedOrders(1);
    const body = (await (await fake.handle(new Request(`${fake.baseUrl}/v1/pedido/search/`, { headers: AUTH }))).json()) as { objects: unknown[] };
    const published = ['cliente', 'data_criacao', 'data_expiracao', 'data_modificacao', 'id_anymarket', 'id_externo', 'numero', 'peso_real', 'resource_uri', 'situacao', 'utm_campaign', 'valor_desconto', 'valor_envio', 'valor_subtotal', 'valor_total'];
    const situacao = keyPaths({ situacao: readPublishedPayload(FIXTURES, 'pedido-165-openapi.json')['situacao'] });
    expect(keyPaths(body.objects[0]).sort()).toEqual([...published, ...situacao.filter((path) => path !== 'situacao')].sort());
  });

  it('seeds what real stores have: numeric SKUs as JSON numbers, CPF and (alphanumeric) CNPJ customers', async () => {
    const fake = fakeWith();
    const numeros = fake.seedOrders(16);
    const details = await Promise.all(numeros.map(async (numero) => (await fake.handle(new Request(`${fake.baseUrl}/v1/pedido/${numero}`, { headers: AUTH }))).json() as Promise<{ itens: Array<{ sku: unknown }>; cliente: { cpf: string | null; cnpj: string | null } }>));
    const skus = details.flatMap((detail) => detail.itens.map((item) => item.sku));
    expect(skus.some((sku) => typeof sku === 'number')).toBe(true);
    expect(skus.some((sku) => typeof sku === 'string')).toBe(true);
    expect(details.some((detail) => detail.cliente.cpf !== null)).toBe(true);
    expect(details.some((detail) => /^\d{2}\.\d{3}\.\d{3}\/\d{4}-\d{2}$/.test(detail.cliente.cnpj ?? ''))).toBe(true);
    expect(details.some((detail) => /[A-Z]/.test(detail.cliente.cnpj ?? ''))).toBe(true);
  });
});
