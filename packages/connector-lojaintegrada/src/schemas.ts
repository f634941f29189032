import * as z from 'zod';

/** LI sends money and quantities as decimal strings in GET responses and as JSON numbers in webhooks. */
const decimal = z.union([z.string(), z.number()]);
const numero = z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'numero must be digits')]);

export const SituacaoSchema = z.looseObject({
  id: z.number().int().optional(),
  codigo: z.string().min(1),
  nome: z.string().optional(),
  aprovado: z.boolean().optional(),
  cancelado: z.boolean().optional(),
  final: z.boolean().optional(),
});

export const ClienteSchema = z.looseObject({
  nome: z.string().nullish(),
  email: z.string().nullish(),
  cpf: z.string().nullish(),
  cnpj: z.string().nullish(),
  razao_social: z.string().nullish(),
  telefone_celular: z.string().nullish(),
  telefone_principal: z.string().nullish(),
});

export type Cliente = z.output<typeof ClienteSchema>;

export const EntregaSchema = z.looseObject({ nome: z.string().nullish(), razao_social: z.string().nullish(), cpf: z.string().nullish(), cnpj: z.string().nullish() });
export type Entrega = z.output<typeof EntregaSchema>;

export const ItemSchema = z.looseObject({
  id: z.union([z.number(), z.string()]).nullish(),
  // Text in the spec, a JSON number in real answers (`"sku": 345`), blank or absent for some lines.
  sku: z.union([z.string(), z.number()]).nullish(),
  nome: z.string().nullish(),
  quantidade: decimal,
  preco_venda: decimal,
  // An object in the current spec, a URI string in the old one and in summaries.
  produto: z.union([z.looseObject({ resource_uri: z.string().nullish() }), z.string()]).nullish(),
  produto_pai: z.string().nullish(),
});
export type Item = z.output<typeof ItemSchema>;

/** A search summary: enough to order the listing; `itens` is absent (LI answers summaries), so details are fetched. */
export const PedidoSummarySchema = z.looseObject({
  numero,
  data_modificacao: z.string(),
  itens: z.array(z.unknown()).optional(),
});

export const PedidoSchema = z.looseObject({
  numero,
  situacao: SituacaoSchema,
  data_criacao: z.string(),
  data_modificacao: z.string(),
  valor_subtotal: decimal,
  valor_envio: decimal.nullish(),
  valor_desconto: decimal.nullish(),
  valor_total: decimal,
  // An object in details; a URI string in summaries, which names the customer without their data.
  cliente: z.union([ClienteSchema, z.string().transform(() => null)]).nullish(),
  endereco_entrega: EntregaSchema.nullish(),
  itens: z.array(ItemSchema),
});
export type Pedido = z.output<typeof PedidoSchema>;

export const MetaSchema = z.looseObject({
  limit: z.number().int().positive(),
  offset: z.number().int().nonnegative(),
  next: z.string().nullable(),
  total_count: z.number().int().nonnegative(),
});

export const listSchema = <T extends z.ZodType>(object: T) => z.looseObject({ meta: MetaSchema, objects: z.array(object) });

export const ProdutoSchema = z.looseObject({
  id: z.number().int(),
  // Text, or a JSON number as order items show it (`345`): read as its decimal string either way.
  sku: z
    .union([z.string(), z.number().int().nonnegative()])
    .nullish()
    .transform((sku) => (typeof sku === 'number' ? String(sku) : sku)),
  tipo: z.string().nullish(),
});

export const ProdutoEstoqueSchema = z.looseObject({
  gerenciado: z.boolean().nullish(),
  quantidade: z.number().nullish(),
  situacao_em_estoque: z.number().int().nullish(),
  situacao_sem_estoque: z.number().int().nullish(),
});

/** Webhook bodies are full orders; only `numero` is needed to fetch the order back. */
export const WebhookPedidoSchema = z.looseObject({ numero });

/** A webhook body's items name their product by id (`produto_id`, `produto_id_pai`; secondary notes), not by URI. */
export const WebhookItensSchema = z.looseObject({ itens: z.array(z.looseObject({ produto_id: z.unknown(), produto_id_pai: z.unknown() })) });
