import type { OrderQuery } from '@conecta/core';
import { filterSql } from './order-filter-sql.js';

export interface ListingSql {
  /** Identifies the statement shape, for the statement cache. */
  key: string;
  pageSql: string;
  countSql: string;
  params: Record<string, string | number>;
}

/** The SQL of one `listOrders` query. The same query shape always gives the same SQL, so statements can be cached. */
export function listingSql(query: OrderQuery): ListingSql {
  const where: string[] = [filterSql(query.filter ?? 'all')];
  const params: Record<string, string | number> = {};
  const shape: string[] = [query.filter ?? 'all'];
  if (query.integrationId) {
    where.push('o.integration_id = @integration_id');
    params['integration_id'] = query.integrationId;
    shape.push('integration');
  }
  if (query.integrationIds) {
    where.push('o.integration_id IN (SELECT value FROM json_each(@integration_ids))');
    params['integration_ids'] = JSON.stringify(query.integrationIds);
    shape.push('integrations');
  }
  const search = query.search?.trim().toLowerCase();
  if (search) {
    where.push('(instr(conecta_lower(o.number), @search) > 0 OR instr(conecta_lower(o.external_id), @search) > 0)');
    params['search'] = search;
    shape.push('search');
  }
  const condition = where.join(' AND ');
  return {
    key: shape.join('|'),
    pageSql: `SELECT o.* FROM orders o WHERE ${condition} ORDER BY o.created_at DESC, o.id DESC LIMIT @limit OFFSET @offset`,
    countSql: `SELECT count(*) AS total FROM orders o WHERE ${condition}`,
    params,
  };
}
