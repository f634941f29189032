import { ConectaError, StockShortfallError, ValidationError, type AllocationResult, type Company, type MovementFailure, type QuarantinedRecord, type StockPushSummary } from '@conecta/core';
import { cnpj, plural, quantity } from '../format.js';

/** "Matriz Curitiba (11.222.333/0001-81)", or the formatted CNPJ of a company the group does not list. */
export function companyLabel(companies: readonly Company[], digits: string): string {
  const company = companies.find((entry) => entry.cnpj === digits);
  return company ? `${company.name} (${cnpj(digits)})` : cnpj(digits);
}

/** "linha 1": lines are counted from 1 for people (the SDK counts from 0). */
const lineLabel = (lineIndex: number) => `linha ${lineIndex + 1}`;

/**
 * Any error an operator's action can cause, in Portuguese, from its type and structured fields: never the SDK's
 * English message, which names fields and CNPJs the way code does.
 */
export function describeError(error: unknown, companies: readonly Company[]): string {
  if (error instanceof StockShortfallError) {
    return `Na ${lineLabel(error.lineIndex)}, ${companyLabel(companies, error.companyCnpj)} tem ${quantity(error.availableMilli)} de ${error.sku} livre, e a linha precisa de ${quantity(error.neededMilli)}: faltam ${quantity(error.neededMilli - error.availableMilli)}. Escolha outra empresa ou deixe no automático.`;
  }
  if (error instanceof ValidationError) {
    const override = /^overrides\.(\d+)\.(lineIndex|companyCnpj)$/.exec(error.path);
    if (override) {
      const lineIndex = Number(override[1]);
      return override[2] === 'lineIndex' ? `O pedido não tem a ${lineLabel(lineIndex)}.` : `Na ${lineLabel(lineIndex)}, a empresa escolhida não é uma empresa ativa do grupo.`;
    }
    return `Dados recusados na validação (campo ${error.path || 'raiz'}).`;
  }
  if (!ConectaError.isConectaError(error)) return 'Erro interno: a ação não foi concluída. Tente de novo; se continuar, avise o suporte.';
  switch (error.code) {
    case 'CONFLICT':
      return 'O pedido mudou enquanto a ação rodava (outra pessoa ou o processamento automático agiu antes). Veja a situação atual e tente de novo se ainda fizer sentido.';
    case 'NOT_FOUND':
      return 'Não encontrado: o pedido ou o registro não existe mais.';
    case 'AUTH':
      return 'O Mainô recusou a credencial desta empresa. Confira a chave de API na configuração.';
    case 'RATE_LIMITED':
      return 'O Mainô pediu para esperar: muitas consultas seguidas. Tente de novo em instantes.';
    case 'TIMEOUT':
    case 'NETWORK':
    case 'UPSTREAM':
      return 'O Mainô não respondeu a tempo. Nada foi duplicado; tente de novo em instantes.';
    case 'CONFIGURATION':
      return 'A integração não está configurada para isso.';
    default:
      return `A ação falhou (código ${error.code}).`;
  }
}

/** Why a movement failed, from its failure code, with the company named and its CNPJ formatted. */
export function describeFailure(failure: MovementFailure, movement: { sku: string; companyCnpj: string; quantityMilli: number }, companies: readonly Company[]): string {
  const company = companyLabel(companies, movement.companyCnpj);
  switch (failure.code) {
    case 'NOT_FOUND':
      return `O produto ${movement.sku} não está cadastrado no Mainô em ${company}.`;
    case 'SHORTFALL': {
      const free = /has ([\d.]+) of /.exec(failure.reason)?.[1];
      const have = free === undefined ? '' : ` (tem ${free.replace('.', ',')} livre)`;
      return `${company} não tem ${quantity(movement.quantityMilli)} de ${movement.sku} livre no Mainô${have}.`;
    }
    case 'AUTH':
      return `O Mainô recusou a credencial de ${company}.`;
    case 'VALIDATION':
      return `O Mainô recusou o pedido de venda de ${company}: dados inválidos.`;
    case 'RATE_LIMITED':
      return 'O Mainô pediu para esperar; tente de novo em instantes.';
    default:
      return failure.retryable ? `O Mainô não respondeu a tempo para ${company}; tente de novo.` : `O Mainô recusou a operação em ${company} (código ${failure.code}).`;
  }
}

export interface ShortfallLine {
  line: number;
  sku: string;
  needed: string;
  missing: string;
  companies: Array<{ name: string; had: string }>;
}

/**
 * What each company had of each SKU the order is short of, and how much is missing, from the allocator's
 * explanation (every company is listed for a line that ends short).
 */
export function shortfallLines(allocation: AllocationResult | undefined, companies: readonly Company[]): ShortfallLine[] {
  if (!allocation) return [];
  return allocation.shortfalls.map((shortfall) => {
    const explanation = allocation.explanation.find((line) => line.lineIndex === shortfall.lineIndex);
    const had = new Map<string, number>();
    for (const entry of [...(explanation?.chosen ?? []), ...(explanation?.held ?? [])]) had.set(entry.companyCnpj, (had.get(entry.companyCnpj) ?? 0) + entry.quantityMilli);
    for (const entry of explanation?.skipped ?? []) if (!had.has(entry.companyCnpj)) had.set(entry.companyCnpj, Math.max(0, entry.availableMilli));
    const ordered = [...companies].sort((a, b) => a.priority - b.priority).filter((company) => had.has(company.cnpj));
    return {
      line: shortfall.lineIndex + 1,
      sku: shortfall.sku,
      needed: quantity(shortfall.requestedMilli),
      missing: quantity(shortfall.missingMilli),
      companies: ordered.map((company) => ({ name: company.name, had: quantity(had.get(company.cnpj)!) })),
    };
  });
}

export function shortfallSentence(lines: readonly ShortfallLine[]): string {
  const parts = lines.map(
    (line) => `Linha ${line.line} (${line.sku}): precisa de ${line.needed}, faltam ${line.missing}; ${line.companies.map((company) => `${company.name} tinha ${company.had}`).join(', ') || 'nenhuma empresa tem o produto'}.`,
  );
  return `Sem estoque suficiente: nenhuma movimentação criada. ${parts.join(' ')}`;
}

/** A stock push, said as what it did: a push that sent nothing says why. */
export function describeStockPush(summary: StockPushSummary): { kind: 'info' | 'error'; text: string } {
  const notFound = summary.notFound.length ? ` ${plural(summary.notFound.length, 'produto não existe', 'produtos não existem')} na loja: ${summary.notFound.slice(0, 10).join(', ')}.` : '';
  const failed = summary.failed ? ` ${plural(summary.failed, 'produto falhou', 'produtos falharam')}.` : '';
  if (summary.pushed > 0) {
    return { kind: summary.failed || summary.notFound.length ? 'error' : 'info', text: `Estoque enviado: ${plural(summary.pushed, 'produto atualizado', 'produtos atualizados')}, ${summary.unchanged} sem mudança.${notFound}${failed}` };
  }
  if (summary.failed || summary.notFound.length) return { kind: 'error', text: `Nada foi atualizado na loja.${notFound}${failed}` };
  if (summary.unchanged > 0) {
    return { kind: 'info', text: `Nada enviado: o estoque de ${plural(summary.unchanged, 'produto', 'produtos')} não mudou desde o último envio.` };
  }
  return { kind: 'info', text: 'Nada enviado: esta loja ainda não vendeu nenhum produto, então não há estoque a enviar.' };
}

const VALIDATION_MESSAGES: Array<[RegExp, string]> = [
  // core reads a price like "R$ 19,90 (promo)" as an ambiguous decimal: to the operator it is simply not a number.
  [/is not a decimal number|expected a decimal|expected number|is ambiguous/i, 'deveria ser um número'],
  [/must not be negative/i, 'não pode ser negativo'],
  [/ambiguous|decimal separator/i, 'usa um separador decimal diferente do que a plataforma usa'],
  [/decimal places/i, 'tem casas decimais demais'],
  [/too large/i, 'é grande demais'],
  [/expected string/i, 'deveria ser um texto'],
  [/expected array/i, 'deveria ser uma lista'],
  [/expected object/i, 'deveria ser um objeto'],
  [/required|received undefined/i, 'está faltando'],
  [/SKU is empty/i, 'está vazio: o produto não pode ser encontrado no Mainô'],
  [/datetime|date/i, 'não é uma data válida'],
  [/too small|>=|greater/i, 'está abaixo do mínimo'],
];

/**
 * Why a payload was quarantined, in Portuguese: the field as the platform names it (items counted from 1), what is
 * wrong with it, and the value received when it is a plain one.
 */
export function describeQuarantine(record: Pick<QuarantinedRecord, 'path' | 'message' | 'code'> & { raw?: unknown }): string {
  const what = VALIDATION_MESSAGES.find(([pattern]) => pattern.test(record.message))?.[1] ?? 'tem um valor que o conector não reconhece';
  if (!record.path) return `O pedido ${what}.`;
  const segments = record.path.split('.');
  const field = [...segments].reverse().find((segment) => !/^\d+$/.test(segment)) ?? record.path;
  const where = segments
    .slice(0, segments.lastIndexOf(field))
    .map((segment) => (/^\d+$/.test(segment) ? `item ${Number(segment) + 1}` : segment))
    .join(', ');
  const value = valueAt(record.raw, segments);
  const received = typeof value === 'string' || typeof value === 'number' ? ` (recebido: "${String(value).slice(0, 80)}")` : '';
  return `O campo ${field}${where ? ` (${where})` : ''} ${what}${received}.`;
}

function valueAt(raw: unknown, segments: readonly string[]): unknown {
  let current = raw;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    const container = current as Record<string, unknown>;
    // Payloads wrap list items ({ ProductsSold: [{ ProductsSold: {...} }] }): look inside the wrapper too.
    current = segment in container ? container[segment] : Object.values(container).length === 1 ? (Object.values(container)[0] as Record<string, unknown> | undefined)?.[segment] : undefined;
  }
  return current;
}
