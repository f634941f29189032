import { runCli } from './cli.js';
import { EXIT } from './exit-codes.js';

/**
 * The process around `runCli`: the first Ctrl-C (or SIGTERM) asks the command to stop at a safe point (a backfill
 * finishes the page it is storing and keeps its cursor); a second one exits at once.
 */
const controller = new AbortController();
let interrupts = 0;
const onSignal = () => {
  interrupts += 1;
  if (interrupts > 1) process.exit(EXIT.interrupted);
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), interrupt: controller.signal }).then((code) => {
  // Keep-alive sockets and timers of the platforms' clients must not hold the process once the command is done.
  process.exit(code);
});
