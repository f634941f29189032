import { redactText } from '@conecta/core';
import type { CliIo, CliStream } from './io.js';

export type Tone = 'ok' | 'bad' | 'warn' | 'dim' | 'bold';

const CODES: Record<Tone, [number, number]> = { ok: [32, 39], bad: [31, 39], warn: [33, 39], dim: [2, 22], bold: [1, 22] };

/** Colour only on a terminal, and never when NO_COLOR is set or --no-color was given. */
export function colourFor(stream: CliStream, env: CliIo['env'], disabled: boolean): (tone: Tone, text: string) => string {
  const on = !disabled && stream.isTTY === true && !env['NO_COLOR'] && env['TERM'] !== 'dumb';
  return (tone, text) => (on ? `\u001b[${CODES[tone][0]}m${text}\u001b[${CODES[tone][1]}m` : text);
}

const ANSI = /\u001b\[[0-9;]*m/g;
const width = (text: string) => [...text.replace(ANSI, '').normalize('NFC')].length;

/** A plain text table: a header, a rule, and the rows, each column as wide as its widest cell. */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((header, column) => Math.max(width(header), ...rows.map((row) => width(row[column] ?? ''))));
  const render = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell + ' '.repeat(widths[column]! - width(cell))))
      .join('  ')
      .trimEnd();
  return [render(headers), widths.map((size) => '─'.repeat(size)).join('  '), ...rows.map(render)].join('\n') + '\n';
}

/** Everything printed goes through the SDK's redaction: a secret that slipped into a message never reaches the terminal. */
export function writer(stream: CliStream): (text: string) => void {
  return (text) => void stream.write(redactText(text));
}

/** JSON for scripts and bug reports: one document on stdout, secrets redacted. */
export function jsonText(value: unknown): string {
  return `${redactText(JSON.stringify(value, null, 2))}\n`;
}
