import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '@conecta/cli/deployment';

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
