import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/index.js';
import { rowOf, run, startWorld, type Row, type World } from './helpers.js';

interface Report {
  summary: Record<string, number>;
  rows: Row[];
}

const MATRIZ = '11222333000181';

describe('conecta --demo doctor', () => {
  it('checks every company in Mainô and every integration, read-only, with a table and a redacted JSON report', async () => {
    const table = await run(['--demo', 'doctor']);
    expect(table.stdout).toContain('Mainô 11.222.333/0001-81 Matriz Curitiba');
    expect(table.stdout).toMatch(/filtro por referência externa \(referencia_externa=\)\s+ok/);
    expect(table.stdout).toContain('Nada foi gravado em nenhuma plataforma nem no Mainô.');

    const json = await run(['--demo', 'doctor', '--json']);
    const report = json.json<Report>();
    for (const check of ['maino.auth', 'maino.products.fields', 'maino.products.sku-filter', 'maino.pagination', 'maino.orders.id', 'maino.orders.reference-field', 'maino.orders.status', 'maino.orders.reference-filter']) {
      expect(rowOf(report.rows, `maino:${MATRIZ}`, check).status, check).toBe('ok');
    }
    // The demo's Mainô answers orders as real accounts were seen to: items carry `quantidade` and no price, not the
    // `qtde` and `valor_unitario` the client sends. The doctor names it, and says the client still reads it.
    expect(rowOf(report.rows, `maino:${MATRIZ}`, 'maino.orders.items')).toMatchObject({
      status: 'differs',
      expected: 'codigo, qtde, valor_unitario',
      came: expect.stringMatching(/^sem qtde, valor_unitario; veio .*quantidade="/),
      note: expect.stringContaining('o cliente lê a quantidade em quantidade'),
    });
    expect(rowOf(report.rows, `maino:${MATRIZ}`, 'maino.rate-limit-headers').status).toBe('unknown');
    for (const id of ['tray', 'woocommerce', 'lojaintegrada', 'mercos', 'recompra']) {
      expect(rowOf(report.rows, `integration:${id}`, 'integration.credentials').status, id).toBe('ok');
      expect(rowOf(report.rows, `integration:${id}`, 'integration.listing').status, id).toBe('ok');
      expect(rowOf(report.rows, `integration:${id}`, 'integration.clock').status, id).toBe('ok');
    }
    // The demo seeds orders in statuses the default dictionaries do not map: the doctor counts them.
    expect(rowOf(report.rows, 'integration:tray', 'integration.unmapped-statuses')).toMatchObject({ status: 'differs', came: expect.stringContaining('"EM SEPARAÇÃO" ×') });
    expect(rowOf(report.rows, 'integration:woocommerce', 'integration.webhook')).toMatchObject({ status: 'ok', came: expect.stringContaining('/webhooks/woocommerce') });
    expect(rowOf(report.rows, 'integration:mercos', 'integration.webhook').status).toBe('unknown');
    expect(rowOf(report.rows, 'config', 'config.mercos-rule').status).toBe('ok');
    expect(json.code).toBe(EXIT.findings);
    // The demo's secrets are registered: none of them may reach the report.
    expect(json.stdout).not.toMatch(/demo-maino-key|demo-tray-access|ck_demo0|cs_demo0|demo-mercos-company/);
  }, 90_000);

  it('on an account exactly as assumed, every Mainô row is ok', async () => {
    const result = await run(['--demo', 'doctor', '--json'], { run: { demo: { maino: { orderShape: 'legacy' } } } });
    const rows = result.json<Report>().rows.filter((row) => row.scope === `maino:${MATRIZ}` && row.check !== 'maino.rate-limit-headers');
    expect(rows.filter((row) => row.status !== 'ok')).toEqual([]);
    expect(rows).toHaveLength(9);
  }, 90_000);

  it.each([
    {
      name: 'ignores the external-reference filter',
      demo: { maino: { orderShape: 'legacy' as const, honourReferenceFilter: false } },
      check: 'maino.orders.reference-filter',
      said: { came: /filtro ignorado/, note: /não é possível garantir que cada pedido seja criado no Mainô no máximo uma vez/ },
    },
    {
      name: 'returns order items with quantidade',
      demo: { maino: { orderShape: 'real' as const } },
      check: 'maino.orders.items',
      said: { expected: /qtde/, came: /^sem qtde, valor_unitario; veio codigo="[^"]+", quantidade="\d/ },
    },
    {
      name: 'omits qtde_armazenada',
      demo: { maino: { orderShape: 'legacy' as const }, mainoFaults: [{ kind: 'omit-fields' as const, listKey: 'produtos' as const, fields: ['qtde_armazenada'], times: 10_000 }] },
      check: 'maino.products.fields',
      said: { expected: /qtde_armazenada/, came: /^sem qtde_armazenada/, note: /não desconta as unidades armazenadas/ },
    },
    { name: 'ignores the SKU filter', demo: { maino: { orderShape: 'legacy' as const, honourSkuFilter: false } }, check: 'maino.products.sku-filter', said: { came: /filtro ignorado/, note: /custo: cada consulta de estoque/ } },
    {
      name: 'leaves the reference out of its orders',
      demo: { maino: { orderShape: 'legacy' as const }, mainoFaults: [{ kind: 'omit-fields' as const, listKey: 'pedidos' as const, fields: ['referencia_externa'], times: 10_000 }] },
      check: 'maino.orders.reference-field',
      said: { expected: /referencia_externa/, note: /a busca por referência não encontra nada/ },
    },
  ])('names the difference when Mainô $name', async ({ demo, check, said }) => {
    const result = await run(['--demo', 'doctor', '--json'], { run: { demo } });
    const report = result.json<Report>();
    const row = rowOf(report.rows, `maino:${MATRIZ}`, check);
    expect(row.status).toBe('differs');
    for (const [field, pattern] of Object.entries(said)) expect(row[field as keyof Row], field).toMatch(pattern);
    // Only that row differs in Mainô: the other assumptions still hold on that account.
    const mainoDiffers = report.rows.filter((candidate) => candidate.scope === `maino:${MATRIZ}` && candidate.status !== 'ok' && candidate.check !== 'maino.rate-limit-headers');
    expect(mainoDiffers.map((candidate) => candidate.check)).toEqual([check]);
    expect(result.code).toBe(EXIT.findings);
  }, 90_000);

  it('speaks English with --lang en', async () => {
    const result = await run(['--demo', 'doctor', '--lang', 'en'], { run: { demo: { maino: { orderShape: 'legacy', honourReferenceFilter: false } } } });
    expect(result.stdout).toContain('creating each order in Mainô at most once cannot be guaranteed');
    expect(result.stdout).toContain('Nothing was written on any platform or in Mainô.');
    expect(result.stdout).not.toContain('Nada foi gravado');
  }, 90_000);
});

describe('conecta doctor on a config file', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  it('sends only reads: every request Mainô and the five stores receive is a GET', async () => {
    world.demo.maino.reset();
    const before = world.demo.platforms.map((platform) => platform.fake.requests().length);
    const result = await run(['doctor', '--config', world.configPath, '--json'], { env: world.env });
    expect(result.json<Report>().rows.length).toBeGreaterThan(40);
    const mainoRequests = world.demo.maino.requests();
    // Per company: the key, the fields, the SKU filter twice, the orders, the reference filter (and page 2 at most).
    expect(mainoRequests.length).toBeGreaterThanOrEqual(4 * 6);
    expect(mainoRequests.length).toBeLessThanOrEqual(4 * 8);
    expect(mainoRequests.filter((request) => request.method !== 'GET')).toEqual([]);
    world.demo.platforms.forEach((platform, index) => {
      const requests = platform.fake.requests().slice(before[index]);
      expect(requests.length, platform.integrationId).toBeGreaterThan(0);
      expect(requests.filter((request) => request.method !== 'GET'), platform.integrationId).toEqual([]);
    });
  }, 90_000);

  it('reports a Mercos integration on a one-company group and two Mercos integrations in one group, in Portuguese', async () => {
    const path = world.writeConfig((config) => {
      const integrations = config['integrations'] as Array<Record<string, unknown>>;
      const mercos = integrations.find((entry) => entry['id'] === 'mercos')!;
      integrations.push({ ...structuredClone(mercos), id: 'mercos-2' });
      integrations.push({ ...structuredClone(mercos), id: 'mercos-vizinha', groupId: 'loja-vizinha' });
    }, 'mercos.json');
    const doctor = await run(['doctor', '--config', path, '--json'], { env: world.env });
    const rules = doctor.json<Report>().rows.filter((row) => row.check === 'config.mercos-rule');
    expect(rules.map((row) => row.status)).toEqual(['differs', 'differs']);
    expect(rules[0]!.came).toMatch(/o grupo "grupo-demo" tem 2 integrações Mercos \(mercos, mercos-2\)/);
    expect(rules[1]!.came).toMatch(/a integração Mercos "mercos-vizinha" está no grupo "loja-vizinha", que tem um só CNPJ.*criado duas vezes/);
    expect(doctor.code).toBe(EXIT.findings);
    // Every other command refuses that config, with the same message.
    const backfill = await run(['backfill', '--config', path, '--integration', 'tray', '--since', '2026-01-01'], { env: world.env });
    expect(backfill.code).toBe(EXIT.config);
    expect(backfill.stderr).toMatch(/configuração: config: o grupo "grupo-demo" tem 2 integrações Mercos/);
  }, 90_000);

  it('a Mercos integration on a one-company group passes when the config says there is no direct integration', async () => {
    const path = world.writeConfig((config) => {
      const integrations = config['integrations'] as Array<Record<string, unknown>>;
      const mercos = integrations.find((entry) => entry['id'] === 'mercos')!;
      Object.assign(mercos, { groupId: 'loja-vizinha', noDirectIntegration: true });
    }, 'mercos-direct.json');
    const doctor = await run(['doctor', '--config', path, '--json'], { env: world.env });
    expect(rowOf(doctor.json<Report>().rows, 'config', 'config.mercos-rule').status).toBe('ok');
  }, 90_000);

  it('names a refused Mainô key and a missing webhook, and never prints the key', async () => {
    const env = { ...world.env, [`MAINO_KEY_${MATRIZ}`]: 'chave-errada-0123456789' };
    const path = world.writeConfig((config) => {
      const woo = (config['integrations'] as Array<Record<string, unknown>>).find((entry) => entry['id'] === 'woocommerce')!;
      woo['id'] = 'loja-woo';
    }, 'wrong.json');
    const result = await run(['doctor', '--config', path, '--json'], { env });
    const report = result.json<Report>();
    expect(rowOf(report.rows, `maino:${MATRIZ}`, 'maino.auth')).toMatchObject({ status: 'error', came: expect.stringMatching(/recusada \(HTTP 401\)/) });
    // The other companies' keys are fine.
    expect(rowOf(report.rows, 'maino:45723174000110', 'maino.auth').status).toBe('ok');
    expect(rowOf(report.rows, 'integration:loja-woo', 'integration.webhook')).toMatchObject({ status: 'differs', came: expect.stringContaining('nenhum de pedidos para esta integração') });
    expect(result.stdout).not.toContain('chave-errada-0123456789');
    expect(result.code).toBe(EXIT.findings);
  }, 90_000);

  it('with MAINO_EMAIL and MAINO_PASSWORD, checks the application_uid login and which companies it reaches', async () => {
    const main = await run(['doctor', '--config', world.configPath, '--json'], { env: { ...world.env, MAINO_EMAIL: 'demo@conecta.dev', MAINO_PASSWORD: 'conecta-demo-123' } });
    // The demo user reaches the three companies of Grupo Demo, not Loja Vizinha's.
    expect(rowOf(main.json<Report>().rows, 'config', 'maino.login')).toMatchObject({
      status: 'differs',
      came: expect.stringMatching(/^alcança 11\.222\.333\/0001-81 Matriz Curitiba, 45\.723\.174\/0001-10 Filial São Paulo, 12\.ABC\.345\/01DE-35 CD Joinville; faltam 06\.990\.590\/0001-23$/),
    });
    const wrong = await run(['doctor', '--config', world.configPath, '--json'], { env: { ...world.env, MAINO_EMAIL: 'demo@conecta.dev', MAINO_PASSWORD: 'senha-errada-123' } });
    expect(rowOf(wrong.json<Report>().rows, 'config', 'maino.login')).toMatchObject({ status: 'error', came: expect.stringMatching(/^recusada \(HTTP 401\)/) });
    expect(wrong.stdout).not.toContain('senha-errada-123');
  }, 90_000);

  it('a missing environment variable is a configuration error naming the variable and the field', async () => {
    const env = { ...world.env };
    delete env['TRAY_ACCESS_TOKEN'];
    const result = await run(['doctor', '--config', world.configPath], { env });
    expect(result.stdout).toMatch(/tray \(Loja Tray\)\s+credenciais\s+erro\s+integrations\.0\.connection\.accessToken: environment variable TRAY_ACCESS_TOKEN is not set/);
    expect(result.code).toBe(EXIT.findings);
  }, 90_000);
});
