/** Answers in Tray's shapes: JSON errors as `{ message, code, causes }`, lists with `paging` and per-record wrappers. */

export const MAX_LIMIT = 50;
const DEFAULT_LIMIT = 30;

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

export const trayError = (status: number, message: string, causes: string[] = [], extra: Record<string, unknown> = {}): Response =>
  json(status, { message, code: status, causes, ...extra });

// Tray documents no Retry-After; the fake sends one so the wait is observable, and the README flags it as unconfirmed.
export const tooManyRequests = (seconds: number): Response =>
  json(429, { message: 'Too Many Requests', code: 429, causes: ['Limite de requisições excedido'] }, { 'retry-after': String(seconds) });

export function listEnvelope(key: string, itemKey: string, items: unknown[], query: URLSearchParams, applied: Record<string, string>[] = []): Response {
  const limit = query.has('limit') ? Number(query.get('limit')) : DEFAULT_LIMIT;
  const page = query.has('page') ? Number(query.get('page')) : 1;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) return trayError(400, 'Bad Request', [`O limite máximo de registros por página é ${MAX_LIMIT}`]);
  if (!Number.isInteger(page) || page < 1) return trayError(400, 'Bad Request', ['Página inválida']);
  const slice = items.slice((page - 1) * limit, page * limit);
  return json(200, {
    paging: { total: items.length, page, offset: (page - 1) * limit, limit, maxLimit: MAX_LIMIT },
    sort: [{ id: query.get('sort')?.endsWith('desc') ? 'desc' : 'asc' }],
    availableFilters: ['id', 'status', 'modified', 'date', 'reference'],
    appliedFilters: applied,
    [key]: slice.map((item) => ({ [itemKey]: item })),
  });
}
