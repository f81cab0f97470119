// What the CLI reads from and writes to, injected so tests run it in-process: streams, the terminal, the
// directory the command was typed in, the environment.
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
  /** Where the user typed the command: paths and the config file are resolved from here. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /**
   * Standard input, opened only by --nifi-password-stdin / --airflow-password-stdin (a function: touching
   * process.stdin creates a handle that can keep the process from exiting when nothing reads it).
   */
  stdin?: (() => NodeJS.ReadableStream) | undefined;
  /** Aborted on SIGINT/SIGTERM: a command stops waiting for the lock, or stops between steps and releases it. */
  signal?: AbortSignal | undefined;
}

/**
 * The directory the user typed the command in. Run through this repository's own `pnpm flows` script,
 * the process starts in the repository root and pnpm keeps the user's directory in INIT_CWD; anywhere
 * else (the installed `flows` binary, npx, another package's script) it is the process's own directory.
 */
export function commandDirectory(env: NodeJS.ProcessEnv, processDirectory: string): string {
  const repositoryScript = env['npm_lifecycle_event'] === 'flows' && env['npm_package_name'] === 'dataplat';
  return repositoryScript && env['INIT_CWD'] ? env['INIT_CWD'] : processDirectory;
}
