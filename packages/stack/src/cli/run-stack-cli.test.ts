import { describe, expect, it } from 'vitest';
import { runCaptured } from '../../test/run-captured.ts';

describe('dataplat-stack usage errors (exit code 2)', () => {
  it('prints usage without a command', async () => {
    const result = await runCaptured([]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Usage: dataplat-stack <command>');
  });

  it('names an unknown command', async () => {
    const result = await runCaptured(['start']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Unknown command "start".');
  });

  it('names an unknown service and lists the known ones, also as JSON', async () => {
    const result = await runCaptured(['status', 'kafka', '--json']);
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      error: { code: 'STACK_CONFIG_INVALID', message: expect.stringContaining('Unknown service "kafka" in the command line.') },
    });
  });

  it('rejects unknown options', async () => {
    const result = await runCaptured(['up', '--fast']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("Unknown option '--fast'");
  });

  it('shows help on --help with exit code 0', async () => {
    const result = await runCaptured(['--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Exit codes: 0 success, 1 failure, 2 usage error.');
  });
});
