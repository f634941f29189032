import { formatCnpj, formatQuantity } from '@conecta/core';

const money = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' });
const dateTime = new Intl.DateTimeFormat('pt-BR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'America/Sao_Paulo' });

/** Cents to "R$ 1.234,56" without a float ever holding the amount: the division is exact for display only. */
export function brl(cents: number): string {
  return money.format(cents / 100);
}

export function quantity(milli: number): string {
  return formatQuantity(milli).replace('.', ',');
}

export function when(iso: string | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

export function cnpj(digits: string): string {
  return formatCnpj(digits);
}

export const INTAKE_LABELS: Record<string, string> = {
  pending: 'Pendente',
  finalized: 'Finalizado',
  cancelled: 'Excluído',
  ignored: 'Ignorado',
  unmapped: 'Status não mapeado',
};

export const MOVEMENT_LABELS: Record<string, string> = {
  created: 'Criada',
  synced: 'Sincronizada',
  done: 'Realizado',
  failed: 'Falhou',
  cancelled: 'Cancelada',
  reversed: 'Estornada',
};

/** What each audit entry did, in the dashboard's language (unknown actions are shown as recorded). */
export const ACTION_LABELS: Record<string, string> = {
  allocate: 'criou a movimentação',
  override: 'escolheu a empresa',
  sync: 'sincronizou',
  'create-erp-order': 'criou o pedido no Mainô',
  retry: 'tentou de novo',
  release: 'liberou o estoque',
  reverse: 'estornou',
  'stock-refused': 'o Mainô recusou por falta de estoque',
  'stock-changed': 'liberou para planejar de novo (o estoque mudou)',
};

/**
 * How old the Mainô stock reading behind an allocation or a sync was, from its audit detail ("stock read at … (3.2 s
 * old)"), as the page shows it: "estoque lido há 3,2 s". Undefined when the step read Mainô itself.
 */
export function stockReadingAge(detail: string | undefined): string | undefined {
  const seconds = detail && /stock read at \S+ \((\d+(?:\.\d+)?) s old\)/.exec(detail)?.[1];
  return seconds ? `estoque lido há ${seconds.replace('.', ',')} s` : undefined;
}

export const FILTER_LABELS: Record<string, string> = {
  all: 'Todos os pedidos',
  'pending-sync': 'Pendentes de sincronização',
  'without-movements': 'Sem movimentação',
  cancelled: 'Cancelados',
  failed: 'Com falha',
  unmapped: 'Status não mapeado',
  done: 'Realizados',
};

export const PLATFORM_LABELS: Record<string, string> = {
  tray: 'Tray',
  woocommerce: 'WooCommerce',
  lojaintegrada: 'Loja Integrada',
  mercos: 'Mercos',
  recompra: 'Recompra.aí',
};
