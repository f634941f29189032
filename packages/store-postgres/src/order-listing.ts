import type { OrderQuery } from '@conecta/core';
import { filterSql } from './order-filter-sql.js';
import { ORDER_COLUMNS } from './rows.js';

export interface ListingSql {
  /** Identifies the statement shape: the same shape always gives the same SQL, so it can be a prepared statement. */
  key: string;
  /** Takes `values` followed by limit and offset; each row carries the total match count. */
  pageSql: string;
  countSql: string;
  values: unknown[];
}

/** The SQL of one `listOrders` query on the quoted schema `s`. */
export function listingSql(s: string, query: OrderQuery): ListingSql {
  const filter = query.filter ?? 'all';
  const where: string[] = [filterSql(filter)];
  const values: unknown[] = [];
  const shape: string[] = [filter.replace(/\W/g, '_')];
  if (query.integrationId) {
    values.push(query.integrationId);
    where.push(`o.integration_id = $${values.length}`);
    shape.push('integration');
  }
  if (query.integrationIds) {
    values.push(query.integrationIds);
    where.push(`o.integration_id = ANY($${values.length}::text[])`);
    shape.push('integrations');
  }
  const search = query.search?.trim().toLowerCase();
  if (search) {
    values.push(search);
    where.push(`(strpos(lower(o.number), $${values.length}) > 0 OR strpos(lower(o.external_id), $${values.length}) > 0)`);
    shape.push('search');
  }
  const condition = where.join(' AND ');
  return {
    key: shape.join('_'),
    pageSql: `SELECT ${ORDER_COLUMNS}, count(*) OVER ()::int AS total_count FROM ${s}.orders o WHERE ${condition}
      ORDER BY o.created_at DESC, o.id DESC LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
    countSql: `SELECT count(*)::int AS total FROM ${s}.orders o WHERE ${condition}`,
    values,
  };
}
