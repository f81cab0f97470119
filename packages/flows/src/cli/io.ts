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
