import type { StatusDictionary } from '@conecta/core';
import { html } from '../html.js';
import { INTAKE_LABELS, when } from '../format.js';
import { csrfField, layout, notice } from './layout.js';

const STATES = ['pending', 'finalized', 'cancelled', 'ignored'] as const;

export function statusPage(options: {
  user: string;
  csrf: string;
  integration: { id: string; name: string };
  dictionary: StatusDictionary;
  platformStatuses: Array<{ code: string; label: string }>;
  seen: Array<{ status: string; count: number; state: string; unmapped: boolean }>;
  message?: string;
  error?: string;
  lastEdit?: { updatedBy: string; updatedAt: string };
}) {
  const codes = new Map<string, string>();
  for (const status of options.platformStatuses) codes.set(status.code, status.label);
  for (const [code, mapping] of Object.entries(options.dictionary.entries)) if (!codes.has(code)) codes.set(code, mapping.label ?? code);
  for (const seen of options.seen) if (!codes.has(seen.status)) codes.set(seen.status, seen.status);
  const seenCount = new Map(options.seen.map((entry) => [entry.status, entry.count]));
  const unmapped = options.seen.filter((entry) => entry.unmapped);
  return layout({
    title: `Status · ${options.integration.name}`,
    user: options.user,
    csrf: options.csrf,
    body: html`<p><a href="/">← Integrações</a></p>
<h1>Dicionário de status: ${options.integration.name}</h1>
${notice(options.message)}${notice(options.error, 'error')}
${options.lastEdit ? html`<p class="muted">Última edição por ${options.lastEdit.updatedBy} em ${when(options.lastEdit.updatedAt)}.</p>` : ''}
${unmapped.length ? html`<div class="notice error">Status sem mapeamento recebidos: ${unmapped.map((entry) => html`<strong>${entry.status}</strong> (${entry.count}) `)}. Esses pedidos ficam visíveis, sem movimentação, até serem mapeados.</div>` : ''}
<form method="post" action="/integracoes/${options.integration.id}/status">
${csrfField(options.csrf)}
<table>
<thead><tr><th>Status na loja</th><th>Descrição</th><th>Pedidos</th><th>O que fazer</th></tr></thead>
<tbody>
${[...codes].map(([code, label]) => {
  const current = options.dictionary.entries[code]?.state;
  return html`<tr data-status="${code}">
  <td><code>${code}</code></td><td>${label}</td><td>${seenCount.get(code) ?? 0}</td>
  <td><select name="status:${code}">
    <option value="" ${current ? '' : 'selected'}>— não mapeado —</option>
    ${STATES.map((state) => html`<option value="${state}" ${current === state ? 'selected' : ''}>${INTAKE_LABELS[state]}</option>`)}
  </select></td>
</tr>`;
})}
</tbody>
</table>
<p><button type="submit">Salvar dicionário</button></p>
</form>`,
  });
}
