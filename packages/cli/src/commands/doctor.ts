import { existsSync } from 'node:fs';
import { describeMercosViolation, formatCnpj, mercosRuleViolations, normaliseCnpj, registerSecret, type StatusDictionary } from '@conecta/core';
import { authenticate, MAINO_BASE_URL } from '@conecta/maino-client';
import type { CommandContext } from '../command.js';
import { fromEnv, mercosViolationPt, openStore } from '../deployment/index.js';
import { checkIntegration } from '../doctor/integration-checks.js';
import { describe, probeMainoCompany } from '../doctor/maino-probe.js';
import { summarise, type CheckRow, type CheckStatus } from '../doctor/report.js';
import { EXIT } from '../exit-codes.js';
import { table } from '../output.js';
import { CLI_VERSION } from '../version.js';

/** `conecta doctor`: read-only checks of Mainô and of every integration; never a write on a platform or in Mainô. */
export async function doctor(context: CommandContext): Promise<number> {
  const { session, say } = context;
  const { config, env } = session;
  const rows: CheckRow[] = [];

  rows.push({ scope: 'config', check: 'config.file', label: say('arquivo de configuração', 'config file'), status: 'ok', came: session.source === 'demo' ? say('demonstração (fakes locais)', 'demo (local fakes)') : session.source });
  const violations = mercosRuleViolations(config.groups, config.integrations);
  if (violations.length === 0) {
    rows.push({ scope: 'config', check: 'config.mercos-rule', label: say('regra do Mercos', 'Mercos rule'), status: 'ok', came: say('uma conta Mercos por grupo de vários CNPJs', 'one Mercos account per group of several CNPJs') });
  }
  for (const violation of violations) {
    rows.push({
      scope: 'config',
      check: 'config.mercos-rule',
      label: say('regra do Mercos', 'Mercos rule'),
      status: 'differs',
      expected: say('uma conta Mercos por grupo de vários CNPJs', 'one Mercos account per group of several CNPJs'),
      came: context.lang === 'en' ? describeMercosViolation(violation) : mercosViolationPt(violation, config),
    });
  }

  const baseUrl = config.maino.baseUrl ?? MAINO_BASE_URL;
  rows.push(...(await checkLogin(context, baseUrl)));
  const companies = config.groups.flatMap((group) => group.companies.map((company) => ({ ...company, groupId: group.id })));
  const keys = new Map(Object.entries(config.maino.apiKeys).map(([cnpj, reference]) => [normaliseCnpj(cnpj) ?? cnpj, { cnpj, reference }]));
  const probes = companies.map(async (company): Promise<CheckRow[]> => {
    const key = keys.get(company.cnpj);
    if (!key) {
      return [{ scope: `maino:${company.cnpj}`, check: 'maino.auth', label: say('autenticação (chave de API)', 'authentication (API key)'), status: 'error', came: say('nenhuma chave em maino.apiKeys', 'no key in maino.apiKeys') }];
    }
    try {
      const apiKey = fromEnv(key.reference, `maino.apiKeys.${key.cnpj}`, env as NodeJS.ProcessEnv)!;
      return await probeMainoCompany({
        baseUrl,
        cnpj: company.cnpj,
        companyName: company.name,
        apiKey,
        say,
        signal: context.io.interrupt,
        ...(config.maino.rateLimit ? { rateLimit: { ...config.maino.rateLimit, source: 'config' } } : {}),
      });
    } catch (error) {
      return [{ scope: `maino:${company.cnpj}`, check: 'maino.auth', label: say('autenticação (chave de API)', 'authentication (API key)'), status: 'error', came: describe(error, say) }];
    }
  });
  for (const found of await Promise.all(probes)) rows.push(...found);

  const dictionaries = await storedDictionaries(context);
  const checks = config.integrations.map((entry, index) =>
    checkIntegration({ entry, index, env, say, signal: context.io.interrupt, ...(dictionaries.has(entry.id) ? { storedDictionary: dictionaries.get(entry.id)! } : {}) }),
  );
  for (const found of await Promise.all(checks)) rows.push(...found);

  const summary = summarise(rows);
  const code = summary.differs > 0 || summary.error > 0 ? EXIT.findings : EXIT.ok;
  if (context.json) {
    context.emit({ tool: 'conecta doctor', version: CLI_VERSION, generatedAt: new Date().toISOString(), source: session.source, node: process.version, summary, rows });
    return code;
  }
  const scopeName = (scope: string): string => {
    if (scope === 'config') return say('configuração', 'config');
    if (scope.startsWith('maino:')) {
      const cnpj = scope.slice('maino:'.length);
      return `Mainô ${formatCnpj(cnpj)} ${companies.find((company) => company.cnpj === cnpj)?.name ?? ''}`.trimEnd();
    }
    const id = scope.slice('integration:'.length);
    const entry = config.integrations.find((candidate) => candidate.id === id);
    return entry ? `${id} (${entry.name})` : id;
  };
  const statusText: Record<CheckStatus, string> = { ok: 'ok', differs: say('difere', 'differs'), unknown: say('desconhecido', 'unknown'), error: say('erro', 'error') };
  const tone = { ok: 'ok', differs: 'warn', unknown: 'dim', error: 'bad' } as const;
  let previous = '';
  const body = rows.map((row) => {
    const where = row.scope === previous ? '' : scopeName(row.scope);
    previous = row.scope;
    const detail = [
      row.came,
      row.status === 'differs' || row.status === 'error' ? (row.expected ? say(`esperado: ${row.expected}`, `expected: ${row.expected}`) : undefined) : undefined,
      row.note,
    ]
      .filter(Boolean)
      .join(' — ');
    return [where, row.label, context.paint(tone[row.status], statusText[row.status]), detail];
  });
  context.print(table([say('onde', 'where'), say('verificação', 'check'), say('situação', 'status'), say('detalhe', 'detail')], body));
  context.print(
    `\n${say(
      `${summary.ok} ok, ${summary.differs} diferem, ${summary.unknown} desconhecidos, ${summary.error} erros. Nada foi gravado em nenhuma plataforma nem no Mainô.`,
      `${summary.ok} ok, ${summary.differs} differ, ${summary.unknown} unknown, ${summary.error} errors. Nothing was written on any platform or in Mainô.`,
    )}\n${say('Para anexar a um relato de problema: conecta doctor --json > doctor.json (segredos ocultados).', 'To attach to a bug report: conecta doctor --json > doctor.json (secrets redacted).')}\n`,
  );
  return code;
}

/** The people's login (application_uid + e-mail and password) and which companies it reaches, when given. */
async function checkLogin(context: CommandContext, baseUrl: string): Promise<CheckRow[]> {
  const { say, session } = context;
  const label = say('login do Mainô (application_uid)', 'Mainô login (application_uid)');
  const email = session.env['MAINO_EMAIL'];
  const password = session.env['MAINO_PASSWORD'];
  if (!email || !password) {
    return [{ scope: 'config', check: 'maino.login', label, status: 'unknown', note: say('defina MAINO_EMAIL e MAINO_PASSWORD para verificar o login e as empresas que ele alcança', 'set MAINO_EMAIL and MAINO_PASSWORD to check the login and the companies it reaches') }];
  }
  // One sign-in per run: the password may be registered for redaction without piling up.
  registerSecret(password);
  try {
    const applicationUid = fromEnv(session.config.maino.applicationUid, 'maino.applicationUid', session.env as NodeJS.ProcessEnv)!;
    const reached = await authenticate({ baseUrl, applicationUid, email, password, signal: context.io.interrupt });
    const configured = session.config.groups.flatMap((group) => group.companies.map((company) => company.cnpj));
    const missing = configured.filter((cnpj) => !reached.some((company) => company.cnpj === cnpj));
    const came = reached.map((company) => `${formatCnpj(company.cnpj)}${company.companyName ? ` ${company.companyName}` : ''}`).join(', ') || say('nenhuma empresa', 'no company');
    if (missing.length === 0) return [{ scope: 'config', check: 'maino.login', label, status: 'ok', came: say(`alcança ${came}`, `reaches ${came}`) }];
    return [
      {
        scope: 'config',
        check: 'maino.login',
        label,
        status: 'differs',
        expected: say('todas as empresas configuradas', 'every configured company'),
        came: say(`alcança ${came}; faltam ${missing.map(formatCnpj).join(', ')}`, `reaches ${came}; missing ${missing.map(formatCnpj).join(', ')}`),
      },
    ];
  } catch (error) {
    return [{ scope: 'config', check: 'maino.login', label, status: 'error', came: describe(error, say) }];
  }
}

/** Dictionaries edited on the dashboard live in the store and win over the config's; read them when a store exists. */
async function storedDictionaries(context: CommandContext): Promise<Map<string, StatusDictionary>> {
  const found = new Map<string, StatusDictionary>();
  const { config, env } = context.session;
  // The doctor does not create a store: a SQLite file that is not there yet has no edits.
  if (context.session.demo || (config.store.kind === 'sqlite' && (config.store.path === ':memory:' || !existsSync(config.store.path)))) return found;
  try {
    const store = await openStore(config, env as NodeJS.ProcessEnv);
    try {
      for (const entry of config.integrations) {
        const stored = await store.getStatusDictionary?.(entry.id);
        if (stored) found.set(entry.id, stored.dictionary);
      }
    } finally {
      await store.close();
    }
  } catch {
    // An unreachable store is not the doctor's subject; the config's dictionaries are checked instead.
  }
  return found;
}
