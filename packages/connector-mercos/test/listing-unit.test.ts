import { UpstreamError, ValidationError } from '@conecta/core';
import type { HttpClient } from '@conecta/core/http';
import { describe, expect, it } from 'vitest';
import { decodeMercosCursor, encodeMercosCursor } from '../src/index.js';
import { listChanged } from '../src/paginate.js';

/** An HttpClient answering list calls from a script, recording `alterado_apos`. */
function scripted(pages: Array<{ body: unknown[]; limited: boolean }>): { http: HttpClient; asked: string[] } {
  const asked: string[] = [];
  const get = (async (_path: string, query?: Record<string, unknown>) => {
    asked.push(String(query?.['alterado_apos']));
    const page = pages.shift() ?? { body: [], limited: false };
    return { status: 200, headers: new Headers(page.limited ? { MEUSPEDIDOS_LIMITOU_REGISTROS: '1' } : {}), data: page.body };
  }) as HttpClient['get'];
  return { http: { get } as HttpClient, asked };
}

async function drain(iterable: AsyncIterable<unknown>): Promise<void> {
  for await (const page of iterable) void page;
}

describe('listChanged', () => {
  it('stops with an error instead of looping when a capped page cannot move the cursor', async () => {
    const stampless = { id: 1, ultima_alteracao: null };
    const { http, asked } = scripted([
      { body: [stampless], limited: true },
      { body: [stampless], limited: true },
    ]);
    await expect(drain(listChanged(http, 'v2/pedidos', { after: '2026-01-01 00:00:00', seen: [] }))).rejects.toBeInstanceOf(UpstreamError);
    expect(asked).toHaveLength(1);
  });

  it('drops records already delivered at the cursor second and keeps records Mercos sends out of order in order', async () => {
    const { http, asked } = scripted([
      {
        body: [
          { id: 3, ultima_alteracao: '2026-01-01 10:00:01' },
          { id: 1, ultima_alteracao: '2026-01-01 10:00:00' },
          { id: 2, ultima_alteracao: '2026-01-01 10:00:00' },
        ],
        limited: false,
      },
    ]);
    const pages = [];
    for await (const page of listChanged(http, 'v2/pedidos', { after: '2026-01-01 10:00:00', seen: ['1'] })) pages.push(page);
    expect(asked).toEqual(['2026-01-01 09:59:59']);
    expect(pages[0]!.records.map((record) => (record as { id: number }).id)).toEqual([2, 3]);
    expect(pages[0]!.cursor).toEqual({ after: '2026-01-01 10:00:01', seen: ['3'] });
  });
});

describe('cursor', () => {
  it('round-trips and refuses what it did not write', () => {
    const cursor = { after: '2026-03-02 09:00:04', seen: ['80012', '80009'] };
    expect(decodeMercosCursor(encodeMercosCursor(cursor))).toEqual({ after: cursor.after, seen: ['80009', '80012'] });
    expect(() => decodeMercosCursor('not json')).toThrow(/cursor/);
    expect(() => decodeMercosCursor(JSON.stringify({ v: 1, after: 'yesterday', seen: [] }))).toThrow(/cursor\.after/);
  });

  it('reads a cursor handed out earlier, keys as written then', () => {
    expect(decodeMercosCursor('{"v":1,"after":"2026-03-02 09:00:04","seen":["80009","80012"]}')).toEqual({ after: '2026-03-02 09:00:04', seen: ['80009', '80012'] });
  });

  it('refuses a cursor without an instant, naming the field and the platform', () => {
    const refusal = (() => {
      try {
        decodeMercosCursor('{"v":1,"after":null,"seen":[]}');
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).issues).toEqual([{ path: 'cursor.after', message: 'not a Mercos cursor (no instant)' }]);
    expect((refusal as ValidationError).subject).toBe('Mercos cursor');
    expect(() => decodeMercosCursor('{"v":1,"after":"2026-03-02T09:00:04Z","seen":[]}')).toThrow(/not a Mercos cursor/);
  });
});
