// For the flows tests: the CLI run in-process, as a user would type it in `cwd`, with what it printed.
import { PassThrough } from 'node:stream';
import { runFlowsCli } from '../src/cli/run-flows-cli.ts';

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: readonly string[], where: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const printed = { stdout: '', stderr: '' };
  stdout.on('data', (chunk: Buffer) => (printed.stdout += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (printed.stderr += chunk.toString()));
  const exitCode = await runFlowsCli(args, { stdout, stderr, isTTY: false, cwd: where.cwd, env: where.env ?? {} });
  return { exitCode, ...printed };
}
