import type { OrderListItem } from '@conecta/core';
import { html } from '../html.js';
import { FILTER_LABELS, INTAKE_LABELS, MOVEMENT_LABELS, brl, when } from '../format.js';
import { layout } from './layout.js';

export function ordersPage(options: {
  user: string;
  csrf: string;
  integration: { id: string; name: string };
  filter: string;
  search: string;
  page: number;
  pageSize: number;
  total: number;
  items: OrderListItem[];
}) {
  const link = (filter: string, page = 1) =>
    `/integracoes/${options.integration.id}/pedidos?filtro=${filter}${options.search ? `&busca=${encodeURIComponent(options.search)}` : ''}${page > 1 ? `&pagina=${page}` : ''}`;
  const pages = Math.max(1, Math.ceil(options.total / options.pageSize));
  return layout({
    title: `Pedidos · ${options.integration.name}`,
    user: options.user,
    csrf: options.csrf,
    live: true,
    body: html`<p><a href="/">← Integrações</a></p>
<h1>${options.integration.name}: ${FILTER_LABELS[options.filter] ?? options.filter}</h1>
<p class="filters">${Object.entries(FILTER_LABELS).map(([filter, label]) => html`<a class="${filter === options.filter ? 'active' : ''}" href="${link(filter)}">${label}</a>`)}</p>
<form method="get" action="/integracoes/${options.integration.id}/pedidos">
  <input type="hidden" name="filtro" value="${options.filter}">
  <input name="busca" placeholder="Número do pedido" value="${options.search}"> <button class="secondary" type="submit">Buscar</button>
</form>
<p class="muted">${options.total} pedido(s)</p>
<table>
<thead><tr><th>Pedido</th><th>Data</th><th>Cliente</th><th>Total</th><th>Status na loja</th><th>Situação</th><th>Movimentações</th></tr></thead>
<tbody>
${options.items.map(
  ({ order, movementStates }) => html`<tr data-order="${order.id}">
  <td><a href="/pedidos/${encodeURIComponent(order.id)}">${order.number}</a></td>
  <td>${when(order.createdAt)}</td>
  <td>${order.customer.name}</td>
  <td>${brl(order.totals.totalCents)}</td>
  <td>${order.statusLabel ?? order.status}</td>
  <td><span class="badge ${order.intakeState}">${INTAKE_LABELS[order.intakeState] ?? order.intakeState}</span></td>
  <td>${Object.entries(movementStates).map(([state, count]) => html`<span class="badge ${state}">${count} ${MOVEMENT_LABELS[state] ?? state}</span> `)}</td>
</tr>`,
)}
</tbody>
</table>
<div class="pager">
  ${options.page > 1 ? html`<a href="${link(options.filter, options.page - 1)}">← Anterior</a>` : ''}
  <span class="muted">Página ${options.page} de ${pages}</span>
  ${options.page < pages ? html`<a href="${link(options.filter, options.page + 1)}">Próxima →</a>` : ''}
</div>`,
  });
}
