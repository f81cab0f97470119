// What the CLI reads from and writes to, injected so tests run it in-process: streams, the terminal, the
// directory the command was typed in, the environment.
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
  /** Where the user typed the command: paths and the config file are resolved from here. */
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The directory the user typed the command in. Run through the repository's `pnpm flows` script, the
 * process starts in the repository root and pnpm keeps the user's directory in INIT_CWD; anywhere else
 * (the installed `flows` binary, npx, a script that cds first) it is the process's own directory.
 */
export function commandDirectory(env: NodeJS.ProcessEnv, processDirectory: string): string {
  return env['npm_lifecycle_event'] === 'flows' && env['INIT_CWD'] ? env['INIT_CWD'] : processDirectory;
}
