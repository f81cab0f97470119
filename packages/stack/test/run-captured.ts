import { PassThrough } from 'node:stream';
import { runStackCli } from '../src/cli/run-stack-cli.ts';

/** Runs the dataplat-stack CLI in-process with captured output streams. */
export async function runCaptured(argv: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  stdout.on('data', (chunk: Buffer) => chunks.stdout.push(chunk));
  stderr.on('data', (chunk: Buffer) => chunks.stderr.push(chunk));
  const exitCode = await runStackCli(argv, { stdout, stderr, isTTY: false });
  return { exitCode, stdout: Buffer.concat(chunks.stdout).toString(), stderr: Buffer.concat(chunks.stderr).toString() };
}
