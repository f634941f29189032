/**
 * Fair shares of the work queue, for stores that pick claims in code (memory, SQLite; PostgreSQL does the same in
 * SQL). Claims rotate between tenants (a company group: all its integrations), and between the integrations of a
 * tenant; each integration's orders come oldest first. The store remembers when it last served each integration, so
 * the rotation carries on from one claim to the next: a worker that claims one order at a time still serves every
 * tenant in turn instead of always the one whose oldest order is oldest.
 */
export interface ClaimCandidate {
  integrationId: string;
  updatedAt: string;
  /** Insertion order: breaks ties between orders updated at the same instant. */
  seq: number;
}

export interface ClaimRotationInput<T extends ClaimCandidate> {
  /** Each integration's claimable orders, oldest first (at most `limit` of each is enough). */
  queues: ReadonlyMap<string, readonly T[]>;
  /** Integration id → tenant; an integration left out is a tenant of its own. */
  tenants?: Readonly<Record<string, string>>;
  /** The turn at which the store last served each integration (those in `tenants` too); never served: undefined. */
  servedAt: (integrationId: string) => number | undefined;
  limit: number;
}

/** The orders to claim, in the order they were picked. */
export function pickClaims<T extends ClaimCandidate>({ queues, tenants, servedAt, limit }: ClaimRotationInput<T>): T[] {
  const served = (integrationId: string) => servedAt(integrationId) ?? -1;
  const tenantServed = new Map<string, number>();
  for (const integrationId of new Set([...queues.keys(), ...Object.keys(tenants ?? {})])) {
    const tenant = tenants?.[integrationId] ?? integrationId;
    tenantServed.set(tenant, Math.max(tenantServed.get(tenant) ?? -1, served(integrationId)));
  }
  const byTenant = new Map<string, Array<{ integrationId: string; queue: readonly T[] }>>();
  for (const [integrationId, queue] of queues) {
    if (queue.length === 0) continue;
    const tenant = tenants?.[integrationId] ?? integrationId;
    const members = byTenant.get(tenant) ?? [];
    members.push({ integrationId, queue });
    byTenant.set(tenant, members);
  }
  // Within a tenant: the integration served longest ago first, then the one whose oldest order is oldest.
  const lines = [...byTenant].map(([tenant, members]) => {
    members.sort((a, b) => served(a.integrationId) - served(b.integrationId) || compareAge(a.queue[0]!, b.queue[0]!));
    const line: T[] = [];
    for (let turn = 0; members.some((member) => member.queue.length > turn); turn += 1) {
      for (const member of members) if (member.queue[turn]) line.push(member.queue[turn]!);
    }
    const oldest = members.map((member) => member.queue[0]!).sort(compareAge)[0]!;
    return { tenant, line, served: tenantServed.get(tenant) ?? -1, oldest };
  });
  // Between tenants: the one served longest ago first, then the one whose oldest order is oldest. A tenant was served
  // when any of its integrations was, including those with nothing left to claim now.
  
  lines.sort((a, b) => a.served - b.served || compareAge(a.oldest, b.oldest));
  const picked: T[] = [];
  const wanted = Math.max(0, Math.trunc(limit));
  for (let turn = 0; picked.length < wanted && lines.some((entry) => entry.line.length > turn); turn += 1) {
    for (const entry of lines) if (entry.line[turn] && picked.length < wanted) picked.push(entry.line[turn]!);
  }
  return picked;
}

/**
 * The turns to record after a claim that picked `picked` (in order) and started at turn `base`: each integration's
 * last pick. `base` must exceed every turn recorded before; the next claim starts at the returned `next`.
 */
export function servedTurns(picked: readonly ClaimCandidate[], base: number): { turns: Map<string, number>; next: number } {
  const turns = new Map<string, number>();
  picked.forEach((candidate, position) => turns.set(candidate.integrationId, base + position));
  return { turns, next: base + picked.length };
}

function compareAge(a: ClaimCandidate, b: ClaimCandidate): number {
  return a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : a.seq - b.seq;
}
