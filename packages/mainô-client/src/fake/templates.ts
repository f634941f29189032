/**
 * Shapes the fake answers with, copied from the reconstructed real payloads in
 * `tests/fixtures/platforms/maino/` (see SOURCES.md there; a test checks these copies still match). Only the keys and
 * value formats are used: the fake fills in its own values.
 */

/** First order of `pedidos-page.reconstructed.json`: the keys real `GET /pedidos` answers were seen with. */
export const REAL_ORDER_TEMPLATE = {
  id: '44147ec9-c93f-423c-b59e-6d9f39001538',
  numero: '884',
  status: 'Pedido gerado',
  itens: [
    { codigo: 'ALL1255', quantidade: '1.0' },
    { codigo: 'ALL1351', quantidade: '1.0' },
  ],
} as const;

/** `nota-fiscal-aceita.reconstructed.json`. */
export const REAL_INVOICE_TEMPLATE = {
  nota_fiscal: {
    id: 'd8e3c5a1-02c1-4f42-a4c2-9d35c6570ee6',
    status: 'ACEITA',
    danfe_url: 'https://api.maino.com.br/danfe/d8e3c5a1-02c1-4f42-a4c2-9d35c6570ee6/35260750917710000159550010000030441411999807',
  },
} as const;

/** The status label of an open order in real answers. */
export const OPEN_STATUS_LABEL = REAL_ORDER_TEMPLATE.status;
/** Not seen in any answer (the real client dropped other statuses): assumed. */
export const CANCELLED_STATUS_LABEL = 'Cancelado';

/** Real quantities always carry one decimal place at least: "1.0", "2.0". */
export function realQuantity(plain: string): string {
  return plain.includes('.') ? plain : `${plain}.0`;
}
