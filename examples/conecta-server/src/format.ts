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
};

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
