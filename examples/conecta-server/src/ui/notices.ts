import { plural } from '../format.js';
import type { ShortfallLine } from './messages.js';

/**
 * What the next page tells the person after an action. Only the server sets one (in a signed, short-lived cookie),
 * from these codes and the figures the action produced; nothing in the URL becomes text on a page.
 */
export type NoticeInput =
  | { code: 'movements-created'; count: number }
  | { code: 'movements-existed' }
  | { code: 'shortfall'; lines: ShortfallLine[] }
  | { code: 'synced'; synced: number; failed: number }
  | { code: 'erp-created'; created: number; pending: string[] }
  | { code: 'dictionary-saved'; user: string; reclassified: number }
  | { code: 'stock-push'; kind: 'info' | 'error'; text: string }
  | { code: 'quarantine-reprocessed'; orderPath: string; number: string }
  | { code: 'line-mapped'; line: number; sku: string }
  | { code: 'action-failed'; message: string };

export interface Notice {
  code: NoticeInput['code'];
  kind: 'info' | 'error';
  text: string;
  items?: Array<{ text: string; href?: string }>;
}

export function renderNotice(input: NoticeInput): Notice {
  switch (input.code) {
    case 'movements-created':
      return { code: input.code, kind: 'info', text: `${plural(input.count, 'movimentação criada', 'movimentações criadas')}.` };
    case 'movements-existed':
      return { code: input.code, kind: 'info', text: 'O pedido já tinha movimentações: nada foi criado de novo.' };
    case 'shortfall':
      return {
        code: input.code,
        kind: 'error',
        text: 'Sem estoque suficiente: nenhuma movimentação criada.',
        items: input.lines.map((line) => ({
          text: `Linha ${line.line} (${line.sku}): precisa de ${line.needed}, faltam ${line.missing}. ${line.companies.length ? line.companies.map((company) => `${company.name} tinha ${company.had}`).join('; ') : 'Nenhuma empresa do grupo tem o produto'}.`,
        })),
      };
    case 'synced':
      return {
        code: input.code,
        kind: input.failed ? 'error' : 'info',
        text: `${plural(input.synced, 'movimentação sincronizada', 'movimentações sincronizadas')}${input.failed ? `, ${plural(input.failed, 'com falha', 'com falha')}: veja o motivo abaixo` : ''}.`,
      };
    case 'erp-created':
      return {
        code: input.code,
        kind: input.pending.length ? 'error' : 'info',
        text: `${plural(input.created, 'pedido criado', 'pedidos criados')} no Mainô.${input.pending.length ? ' Ficaram pendentes:' : ''}`,
        items: input.pending.map((text) => ({ text })),
      };
    case 'dictionary-saved':
      return { code: input.code, kind: 'info', text: `Dicionário salvo por ${input.user}. ${plural(input.reclassified, 'pedido reclassificado', 'pedidos reclassificados')}.` };
    case 'stock-push':
      return { code: input.code, kind: input.kind, text: input.text };
    case 'quarantine-reprocessed':
      return { code: input.code, kind: 'info', text: 'Pedido importado: ele saiu da quarentena.', items: [{ text: `Abrir o pedido ${input.number}`, href: input.orderPath }] };
    case 'line-mapped':
      return { code: input.code, kind: 'info', text: `Item ${input.line} ligado ao SKU ${input.sku}. Crie a movimentação para reservar o estoque.` };
    case 'action-failed':
      return { code: input.code, kind: 'error', text: input.message };
  }
}
