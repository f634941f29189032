import { orderSituation, type OrderListItem } from '@conecta/core';
import { ACTION_NAMES, BULK_ACTIONS } from '../commands.js';
import { html } from '../html.js';
import { FILTER_LABELS, READY_TO_RETRY, SITUATION_LABELS, brl, movementCount, plural, statusName, when } from '../format.js';
import type { BulkRun } from '../bulk.js';
import type { Notice } from '../ui/notices.js';
import { csrfField, layout, notice } from './layout.js';

export function ordersPage(options: {
  user: string;
  csrf: string;
  integration: { id: string; name: string; platform: string };
  filter: string;
  search: string;
  page: number;
  pages: number;
  total: number;
  items: OrderListItem[];
  /** On-command mode: held orders whose lines the free stock now covers (`pipeline.readyToRetry`). */
  readyToRetry?: ReadonlySet<string>;
  running?: BulkRun;
  notice?: Notice;
}) {
  const base = `/integracoes/${options.integration.id}/pedidos`;
  const link = (filter: string, page = 1) => `${base}?filtro=${filter}${options.search ? `&busca=${encodeURIComponent(options.search)}` : ''}${page > 1 ? `&pagina=${page}` : ''}`;
  return layout({
    title: `Pedidos · ${options.integration.name}`,
    user: options.user,
    csrf: options.csrf,
    live: true,
    body: html`<p><a href="/">← Integrações</a></p>
<h1>${options.integration.name}: ${FILTER_LABELS[options.filter] ?? options.filter}</h1>
${notice(options.notice)}
<nav class="filters" aria-label="Filtros">${Object.entries(FILTER_LABELS).map(([filter, label]) => html`<a class="${filter === options.filter ? 'active' : ''}" href="${link(filter)}">${label}</a>`)}
<a href="/integracoes/${options.integration.id}/quarentena">Em quarentena</a></nav>
<form method="get" action="${base}">
  <input type="hidden" name="filtro" value="${options.filter}">
  <p><input name="busca" aria-label="Número do pedido" placeholder="Número do pedido" value="${options.search}"> <button class="secondary" type="submit">Buscar</button></p>
</form>
${options.running ? html`<p class="notice" role="status">Uma ação em lote está em andamento nesta integração: <a href="/lotes/${options.running.id}">acompanhar</a>.</p>` : ''}
<p class="muted">${plural(options.total, 'pedido', 'pedidos')}</p>
${options.items.length === 0
  ? html`<p class="empty">Nenhum pedido neste filtro.</p>`
  : html`<form method="post" action="/integracoes/${options.integration.id}/lote" id="lote" data-once>
${csrfField(options.csrf)}
<input type="hidden" name="filtro" value="${options.filter}">
<input type="hidden" name="busca" value="${options.search}">
<div class="toolbar" role="group" aria-label="Ação em lote">
  <label><input type="checkbox" data-select-all aria-label="Selecionar os pedidos desta página"> Esta página</label>
  <label><input type="checkbox" name="todos" value="1"> Todos os pendentes deste filtro, em todas as páginas</label>
  <span class="muted">Selecionados: <strong data-selected-count>0</strong></span>
  ${BULK_ACTIONS.map((action) => html`<button type="submit" name="acao" value="${action}" ${options.running ? 'disabled' : ''}>${ACTION_NAMES[action]}</button>`)}
</div>
<table class="responsive">
<thead><tr><th><span class="muted">Sel.</span></th><th>Pedido</th><th>Data</th><th>Cliente</th><th>Total</th><th>Status na loja</th><th>Situação</th><th>Movimentações</th></tr></thead>
<tbody>
${options.items.map(({ order, movementStates }) => {
  const situation = orderSituation(order, movementStates);
  return html`<tr data-order="${order.id}" data-situation="${situation}">
  <td><input type="checkbox" name="pedido" value="${order.id}" aria-label="Selecionar o pedido ${order.number}"></td>
  <td data-label="Pedido"><a href="/pedidos/${encodeURIComponent(order.id)}">${order.number}</a></td>
  <td data-label="Data">${when(order.createdAt)}</td>
  <td data-label="Cliente">${order.customer.name}</td>
  <td data-label="Total">${brl(order.totals.totalCents)}</td>
  <td data-label="Status na loja">${statusName(options.integration.platform, order.status, order.statusLabel) ?? order.status}</td>
  <td data-label="Situação"><span class="badge ${situation}">${SITUATION_LABELS[situation]}</span>${
    options.readyToRetry?.has(order.id)
      ? html` <span class="badge ready" data-ready-to-retry>${READY_TO_RETRY}</span>
    <button type="submit" class="secondary" formaction="/pedidos/${encodeURIComponent(order.id)}/movimentacao" aria-label="Tentar de novo o pedido ${order.number}">Tentar de novo</button>`
      : ''
  }</td>
  <td data-label="Movimentações">${Object.entries(movementStates).map(([state, count]) => html`<span class="badge ${state}">${movementCount(state, count)}</span> `)}</td>
</tr>`;
})}
</tbody>
</table>
</form>`}
<div class="pager">
  ${options.page > 1 ? html`<a href="${link(options.filter, options.page - 1)}">← Anterior</a>` : ''}
  <span class="muted">Página ${options.page} de ${options.pages}</span>
  ${options.page < options.pages ? html`<a href="${link(options.filter, options.page + 1)}">Próxima →</a>` : ''}
</div>`,
  });
}
