import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { StackError } from '../errors.ts';

const execFileAsync = promisify(execFile);

/** Runs an installation step (tar, javac, uv …), turning a failure into a STACK_INSTALL_FAILED with its output. */
export async function runInstallCommand(
  service: string,
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; uid?: number; gid?: number } = {},
): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, {
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(options.uid !== undefined ? { uid: options.uid } : {}),
      ...(options.gid !== undefined ? { gid: options.gid } : {}),
      env: options.env ?? process.env,
      maxBuffer: 256 * 1024 * 1024,
      timeout: options.timeoutMs ?? 15 * 60_000,
    });
    return stdout;
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string };
    const details = `${output.stderr ?? ''}\n${output.stdout ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new StackError({
      code: 'STACK_INSTALL_FAILED',
      service,
      message: `${service}: \`${command} ${args.join(' ')}\` failed.\n${details}`,
      cause: error,
    });
  }
}
