import { defineStatusDictionary, type IntakeState, type StatusDictionary } from '@conecta/core';

export interface LojaIntegradaSituacao {
  id: number;
  codigo: string;
  nome: string;
  aprovado: boolean;
  cancelado: boolean;
  final: boolean;
  /** The intake state the default dictionary gives it. */
  state: IntakeState;
}

/**
 * The 13 situações every store has (ids and flags from `GET /v1/situacao` as embedded in public clients). Mapping is
 * by `codigo`, never by the flags: `aprovado` is true for a dispute and a chargeback, which are not sales to fulfil.
 */
export const LOJAINTEGRADA_SITUACOES: readonly LojaIntegradaSituacao[] = [
  { id: 9, codigo: 'pedido_efetuado', nome: 'Pedido Efetuado', aprovado: false, cancelado: false, final: false, state: 'ignored' },
  { id: 2, codigo: 'aguardando_pagamento', nome: 'Aguardando pagamento', aprovado: false, cancelado: false, final: false, state: 'ignored' },
  { id: 3, codigo: 'pagamento_em_analise', nome: 'Pagamento em análise', aprovado: false, cancelado: false, final: false, state: 'ignored' },
  { id: 4, codigo: 'pedido_pago', nome: 'Pedido Pago', aprovado: true, cancelado: false, final: false, state: 'pending' },
  { id: 17, codigo: 'em_producao', nome: 'Em produção', aprovado: true, cancelado: false, final: false, state: 'pending' },
  { id: 15, codigo: 'pedido_em_separacao', nome: 'Pedido em separação', aprovado: true, cancelado: false, final: false, state: 'pending' },
  { id: 11, codigo: 'pedido_enviado', nome: 'Pedido Enviado', aprovado: true, cancelado: false, final: true, state: 'finalized' },
  { id: 13, codigo: 'pronto_para_retirada', nome: 'Pedido pronto para retirada', aprovado: true, cancelado: false, final: true, state: 'finalized' },
  { id: 14, codigo: 'pedido_entregue', nome: 'Pedido Entregue', aprovado: true, cancelado: false, final: true, state: 'finalized' },
  // Money is contested: nothing to ship until the dispute is settled, and nothing to reverse yet either.
  { id: 6, codigo: 'pagamento_em_disputa', nome: 'Pagamento em disputa', aprovado: true, cancelado: false, final: false, state: 'ignored' },
  // LI keeps cancelado=false here and the goods may already be gone, so reversing stock is the merchant's call.
  { id: 16, codigo: 'pedido_chargeback', nome: 'Pagamento em chargeback', aprovado: true, cancelado: false, final: true, state: 'ignored' },
  { id: 7, codigo: 'pagamento_devolvido', nome: 'Pagamento devolvido', aprovado: false, cancelado: true, final: true, state: 'cancelled' },
  { id: 8, codigo: 'pedido_cancelado', nome: 'Pedido Cancelado', aprovado: false, cancelado: true, final: true, state: 'cancelled' },
];

/**
 * Codes seen only in secondary notes on the current spec; ids and flags are unconfirmed, so only the state is given.
 * `cancelamento_solicitado` is a request (cancelado=true, final=false): stock stays put until LI says cancelled.
 */
export const LOJAINTEGRADA_UNCONFIRMED_SITUACOES: Readonly<Record<string, { nome: string; state: IntakeState }>> = {
  faturado: { nome: 'Faturado', state: 'pending' },
  cancelamento_solicitado: { nome: 'Cancelamento solicitado', state: 'ignored' },
  pagamento_devolvido_sem_retorno: { nome: 'Pagamento devolvido sem retorno', state: 'cancelled' },
};

/** The default dictionary: the 13 known codes plus the unconfirmed ones, each overridable per integration. */
export function lojaIntegradaDefaultStatusDictionary(overrides: Record<string, IntakeState> = {}): StatusDictionary {
  const entries: Record<string, { state: IntakeState; label: string }> = {};
  for (const situacao of LOJAINTEGRADA_SITUACOES) entries[situacao.codigo] = { state: situacao.state, label: situacao.nome };
  for (const [codigo, { nome, state }] of Object.entries(LOJAINTEGRADA_UNCONFIRMED_SITUACOES)) entries[codigo] = { state, label: nome };
  for (const [codigo, state] of Object.entries(overrides)) entries[codigo] = { state, label: entries[codigo]?.label ?? codigo };
  return defineStatusDictionary('lojaintegrada', entries);
}
