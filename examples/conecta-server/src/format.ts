import { formatCnpj, formatQuantity, type OrderSituation } from '@conecta/core';

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

/** A CNPJ as people write it (`11.222.333/0001-81`); anything that is not one is shown as it is. */
export function cnpj(value: string): string {
  return formatCnpj(value);
}

/** Who did something, as the audit trail records it: the runner's automatic steps are "sistema". */
export function actor(name: string): string {
  return name === 'system' ? 'sistema' : name;
}

/** "1 pedido", "3 pedidos": Portuguese plurals for the counts shown to people. */
export function plural(count: number, singular: string, pluralForm: string): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/**
 * Where an order stands (core's `orderSituation`), as its badge and its listing filter say it. A pedido is
 * masculine, so are its labels; the cancelled filter and badge use the same word.
 */
/** A held order (no movement, short of stock before) whose lines the free stock now covers, in on-command mode. */
export const READY_TO_RETRY = 'Pronto para tentar de novo';

export const SITUATION_LABELS: Record<OrderSituation, string> = {
  'without-movements': 'Sem movimentação',
  'pending-sync': 'Pendente de sincronização',
  failed: 'Com falha',
  done: 'Realizado',
  cancelled: 'Cancelado',
  ignored: 'Ignorado',
  unmapped: 'Status não mapeado',
};

/** The listing filters, plural; the situations above in the order the cards and filters show them. */
export const FILTER_LABELS: Record<string, string> = {
  all: 'Todos',
  'without-movements': 'Sem movimentação',
  'pending-sync': 'Pendentes de sincronização',
  failed: 'Com falha',
  done: 'Realizados',
  cancelled: 'Cancelados',
  ignored: 'Ignorados',
  unmapped: 'Status não mapeado',
};

/** What the status dictionary does with a store status (the state a status maps to). */
export const INTAKE_LABELS: Record<string, string> = {
  pending: 'Pendente',
  finalized: 'Finalizado',
  cancelled: 'Cancelado',
  ignored: 'Ignorado',
  unmapped: 'Não mapeado',
};

/** The same states, explained for the dictionary editor. */
export const INTAKE_DESCRIPTIONS: Record<string, string> = {
  pending: 'Pendente: importa o pedido e movimenta o estoque',
  finalized: 'Finalizado: venda concluída; importa e movimenta',
  cancelled: 'Cancelado: libera ou estorna o estoque do pedido',
  ignored: 'Ignorado: importa sem movimentar (ex.: aguardando pagamento)',
};

/** A movimentação is feminine: its labels agree. */
export const MOVEMENT_LABELS: Record<string, string> = {
  created: 'Criada',
  synced: 'Sincronizada',
  done: 'Realizada',
  failed: 'Com falha',
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

export const PLATFORM_LABELS: Record<string, string> = {
  tray: 'Tray',
  woocommerce: 'WooCommerce',
  lojaintegrada: 'Loja Integrada',
  mercos: 'Mercos',
  recompra: 'Recompra.aí',
};

/**
 * Store statuses in Portuguese where the platform names them in English (WooCommerce's own pt_BR names). The other
 * platforms already name theirs in Portuguese; an unknown code is shown as it is.
 */
const STATUS_NAMES: Record<string, Record<string, string>> = {
  woocommerce: {
    pending: 'Pagamento pendente',
    processing: 'Processando',
    'on-hold': 'Aguardando',
    completed: 'Concluído',
    cancelled: 'Cancelado',
    refunded: 'Reembolsado',
    failed: 'Malsucedido',
    'checkout-draft': 'Rascunho',
    'ready-for-pickup': 'Pronto para retirada',
    trash: 'Lixeira',
  },
  recompra: {
    awaiting_pickup: 'Aguardando retirada',
  },
};

/** The Portuguese name of a store status, or undefined when only the platform's own label (or the code) is known. */
export function statusName(platform: string, code: string, platformLabel?: string): string | undefined {
  const known = STATUS_NAMES[platform]?.[code];
  if (known) return known;
  return platformLabel && platformLabel !== code ? platformLabel : undefined;
}

const MOVEMENT_PLURALS: Record<string, string> = {
  created: 'criadas',
  synced: 'sincronizadas',
  done: 'realizadas',
  failed: 'com falha',
  cancelled: 'canceladas',
  reversed: 'estornadas',
};

/** "1 criada", "3 realizadas": movement counts in a listing. */
export function movementCount(state: string, count: number): string {
  const singular = (MOVEMENT_LABELS[state] ?? state).toLowerCase();
  return `${count} ${count === 1 ? singular : (MOVEMENT_PLURALS[state] ?? singular)}`;
}
