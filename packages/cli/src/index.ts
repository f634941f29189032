export { runCli, type RunOptions } from './cli.js';
export { EXIT, UsageError, type ExitCode } from './exit-codes.js';
export type { CliIo, CliStream } from './io.js';
export type { CheckRow, CheckStatus } from './doctor/report.js';
export { probeMainoCompany, productFields, type MainoProbeOptions } from './doctor/maino-probe.js';
