import type { AllocationResult, Company, Movement, OrderDetail } from '@conecta/core';
import { html } from '../html.js';
import { ACTION_LABELS, INTAKE_LABELS, MOVEMENT_LABELS, brl, cnpj, quantity, stockReadingAge, when } from '../format.js';
import { explainLine } from './explain.js';
import { csrfField, layout, notice } from './layout.js';

export function orderPage(options: {
  user: string;
  csrf: string;
  integration: { id: string; name: string; mode: string };
  detail: OrderDetail;
  companies: Company[];
  preview?: AllocationResult;
  previewError?: string;
  message?: string;
  error?: string;
}) {
  const { order, movements } = options.detail;
  const live = movements.filter((m) => m.state !== 'cancelled');
  const companyName = (digits: string) => options.companies.find((company) => company.cnpj === digits)?.name ?? cnpj(digits);
  // Movements are created once per order: with live ones, the step is done and the lines show where they went.
  const allocatable = (order.intakeState === 'pending' || order.intakeState === 'finalized') && live.length === 0;
  const canSync = live.some((m) => m.state === 'created' || m.state === 'failed');
  const canCreate = live.some((m) => m.state === 'synced');
  const base = `/pedidos/${encodeURIComponent(order.id)}`;
  const explanationFor = (lineIndex: number) => options.preview?.explanation.find((line) => line.lineIndex === lineIndex);
  const chosenFor = (lineIndex: number) => live.filter((m) => m.lineIndex === lineIndex);

  return layout({
    title: `Pedido ${order.number}`,
    user: options.user,
    csrf: options.csrf,
    live: true,
    body: html`<p><a href="/integracoes/${options.integration.id}/pedidos">← ${options.integration.name}</a></p>
<h1>Pedido ${order.number} <span class="badge ${order.intakeState}">${INTAKE_LABELS[order.intakeState] ?? order.intakeState}</span></h1>
${notice(options.message)}${notice(options.error, 'error')}
<p class="muted">${when(order.createdAt)} · ${order.customer.name} · status na loja: <strong>${order.statusLabel ?? order.status}</strong>${
      order.intakeState === 'unmapped' ? html` · <a href="/integracoes/${options.integration.id}/status">mapear este status</a>` : ''
    } · total ${brl(order.totals.totalCents)}</p>

<h2>Itens</h2>
<form method="post" action="${base}/movimentacao" id="form-movimentacao">
${csrfField(options.csrf)}
<table>
<thead><tr><th>#</th><th>SKU</th><th>Produto</th><th>Qtd.</th><th>Preço</th><th>Empresa</th><th>Explicação</th></tr></thead>
<tbody>
${order.lines.map((line, index) => {
  const current = chosenFor(index);
  const explanation = explanationFor(index);
  return html`<tr data-line="${index}">
  <td>${index + 1}</td><td class="nowrap">${line.sku}</td><td>${line.name}</td><td class="nowrap">${quantity(line.quantityMilli)}</td><td class="nowrap">${brl(line.unitPriceCents)}</td>
  <td>${
    allocatable
      ? html`<select name="empresa-${index}" aria-label="Empresa da linha ${index + 1}">
      <option value="">Automático (prioridade)</option>
      ${options.companies.map((company) => html`<option value="${company.cnpj}">${company.priority}. ${company.name}</option>`)}
    </select>`
      : current.map((m) => html`<div class="nowrap">${companyName(m.companyCnpj)} (${quantity(m.quantityMilli)})</div>`)
  }</td>
  <td class="muted">${explanation ? explainLine(explanation, options.companies) : current.length ? 'Movimentação criada: veja abaixo.' : ''}</td>
</tr>`;
})}
</tbody>
</table>
</form>
${options.previewError ? notice(`Não foi possível consultar o estoque no Mainô: ${options.previewError}`, 'error') : ''}

<h2>Etapas</h2>
<div class="steps">
  <section class="step" data-step="1">
    <h3>1. Criar movimentação</h3>
    <p class="muted">Escolhe a empresa de cada item pela prioridade (ou pela sua escolha acima) e reserva o estoque.</p>
    <button type="submit" form="form-movimentacao" ${allocatable ? '' : 'disabled'}>Criar movimentação</button>
  </section>
  <section class="step" data-step="2">
    <h3>2. Sincronizar</h3>
    <p class="muted">Confere no Mainô se o produto existe em cada empresa e se a quantidade está disponível.</p>
    <form method="post" action="${base}/sincronizar">${csrfField(options.csrf)}<button type="submit" ${canSync ? '' : 'disabled'}>Sincronizar</button></form>
  </section>
  <section class="step" data-step="3">
    <h3>3. Criar pedido no Mainô</h3>
    <p class="muted">Cria um pedido de venda por empresa, com a tag "${options.integration.name}".</p>
    <form method="post" action="${base}/pedido-maino">${csrfField(options.csrf)}<button type="submit" ${canCreate ? '' : 'disabled'}>Criar pedido no Mainô</button></form>
  </section>
</div>

<h2>Movimentações</h2>
${movements.length === 0 ? html`<p class="muted">Nenhuma movimentação.</p>` : movementTable(movements, companyName)}
${live.some((m) => m.state === 'failed') ? html`<form method="post" action="${base}/reprocessar">${csrfField(options.csrf)}<button class="secondary" type="submit">Tentar de novo as que falharam</button></form>` : ''}`,
  });
}

function movementTable(movements: Movement[], companyName: (cnpj: string) => string) {
  return html`<table>
<thead><tr><th>Item</th><th>SKU</th><th>Empresa</th><th>Qtd.</th><th>Situação</th><th>Pedido Mainô</th><th>Histórico</th></tr></thead>
<tbody>
${movements.map(
  (m) => html`<tr data-movement="${m.id}" data-state="${m.state}">
  <td>${m.lineIndex + 1}</td><td class="nowrap">${m.sku}</td><td>${companyName(m.companyCnpj)}</td><td class="nowrap">${quantity(m.quantityMilli)}</td>
  <td><span class="badge ${m.state}">${MOVEMENT_LABELS[m.state] ?? m.state}</span>${m.failure ? html`<div class="muted">${m.failure.reason}</div>` : ''}</td>
  <td>${m.erpOrderId ?? '—'}</td>
  <td class="muted">${m.audit.map((entry) => html`<div>${when(entry.at)} · ${entry.actor} · ${ACTION_LABELS[entry.action] ?? entry.action}${entry.to ? ` → ${MOVEMENT_LABELS[entry.to] ?? entry.to}` : ''}${stockReadingAge(entry.detail) ? ` · ${stockReadingAge(entry.detail)}` : ''}</div>`)}</td>
</tr>`,
)}
</tbody>
</table>`;
}
