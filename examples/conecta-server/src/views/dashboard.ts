import type { IntegrationSummary } from '@conecta/core';
import { html } from '../html.js';
import { FILTER_LABELS, INTAKE_LABELS, PLATFORM_LABELS, when } from '../format.js';
import { csrfField, layout, notice } from './layout.js';

export interface IntegrationCard {
  id: string;
  name: string;
  platform: string;
  groupName: string;
  mode: string;
  summary: IntegrationSummary;
  stockPush: { enabled: boolean; last?: { at: string; pushed: number; unchanged: number; failed: number } };
}

export function dashboardPage(options: { user: string; csrf: string; cards: IntegrationCard[]; message?: string }) {
  const stat = (card: IntegrationCard, filter: string, label: string, value: number) =>
    html`<li><a href="/integracoes/${card.id}/pedidos?filtro=${filter}">${label}</a><strong data-stat="${card.id}:${filter}">${value}</strong></li>`;
  return layout({
    title: 'Painel',
    user: options.user,
    csrf: options.csrf,
    live: true,
    body: html`<h1>Integrações</h1>
${notice(options.message)}
<div class="cards">
${options.cards.map(
  (card) => html`<section class="card" data-integration="${card.id}">
  <h3><a href="/integracoes/${card.id}/pedidos">${card.name}</a></h3>
  <div class="platform">${PLATFORM_LABELS[card.platform] ?? card.platform} · ${card.groupName} · ${card.mode === 'automatic' ? 'automático' : 'sob comando'}</div>
  <ul class="stats">
    ${stat(card, 'all', FILTER_LABELS['all']!, card.summary.all)}
    ${stat(card, 'pending-sync', FILTER_LABELS['pending-sync']!, card.summary.pendingSync)}
    ${stat(card, 'without-movements', FILTER_LABELS['without-movements']!, card.summary.withoutMovements)}
    ${stat(card, 'cancelled', FILTER_LABELS['cancelled']!, card.summary.cancelled)}
    ${stat(card, 'failed', FILTER_LABELS['failed']!, card.summary.failed)}
    ${stat(card, 'unmapped', FILTER_LABELS['unmapped']!, card.summary.unmapped)}
    <li><span>Em quarentena</span><strong>${card.summary.quarantined}</strong></li>
  </ul>
  <p class="muted">Último pedido: ${
    card.summary.lastOrder
      ? html`<a href="/pedidos/${encodeURIComponent(card.summary.lastOrder.id)}">${card.summary.lastOrder.number}</a> · ${when(card.summary.lastOrder.createdAt)} · ${INTAKE_LABELS[card.summary.lastOrder.intakeState] ?? card.summary.lastOrder.intakeState}`
      : 'nenhum'
  }</p>
  <p><a href="/integracoes/${card.id}/status">Dicionário de status</a></p>
  <div class="muted">Estoque: ${
    card.stockPush.enabled
      ? html`envio ativo${card.stockPush.last ? html` · último envio ${when(card.stockPush.last.at)}: ${card.stockPush.last.pushed} atualizados, ${card.stockPush.last.unchanged} sem mudança, ${card.stockPush.last.failed} com falha` : ' · ainda não enviado'}
      <form class="inline" method="post" action="/integracoes/${card.id}/estoque">${csrfField(options.csrf)}<button class="secondary" type="submit">Enviar estoque agora</button></form>`
      : 'envio desativado'
  }</div>
</section>`,
)}
</div>`,
  });
}
