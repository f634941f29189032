import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { composeConecta } from '@conecta/cli/deployment';
import { DEMO_USERS, startDemo } from '@conecta/cli/demo';
import { form, signIn, withCookie } from './helpers.js';

describe('status dictionary edits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'conecta-dict-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('survive a restart, with who made them', async () => {
    const demo = await startDemo({ ordersPerStore: 1, storePath: join(dir, 'conecta.db') });
    try {
      const first = await composeConecta(demo.config, { ...demo.env }, { demo: true });
      const app = createApp(first, { secureCookies: false });
      const { cookie, csrf } = await signIn(app, DEMO_USERS.main.email, DEMO_USERS.main.password);
      const saved = await app.request('/integracoes/woocommerce/status', withCookie(cookie, form({ _csrf: csrf, 'status:processing': 'pending', 'status:em-separacao': 'pending', 'status:cancelled': 'cancelled' })));
      expect(saved.status).toBe(303);
      await first.close();

      const second = await composeConecta(demo.config, { ...demo.env }, { demo: true });
      const report = await second.pipeline.statusReport('woocommerce');
      expect(report.dictionary.entries['em-separacao']?.state).toBe('pending');
      // The statuses the form did not name keep their mappings.
      expect(report.dictionary.entries['completed']?.state).toBe('finalized');
      expect(report.dictionary.entries['on-hold']?.state).toBe('ignored');
      expect(report.lastEdit?.updatedBy).toBe(DEMO_USERS.main.email);
      // The page says who made the edit.
      const page = await createApp(second, { secureCookies: false }).request('/integracoes/woocommerce/status', withCookie(cookie));
      expect(await page.text()).toContain(DEMO_USERS.main.email);
      await second.close();
    } finally {
      await demo.close();
    }
  });

  it('moves edits an earlier version kept in status-dictionaries.json into the store, once', async () => {
    const storePath = join(dir, 'legacy.db');
    const legacyFile = join(dir, 'status-dictionaries.json');
    const demo = await startDemo({ ordersPerStore: 1, storePath });
    try {
      const dictionary = { platform: 'woocommerce', entries: { processing: { state: 'pending' }, 'aguardando-retirada': { state: 'finalized' } } };
      writeFileSync(legacyFile, JSON.stringify({ woocommerce: { dictionary, updatedBy: 'ana@loja.com', updatedAt: '2026-05-01T10:00:00.000Z' } }));
      const conecta = await composeConecta(demo.config, { ...demo.env }, { demo: true });
      const report = await conecta.pipeline.statusReport('woocommerce');
      expect(report.dictionary.entries['aguardando-retirada']).toEqual({ state: 'finalized' });
      expect(report.lastEdit).toMatchObject({ updatedBy: 'ana@loja.com', version: 1 });
      expect(existsSync(legacyFile)).toBe(false);
      expect(existsSync(`${legacyFile}.imported`)).toBe(true);
      await conecta.close();
    } finally {
      await demo.close();
    }
  });
});
