import type { IntegrationSummary } from '@conecta/core';
import { html } from '../html.js';
import { FILTER_LABELS, PLATFORM_LABELS, SITUATION_LABELS, when } from '../format.js';
import type { Notice } from '../ui/notices.js';
import { csrfField, layout, notice } from './layout.js';

export interface IntegrationCard {
  id: string;
  name: string;
  platform: string;
  groupName: string;
  mode: string;
  summary: IntegrationSummary;
  lastOrderSituation?: keyof typeof SITUATION_LABELS;
  stockPush: { enabled: boolean; last?: { at: string; pushed: number; unchanged: number; failed: number } };
}

/** The situations in the order a card lists them; their counts add up to "Todos". */
const SITUATION_COUNTS = [
  ['without-movements', 'withoutMovements'],
  ['pending-sync', 'pendingSync'],
  ['failed', 'failed'],
  ['done', 'done'],
  ['cancelled', 'cancelled'],
  ['ignored', 'ignored'],
  ['unmapped', 'unmapped'],
] as const;

export function dashboardPage(options: { user: string; csrf: string; cards: IntegrationCard[]; notice?: Notice }) {
  const stat = (card: IntegrationCard, filter: string, label: string, value: number, className = '') =>
    html`<li class="${className}"><a href="/integracoes/${card.id}/pedidos?filtro=${filter}">${label}</a><strong data-stat="${card.id}:${filter}">${value}</strong></li>`;
  return layout({
    title: 'Painel',
    user: options.user,
    csrf: options.csrf,
    live: true,
    body: html`<h1>Integrações</h1>
${notice(options.notice)}
<div class="cards">
${options.cards.map(
  (card) => html`<section class="card" data-integration="${card.id}">
  <h3><a href="/integracoes/${card.id}/pedidos">${card.name}</a></h3>
  <div class="platform">${PLATFORM_LABELS[card.platform] ?? card.platform} · ${card.groupName} · ${card.mode === 'automatic' ? 'automático' : 'sob comando'}</div>
  <ul class="stats">
    ${stat(card, 'all', FILTER_LABELS['all']!, card.summary.all, 'total')}
    ${SITUATION_COUNTS.map(([filter, key]) => stat(card, filter, FILTER_LABELS[filter]!, card.summary[key]))}
    <li class="extra"><a href="/integracoes/${card.id}/quarentena">Em quarentena</a><strong data-stat="${card.id}:quarantined">${card.summary.quarantined}</strong></li>
  </ul>
  <p class="muted">Último pedido: ${
    card.summary.lastOrder
      ? html`<a href="/pedidos/${encodeURIComponent(card.summary.lastOrder.id)}">${card.summary.lastOrder.number}</a> · ${when(card.summary.lastOrder.createdAt)}${card.lastOrderSituation ? ` · ${SITUATION_LABELS[card.lastOrderSituation]}` : ''}`
      : 'nenhum'
  }</p>
  <p><a href="/integracoes/${card.id}/status">Dicionário de status</a></p>
  <div class="muted">Estoque: ${
    card.stockPush.enabled
      ? html`envio ativo${card.stockPush.last ? html` · último envio ${when(card.stockPush.last.at)}: ${card.stockPush.last.pushed} atualizados, ${card.stockPush.last.unchanged} sem mudança, ${card.stockPush.last.failed} com falha` : ' · ainda não enviado'}
      <form class="inline" method="post" action="/integracoes/${card.id}/estoque" data-once>${csrfField(options.csrf)}<button class="secondary" type="submit">Enviar estoque agora</button></form>`
      : 'envio desativado'
  }</div>
</section>`,
)}
</div>`,
  });
}
