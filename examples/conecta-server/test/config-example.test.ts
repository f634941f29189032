import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfig } from '@conecta/cli/deployment';

const EXAMPLE = fileURLToPath(new URL('../conecta.config.example.json', import.meta.url));

describe('conecta.config.example.json', () => {
  it('is a valid config', () => {
    const config = loadConfigFile(EXAMPLE);
    expect(config.integrations.map((entry) => entry.id)).toEqual(['tray', 'woocommerce', 'lojaintegrada', 'mercos', 'recompra']);
  });

  it('holds no secret value, only env: references (every one listed in the README)', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    const references = [...text.matchAll(/"env:([A-Z0-9_]+)"/g)].map((match) => match[1]!);
    expect(references.length).toBeGreaterThan(15);
    const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
    for (const name of references) expect(readme, name).toContain(`\`${name}\``);
    for (const key of ['accessToken', 'refreshToken', 'consumerKey', 'consumerSecret', 'webhookSecret', 'apiToken', 'chaveApi', 'sessionSecret']) {
      for (const match of text.matchAll(new RegExp(`"${key}":\\s*"([^"]*)"`, 'g'))) expect(match[1], key).toMatch(/^env:/);
    }
  });
});

describe('the Mercos rule in the config', () => {
  const example = () => JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { integrations: Array<Record<string, unknown>> };
  const mercosOf = (config: ReturnType<typeof example>) => config.integrations.find((entry) => entry['platform'] === 'mercos')!;

  it('refuses a Mercos integration on a one-company group, in Portuguese, naming the field and the way out', () => {
    const config = example();
    mercosOf(config)['groupId'] = 'loja-vizinha';
    expect(() => parseConfig(config)).toThrow(
      /config: integrations\.3: a integração Mercos "mercos" está no grupo "loja-vizinha", que tem um só CNPJ\. Com um CNPJ o Mainô integra com o Mercos diretamente, e cada pedido seria criado duas vezes\. Use "noDirectIntegration": true/,
    );
    mercosOf(config)['noDirectIntegration'] = true;
    expect(parseConfig(config).integrations[3]).toMatchObject({ groupId: 'loja-vizinha', noDirectIntegration: true });
  });

  it('refuses two Mercos integrations in one group', () => {
    const config = example();
    config.integrations.push({ ...structuredClone(mercosOf(config)), id: 'mercos-2' });
    expect(() => parseConfig(config)).toThrow(/o grupo "grupo-demo" tem 2 integrações Mercos \(mercos, mercos-2\): o Conecta leva uma única conta Mercos por grupo/);
  });
});
