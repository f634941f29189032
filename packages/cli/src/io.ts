/** Where a run writes and what it reads from its surroundings; the bin passes the process's, tests their own. */
export interface CliStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Aborted on Ctrl-C (SIGINT): long commands stop at a safe point. */
  interrupt: AbortSignal;
}
