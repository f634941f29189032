import type { CompanyGroup } from '../models/company.js';
import type { Integration } from '../models/integration.js';

/**
 * Why a configuration breaks the Mercos rule. Mainô integrates with Mercos directly for a single company, so Conecta
 * carries Mercos orders only for a group of several CNPJs sharing one Mercos account:
 * - `single-company`: a Mercos integration on a one-company group, without `noDirectIntegration` (each order would
 *   reach Mainô twice, once through Mainô's own integration and once through Conecta);
 * - `several-accounts`: more than one Mercos integration in one group.
 */
export type MercosRuleViolation =
  | { kind: 'single-company'; groupId: string; integrationId: string }
  | { kind: 'several-accounts'; groupId: string; integrationIds: string[] };

/** Every breach of the Mercos rule in a configuration, in the order of the groups; empty when it holds. */
export function mercosRuleViolations(
  groups: ReadonlyArray<Pick<CompanyGroup, 'id' | 'companies'>>,
  integrations: ReadonlyArray<Pick<Integration, 'id' | 'platform' | 'groupId' | 'noDirectIntegration'>>,
): MercosRuleViolation[] {
  const violations: MercosRuleViolation[] = [];
  for (const group of groups) {
    const mercos = integrations.filter((integration) => integration.platform === 'mercos' && integration.groupId === group.id);
    if (mercos.length > 1) violations.push({ kind: 'several-accounts', groupId: group.id, integrationIds: mercos.map((integration) => integration.id) });
    if (group.companies.length > 1) continue;
    for (const integration of mercos) {
      if (!integration.noDirectIntegration) violations.push({ kind: 'single-company', groupId: group.id, integrationId: integration.id });
    }
  }
  return violations;
}

/** One line in English per violation, for errors thrown by code (the example and the CLI say it in Portuguese). */
export function describeMercosViolation(violation: MercosRuleViolation): string {
  if (violation.kind === 'several-accounts') {
    return `group "${violation.groupId}" has ${violation.integrationIds.length} Mercos integrations (${violation.integrationIds.join(', ')}): Conecta carries one Mercos account per group`;
  }
  return (
    `Mercos integration "${violation.integrationId}" is on group "${violation.groupId}", which has one company: Mainô integrates with Mercos ` +
    'directly there, so its orders would be created twice. Set noDirectIntegration: true only if that direct integration is not in use'
  );
}
