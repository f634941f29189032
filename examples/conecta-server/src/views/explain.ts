import type { Company, LineExplanation } from '@conecta/core';
import { cnpj as formatCnpj, quantity } from '../format.js';

const SKIP_REASONS: Record<string, string> = {
  inactive: 'empresa inativa',
  'no-stock': 'sem estoque',
  'unknown-sku': 'produto não cadastrado',
  'not-chosen': 'não escolhida',
  'over-company-limit': 'acima do limite de empresas por pedido',
  'single-company-short': 'não atende o pedido inteiro sozinha',
};

const OUTCOMES: Record<string, string> = {
  covered: 'atendido',
  partial: 'atendido em parte',
  short: 'sem estoque suficiente',
  'unknown-sku': 'produto não cadastrado em nenhuma empresa',
  held: 'retido: o pedido só é movimentado quando todos os itens têm estoque',
  unmatched: 'sem SKU: informe o SKU do item para movimentá-lo',
};

/** The allocator's explanation of one line, in Portuguese, from its structured fields (its own summary is English). */
export function explainLine(line: LineExplanation, companies: readonly Company[]): string {
  const name = (cnpj: string) => {
    const company = companies.find((entry) => entry.cnpj === cnpj);
    return company ? `${company.name} (prioridade ${company.priority})` : formatCnpj(cnpj);
  };
  const parts: string[] = [];
  if (line.chosen.length) parts.push(line.chosen.map((entry) => `${quantity(entry.quantityMilli)} de ${name(entry.companyCnpj)}`).join(' + '));
  for (const skipped of line.skipped) {
    const available = skipped.reason === 'no-stock' || skipped.reason === 'unknown-sku' ? '' : `, ${quantity(Math.max(0, skipped.availableMilli))} disponível`;
    parts.push(`${name(skipped.companyCnpj)} pulada: ${SKIP_REASONS[skipped.reason] ?? skipped.reason}${available}`);
  }
  const outcome = OUTCOMES[line.outcome] ?? line.outcome;
  return parts.length ? `${outcome[0]!.toUpperCase()}${outcome.slice(1)}: ${parts.join('; ')}.` : `${outcome[0]!.toUpperCase()}${outcome.slice(1)}.`;
}
