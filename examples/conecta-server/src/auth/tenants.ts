import type { CompanyGroup } from '@conecta/core';

/**
 * A user may see and act on a group only when their Mainô login reaches every company of it: acting on a group
 * moves stock in all of its companies.
 */
export function groupsForCompanies(groups: readonly CompanyGroup[], cnpjs: readonly string[]): string[] {
  const reachable = new Set(cnpjs);
  return groups.filter((group) => group.companies.every((company) => reachable.has(company.cnpj))).map((group) => group.id);
}
