import type { AllocationResult, Company, Movement, OrderDetail, OrderLine, OrderWarning } from '@conecta/core';
import { html } from '../html.js';
import { ACTION_LABELS, INTAKE_LABELS, MOVEMENT_LABELS, brl, cnpj, quantity, when } from '../format.js';
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
  const open = order.intakeState === 'pending' || order.intakeState === 'finalized';
  const allocatable = open && live.length === 0;
  // A line a person mapped after the rest of the order got movements (partial policy) still waits for its own.
  const mappedWaiting = open && live.length > 0 && (order.lineMappings ?? []).some((mapping) => !live.some((m) => m.lineIndex === mapping.lineIndex));
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
${warningList(order)}

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
  <td>${index + 1}</td><td class="nowrap">${line.sku ?? unmatchedCell(index, line.unmatched)}</td><td>${line.name}</td><td class="nowrap">${quantity(line.quantityMilli)}</td><td class="nowrap">${brl(line.unitPriceCents)}</td>
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
${order.lines.map((line, index) =>
  line.unmatched ? html`<form method="post" action="${base}/mapear-linha" id="mapear-${index}">${csrfField(options.csrf)}<input type="hidden" name="linha" value="${index}"></form>` : '',
)}
${options.previewError ? notice(`Não foi possível consultar o estoque no Mainô: ${options.previewError}`, 'error') : ''}

<h2>Etapas</h2>
<div class="steps">
  <section class="step" data-step="1">
    <h3>1. Criar movimentação</h3>
    <p class="muted">Escolhe a empresa de cada item pela prioridade (ou pela sua escolha acima) e reserva o estoque.</p>
    <button type="submit" form="form-movimentacao" ${allocatable || mappedWaiting ? '' : 'disabled'}>Criar movimentação</button>
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

const UNMATCHED_REASONS: Record<string, string> = {
  'sku-missing': 'a loja não informou o SKU deste item',
  'sku-not-found': 'o produto da loja não tem SKU cadastrado',
};

/** A line without SKU: why, in Portuguese, and a field to map it (its form sits outside the table's form). */
function unmatchedCell(index: number, unmatched: OrderLine['unmatched']) {
  const reason = UNMATCHED_REASONS[unmatched?.reason ?? 'sku-missing'] ?? unmatched?.reason;
  return html`<span class="badge failed">sem SKU</span><div class="muted" data-unmatched="${unmatched?.reason ?? ''}">${reason}${unmatched?.detail ? ` (${unmatched.detail})` : ''}</div>
<input form="mapear-${index}" name="sku" required placeholder="SKU no Mainô" aria-label="SKU do item ${index + 1}"> <button form="mapear-${index}" type="submit" class="secondary">Ligar ao SKU</button>`;
}

/** The order's warnings, in Portuguese, from their structured fields (their own messages are English). */
function warningList(order: OrderDetail['order']) {
  if (order.warnings.length === 0 && !order.lineMappings?.length) return '';
  const text = (warning: OrderWarning): string => {
    switch (warning.code) {
      case 'totals-mismatch':
        return `Os valores não fecham: a loja informa total de ${brl(warning.expectedCents)}, mas itens + frete + taxas + impostos − descontos dá ${brl(warning.computedCents)}.`;
      case 'line-unmatched':
        return `O item ${warning.lineIndex + 1} não tem SKU e fica sem movimentação até alguém informar o SKU.`;
      case 'field-ignored':
        return `Campo ignorado (${warning.field}): ${warning.message}.`;
    }
  };
  return html`<section class="warnings" aria-label="Avisos">
<h2>Avisos</h2>
<ul>${order.warnings.map((warning) => html`<li data-warning="${warning.code}">${text(warning)}</li>`)}${(order.lineMappings ?? []).map(
    (mapping) => html`<li data-mapping="${mapping.lineIndex}">Item ${mapping.lineIndex + 1} ligado ao SKU ${mapping.sku} por ${mapping.actor} em ${when(mapping.at)}.</li>`,
  )}</ul>
</section>`;
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
  <td class="muted">${m.audit.map((entry) => html`<div>${when(entry.at)} · ${entry.actor} · ${ACTION_LABELS[entry.action] ?? entry.action}${entry.to ? ` → ${MOVEMENT_LABELS[entry.to] ?? entry.to}` : ''}</div>`)}</td>
</tr>`,
)}
</tbody>
</table>`;
}
