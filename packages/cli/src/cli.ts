import { parseArgs } from 'node:util';
import { ConectaError, ConfigurationError, NotFoundError, redactText } from '@conecta/core';
import type { Command, CommandArgs, CommandContext } from './command.js';
import { backfill } from './commands/backfill.js';
import { doctor } from './commands/doctor.js';
import { explain } from './commands/explain.js';
import { quarantine } from './commands/quarantine.js';
import { reconcile } from './commands/reconcile.js';
import { stock } from './commands/stock.js';
import { EXIT, UsageError } from './exit-codes.js';
import { parseLang, sayIn, type Lang, type Say } from './i18n.js';
import type { CliIo } from './io.js';
import { colourFor, jsonText, writer } from './output.js';
import type { DemoOptions } from './deployment/demo.js';
import { openSession, type SessionOptions } from './session.js';
import { CLI_VERSION } from './version.js';

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  demo: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  lang: { type: 'string' },
  'no-color': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
  integration: { type: 'string', short: 'i' },
  since: { type: 'string' },
  until: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
} as const;

const GLOBAL = ['config', 'demo', 'json', 'lang', 'no-color', 'help', 'version'];

interface CommandSpec {
  run: Command;
  /** Flags the command takes besides the global ones. */
  flags: string[];
  /** With --demo: import every store and run the automatic steps first. */
  warmUp: boolean;
  usage: (say: Say) => string;
}

const COMMANDS: Record<string, CommandSpec> = {
  doctor: { run: doctor, flags: [], warmUp: true, usage: (say) => say('conecta doctor                      verificações só de leitura do Mainô e de cada integração', 'conecta doctor                      read-only checks of Mainô and every integration') },
  backfill: {
    run: backfill,
    flags: ['integration', 'since', 'until', 'dry-run'],
    warmUp: false,
    usage: (say) => say('conecta backfill --integration ID --since DATA [--until DATA] [--dry-run]   importa o histórico, retomável', 'conecta backfill --integration ID --since DATE [--until DATE] [--dry-run]   imports history, resumable'),
  },
  explain: {
    run: explain,
    flags: ['integration'],
    warmUp: true,
    usage: (say) => say('conecta explain PEDIDO | --integration ID SKU=QTD...   explica a alocação, sem gravar', 'conecta explain ORDER | --integration ID SKU=QTY...   explains the allocation, writes nothing'),
  },
  reconcile: { run: reconcile, flags: ['since', 'integration'], warmUp: true, usage: (say) => say('conecta reconcile --since DATA           compara movimentações realizadas com os pedidos do Mainô', 'conecta reconcile --since DATE           compares done movements with Mainô orders') },
  quarantine: { run: quarantine, flags: ['integration'], warmUp: true, usage: (say) => say('conecta quarantine list | show ID | retry ID   payloads recusados', 'conecta quarantine list | show ID | retry ID   refused payloads') },
  stock: { run: stock, flags: ['integration', 'dry-run', 'force'], warmUp: true, usage: (say) => say('conecta stock --dry-run [--integration ID]   o que um envio de estoque mandaria, por SKU', 'conecta stock --dry-run [--integration ID]   what a stock push would send, per SKU') },
};

export interface RunOptions {
  /** For `--demo backfill`: orders added to the demo store being backfilled. Default 150. */
  demoBackfillOrders?: number;
  /** For `--demo`: the demo's options (e.g. a Mainô fake that differs from what the client assumes). */
  demo?: DemoOptions;
}

/** Runs one `conecta` command line; resolves to the exit code (see exit-codes.ts). */
export async function runCli(argv: readonly string[], io: CliIo, options: RunOptions = {}): Promise<number> {
  const errors = writer(io.stderr);
  let lang: Lang = parseLang(io.env['CONECTA_LANG']) ?? 'pt';
  let say = sayIn(lang);
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    // The language flag may follow the mistake: look for it by hand so the message is in the right one.
    const langIndex = argv.indexOf('--lang');
    lang = parseLang(langIndex >= 0 ? argv[langIndex + 1] : undefined) ?? lang;
    say = sayIn(lang);
    errors(`${say('erro', 'error')}: ${(error as Error).message}\n${say('Use conecta --help para ver os comandos.', 'Run conecta --help for the commands.')}\n`);
    return EXIT.usage;
  }
  const values = parsed.values;
  if (values.lang !== undefined) {
    const chosen = parseLang(values.lang);
    if (!chosen) {
      errors(`${say('erro', 'error')}: --lang ${values.lang}: ${say('use pt ou en', 'use pt or en')}\n`);
      return EXIT.usage;
    }
    lang = chosen;
    say = sayIn(lang);
  }
  const [name, ...positionals] = parsed.positionals;
  if (values.version) {
    writer(io.stdout)(`${CLI_VERSION}\n`);
    return EXIT.ok;
  }
  if (values.help || !name) {
    writer(values.help ? io.stdout : io.stderr)(help(say));
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const spec = COMMANDS[name];
  if (!spec) {
    errors(`${say('erro', 'error')}: ${say(`comando desconhecido "${name}"`, `unknown command "${name}"`)}\n${help(say)}`);
    return EXIT.usage;
  }
  const given = new Set(parsed.tokens.flatMap((token) => (token.kind === 'option' ? [token.name] : [])));
  const misplaced = [...given].filter((key) => !GLOBAL.includes(key) && !spec.flags.includes(key));
  if (misplaced.length > 0) {
    errors(`${say('erro', 'error')}: ${say(`${name} não aceita --${misplaced.join(', --')}`, `${name} does not take --${misplaced.join(', --')}`)}\n  ${spec.usage(say)}\n`);
    return EXIT.usage;
  }

  const args: CommandArgs = {
    positionals,
    ...(values.integration !== undefined ? { integration: values.integration } : {}),
    ...(values.since !== undefined ? { since: values.since } : {}),
    ...(values.until !== undefined ? { until: values.until } : {}),
    dryRun: values['dry-run'],
    force: values.force,
  };
  const out = writer(io.stdout);
  const sessionOptions: SessionOptions = {
    demo: values.demo,
    configPath: values.config,
    mercosRule: name !== 'doctor',
    demoWarmUp: spec.warmUp,
    ...(options.demo ? { demoOptions: options.demo } : {}),
    ...(name === 'backfill' && args.integration ? { demoBackfill: { integrationId: args.integration, orders: options.demoBackfillOrders ?? 150 } } : {}),
  };
  let session: Awaited<ReturnType<typeof openSession>> | undefined;
  try {
    session = await openSession(io, sessionOptions);
    const context: CommandContext = {
      session,
      io,
      args,
      lang,
      say,
      json: values.json,
      paint: colourFor(io.stdout, io.env, values['no-color']),
      print: (text) => {
        if (!values.json) out(text);
      },
      note: errors,
      emit: (value) => void io.stdout.write(jsonText(value)),
    };
    return await spec.run(context);
  } catch (error) {
    return reportFailure(error, { errors, say, json: values.json, io, usage: spec.usage(say) });
  } finally {
    await session?.close().catch(() => undefined);
  }
}

function parseCommandLine(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
}

function reportFailure(error: unknown, context: { errors: (text: string) => void; say: Say; json: boolean; io: CliIo; usage: string }): number {
  const { say } = context;
  const code =
    error instanceof UsageError ? EXIT.usage : error instanceof ConfigurationError ? EXIT.config : error instanceof NotFoundError ? EXIT.failure : error instanceof ConectaError ? EXIT.failure : EXIT.failure;
  const message = redactText(error instanceof Error ? error.message : String(error));
  if (context.json) context.io.stdout.write(jsonText({ error: { code: error instanceof ConectaError ? error.code : error instanceof UsageError ? 'USAGE' : 'ERROR', message }, exitCode: code }));
  const kind = code === EXIT.config ? say('configuração', 'configuration') : say('erro', 'error');
  context.errors(`${kind}: ${message}\n${code === EXIT.usage ? `  ${context.usage}\n` : ''}`);
  if (code === EXIT.failure && !(error instanceof ConectaError) && context.io.env['CONECTA_DEBUG'] && error instanceof Error && error.stack) context.errors(`${redactText(error.stack)}\n`);
  return code;
}

function help(say: Say): string {
  return [
    say('conecta: a linha de comando do Conecta SDK para integradores', 'conecta: the Conecta SDK command line for integrators'),
    '',
    say('Comandos:', 'Commands:'),
    ...Object.values(COMMANDS).map((spec) => `  ${spec.usage(say)}`),
    '',
    say('Opções de todos os comandos:', 'Options of every command:'),
    say('  --config ARQUIVO   o arquivo do servidor (padrão: $CONECTA_CONFIG ou ./conecta.config.json); segredos vêm do ambiente', '  --config FILE      the server config file (default: $CONECTA_CONFIG or ./conecta.config.json); secrets come from the environment'),
    say('  --demo             contra os fakes em processo do npm run demo, sem contas', '  --demo             against the in-process fakes of npm run demo, no accounts needed'),
    say('  --json             um documento JSON na saída padrão, para scripts', '  --json             one JSON document on stdout, for scripts'),
    say('  --lang pt|en       idioma das mensagens (padrão pt; também CONECTA_LANG)', '  --lang pt|en       language of the messages (default pt; also CONECTA_LANG)'),
    say('  --no-color         sem cores (também NO_COLOR); cores só num terminal', '  --no-color         no colours (also NO_COLOR); colours only on a terminal'),
    '',
    say(
      'Códigos de saída: 0 ok; 1 achados (diferenças, divergências, falhas parciais); 2 uso errado; 3 configuração; 4 falha de plataforma ou do Mainô; 130 interrompido (Ctrl-C).',
      'Exit codes: 0 ok; 1 findings (differences, discrepancies, partial failures); 2 usage; 3 configuration; 4 platform or Mainô failure; 130 interrupted (Ctrl-C).',
    ),
    '',
  ].join('\n');
}
