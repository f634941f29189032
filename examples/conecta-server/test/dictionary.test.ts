import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { composeConecta } from '../src/compose.js';
import { DEMO_USERS, startDemo } from '../src/demo.js';
import { form, signIn, withCookie } from './helpers.js';

describe('status dictionary edits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'conecta-dict-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('survive a restart, with who made them', async () => {
    const demo = await startDemo({ ordersPerStore: 1, storePath: join(dir, 'conecta.db') });
    try {
      const first = await composeConecta(demo.config, { ...demo.env });
      const app = createApp(first, { secureCookies: false });
      const { cookie, csrf } = await signIn(app, DEMO_USERS.main.email, DEMO_USERS.main.password);
      const saved = await app.request('/integracoes/woocommerce/status', withCookie(cookie, form({ _csrf: csrf, 'status:processing': 'pending', 'status:em-separacao': 'pending', 'status:cancelled': 'cancelled' })));
      expect(saved.status).toBe(303);
      await first.close();

      const second = await composeConecta(demo.config, { ...demo.env });
      const entries = second.pipeline.context.resolve('woocommerce').integration.statusDictionary.entries;
      expect(Object.keys(entries).sort()).toEqual(['cancelled', 'em-separacao', 'processing']);
      expect(second.dictionaries.get('woocommerce')?.entries['em-separacao']?.state).toBe('pending');
      expect(second.dictionaries.lastEdit('woocommerce')?.updatedBy).toBe(DEMO_USERS.main.email);
      await second.close();
    } finally {
      await demo.close();
    }
  });
});
