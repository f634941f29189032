import { count, type Say } from './i18n.js';
import type { CliStream } from './io.js';

export interface ProgressState {
  pages: number;
  orders: number;
  refused: number;
  /** The newest change seen so far (ISO); listings go oldest change first, so it says how far through the range we are. */
  reachedAt?: string;
}

export interface ProgressOptions {
  stream: CliStream;
  say: Say;
  /** Start and end of the range (epoch ms), for the bar and the estimate. */
  fromMs: number;
  toMs: number;
  /** Least time between two lines when the stream is not a terminal. Default 1 s. */
  lineIntervalMs?: number;
  now?: () => number;
}

export interface Progress {
  update(state: ProgressState): void;
  /** Ends the bar's line on a terminal. */
  finish(): void;
}

const WIDTH = 24;

/**
 * A one-line progress report: a bar over the date range, orders, pages, rate, time left and refused payloads. On a
 * terminal it redraws in place; elsewhere (a log, CI) it prints a line per page at most once a second.
 */
export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const started = now();
  const tty = options.stream.isTTY === true;
  let lastLine = Number.NEGATIVE_INFINITY;
  let drawn = false;

  const render = (state: ProgressState): string => {
    const { say } = options;
    const elapsedS = Math.max(0.001, (now() - started) / 1000);
    const span = options.toMs - options.fromMs;
    const reached = state.reachedAt ? Date.parse(state.reachedAt) : Number.NaN;
    const fraction = span > 0 && Number.isFinite(reached) ? Math.min(1, Math.max(0, (reached - options.fromMs) / span)) : undefined;
    const rate = state.orders / elapsedS;
    const parts = [
      fraction === undefined ? '' : `[${'█'.repeat(Math.round(fraction * WIDTH)).padEnd(WIDTH, '░')}] ${String(Math.floor(fraction * 100)).padStart(3)}%`,
      say(count(state.orders, 'pedido', 'pedidos'), count(state.orders, 'order', 'orders')),
      say(count(state.pages, 'página', 'páginas'), count(state.pages, 'page', 'pages')),
      // A rate over less than a second says nothing yet.
      elapsedS < 1 ? '' : say(`${rate.toFixed(1)} pedidos/s`, `${rate.toFixed(1)} orders/s`),
      fraction !== undefined && fraction > 0 && fraction < 1 ? say(`faltam ~${clock((elapsedS * (1 - fraction)) / fraction)}`, `~${clock((elapsedS * (1 - fraction)) / fraction)} left`) : '',
      say(count(state.refused, 'recusado', 'recusados'), `${state.refused} refused`),
    ];
    return parts.filter(Boolean).join(' · ');
  };

  return {
    update(state) {
      if (tty) {
        options.stream.write(`\r\u001b[2K${render(state)}`);
        drawn = true;
        return;
      }
      const at = now();
      if (at - lastLine < (options.lineIntervalMs ?? 1000)) return;
      lastLine = at;
      options.stream.write(`${render(state)}\n`);
    },
    finish() {
      if (tty && drawn) options.stream.write('\n');
    },
  };
}

function clock(seconds: number): string {
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
}
