import type { Lang, Say } from './i18n.js';
import type { CliIo } from './io.js';
import type { Tone } from './output.js';
import type { Session } from './session.js';

/** The parsed command line, already checked against what the command accepts. */
export interface CommandArgs {
  positionals: string[];
  integration?: string;
  since?: string;
  until?: string;
  dryRun: boolean;
  force: boolean;
}

/** What every command gets: the session, the language, and the ways to print. */
export interface CommandContext {
  session: Session;
  io: CliIo;
  args: CommandArgs;
  lang: Lang;
  say: Say;
  json: boolean;
  /** Colours text on a terminal (stdout); plain otherwise. */
  paint: (tone: Tone, text: string) => string;
  /** Human output (stdout); silent with --json. */
  print: (text: string) => void;
  /** Progress and notices (stderr). */
  note: (text: string) => void;
  /** The JSON document (stdout), with --json. */
  emit: (value: unknown) => void;
}

export type Command = (context: CommandContext) => Promise<number>;
