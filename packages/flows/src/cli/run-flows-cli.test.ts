import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { flowJsonSchema } from '../model/flow-schema.ts';
import { runFlowsCli } from './run-flows-cli.ts';

const repositoryRoot = join(import.meta.dirname, '..', '..', '..', '..');

async function run(args: string[], cwd = repositoryRoot) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: '', stderr: '' };
  stdout.on('data', (chunk: Buffer) => (chunks.stdout += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (chunks.stderr += chunk.toString()));
  const exitCode = await runFlowsCli(args, { stdout, stderr, isTTY: false, cwd, env: {} });
  return { exitCode, ...chunks };
}

describe('flows validate', () => {
  it('accepts the example flows in flows/ (offline, exit 0)', async () => {
    const result = await run(['validate']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/\d+ file\(s\): 0 error\(s\), 0 warning\(s\)\./);
  });

  it('reports every problem of the invalid corpus with file:line:col and exits 1', async () => {
    const result = await run(['validate', 'packages/flows/src/parse/__fixtures__/invalid']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('packages/flows/src/parse/__fixtures__/invalid/references.yaml:12:9: error [connection/unknown-endpoint]');
    expect(result.stderr).toMatch(/13 file\(s\): \d+ error\(s\)/);
  });

  it('prints JSON and GitHub annotations for CI', async () => {
    const json = await run(['validate', 'packages/flows/src/parse/__fixtures__/invalid/cycle.yaml', '--json']);
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ formatVersion: '1', valid: false, diagnostics: [{ code: 'connection/cycle-cannot-drain', range: { start: { line: 7, column: 3 } } }] });
    const github = await run(['validate', 'packages/flows/src/parse/__fixtures__/invalid/cycle.yaml', '--format', 'github']);
    expect(github.stdout).toMatch(/^::error file=packages\/flows\/src\/parse\/__fixtures__\/invalid\/cycle.yaml,line=7,col=3,/);
  });

  it('answers usage errors with exit 2 and help with exit 0', async () => {
    expect((await run([])).exitCode).toBe(2);
    expect((await run(['deploy'])).stderr).toContain('Unknown command "deploy"');
    expect((await run(['validate', '--format', 'xml'])).exitCode).toBe(2);
    expect((await run(['validate', 'no/such/path'])).exitCode).toBe(2);
    const help = await run(['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0 success, 1 error (or invalid files), 2 usage error');
    expect((await run(['plan'])).stderr).toContain('pass --nifi-url, set NIFI_URL');
    expect((await run(['destroy'], repositoryRoot)).exitCode).toBe(2);
  });

  it('refuses options a command does not have before touching files or servers, naming the option and the command', async () => {
    const misplaced = await run(['status', '--prune']);
    expect(misplaced.exitCode).toBe(2);
    expect(misplaced.stderr).toBe('flows status: --prune is not an option of status (it belongs to plan, apply).\nSee flows status --help.\n');
    const unknown = await run(['plan', '--bogus']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toBe('flows plan: unknown option --bogus.\nSee flows plan --help.\n');
    expect((await run(['validate', '--plan', 'x.json'])).stderr).toContain('flows validate: --plan is not an option of validate (it belongs to apply).');
    expect((await run(['plan', '--out'])).stderr).toContain('flows plan: --out needs a value.');
    expect((await run(['plan', '--json=yes'])).stderr).toContain('flows plan: --json is a switch and takes no value.');
    expect((await run(['apply', '--update-strategy', 'fast'])).stderr).toContain('flows apply: --update-strategy takes replace or drain, not "fast".');
    expect((await run(['apply', '--drain-timeout', '0'])).stderr).toContain('--drain-timeout expects a number of seconds greater than 0, not "0"');
    expect((await run(['run'])).stderr).toContain('flows run: expects <flow>.');
    expect((await run(['run', 'a', 'b'])).stderr).toContain('flows run: expects <flow> (unexpected: "b").');
    expect((await run(['schema', 'extra'])).exitCode).toBe(2);
    expect((await run(['--json'])).stderr).toContain('flows needs a command before its options (got --json).');
  });

  it('prints help per command, generated from the same definitions the parser reads', async () => {
    for (const args of [['plan', '--help'], ['help', 'plan'], ['plan', '-h']]) {
      const help = await run(args);
      expect(help.exitCode).toBe(0);
      expect(help.stdout).toMatch(/^Usage: flows plan \[paths…\] \[options\]/);
      expect(help.stdout).toContain('  --detailed-exitcode ');
      expect(help.stdout).toContain('(env NIFI_URL)');
      expect(help.stdout).not.toContain('--update-strategy');
    }
    const overview = await run(['--help']);
    for (const command of ['validate', 'plan', 'apply', 'destroy', 'status', 'run', 'dag', 'export', 'schema']) expect(overview.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });
});

describe('pnpm flows in a subfolder of the repository', () => {
  it('reads paths from the folder the command was typed in, not the repository root', () => {
    // examples/ has no flows/ folder; the repository root has one. Through the root's `flows` script.
    const subfolder = join(repositoryRoot, 'examples');
    const result = spawnSync('pnpm', ['--silent', 'flows', 'validate'], { cwd: subfolder, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`flows validate: no such file or folder: ${join(subfolder, 'flows')}`);
    // The flow inherits examples-db: the file declaring it comes along.
    const inRoot = spawnSync('pnpm', ['--silent', 'flows', 'validate', 'flows/iot-sensors.yaml', 'flows/shared-contexts.yaml'], { cwd: repositoryRoot, encoding: 'utf8' });
    expect(inRoot.status, inRoot.stderr).toBe(0);
    // Two pnpm processes, each starting Node and the CLI: seconds on a busy 2-core machine, not the default 5 s.
  }, 60_000);
});

describe('flows schema', () => {
  // The committed JSON Schema is what editors read; regenerate with `pnpm flows schema > packages/flows/flow-file.schema.json`.
  it('matches the committed flow-file.schema.json', async () => {
    const committed = JSON.parse(await readFile(join(repositoryRoot, 'packages', 'flows', 'flow-file.schema.json'), 'utf8')) as unknown;
    expect(committed).toEqual(flowJsonSchema());
    const printed = await run(['schema']);
    expect(JSON.parse(printed.stdout)).toEqual(committed);
  });
});
