// `flows test` before anything runs: bad test files, usage mistakes and filters that match nothing exit 2 with the
// problem at file:line:col, and no NiFi is contacted (none is configured here).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/run-cli.ts';

const repositoryRoot = join(import.meta.dirname, '..', '..', '..', '..', '..');
let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'flows-test-command-'));
  await writeFile(join(folder, 'bad.test.yaml'), ['flow: iot-sensors', 'cases:', '  - name: typo', '    inputs: [{ before: validat, json: "{oops" }]', ''].join('\n'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

const flowsTest = (args: string[]) => runCli(['test', ...args], { cwd: repositoryRoot });

describe('flows test before anything runs', () => {
  it('reports problems of a test file at file:line:col and exits 2', async () => {
    const run = await flowsTest([join(folder, 'bad.test.yaml')]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('bad.test.yaml:4:24: error [test/unknown-processor] Flow "iot-sensors" has no processor "validat" to feed.');
    expect(run.stderr).toContain('  > 4 |     inputs: [{ before: validat, json: "{oops" }]');
    expect(run.stderr).toContain('bad.test.yaml:4:39: error [test/invalid-json] The inline JSON doesn\'t parse:');
    expect(run.stderr).toMatch(/The test or flow files have errors; no case ran\.\n$/);
    const github = await flowsTest([join(folder, 'bad.test.yaml'), '--format', 'github']);
    expect(github.stdout).toMatch(/^::error file=.*bad\.test\.yaml,line=4,col=24,endLine=4,endColumn=31,title=test\/unknown-processor::Flow "iot-sensors" has no processor "validat" to feed\.%0A/m);
    const json = await flowsTest([join(folder, 'bad.test.yaml'), '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, diagnostics: [{ code: 'test/unknown-processor' }, { code: 'test/invalid-json' }] });
  });

  it('exits 2 for a filter that matches no case, a path that is no test file, and contradicting formats', async () => {
    const unmatched = await flowsTest(['flows/iot-sensors.test.yaml', '--filter', 'no such case']);
    expect(unmatched).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('flows test: no case matches --filter no such case (cases: a valid reading is stored, ') });
    expect(await flowsTest(['flows/iot-sensors.test.yaml', '--filter', '/[/'])).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('--filter /[/ is not a regular expression') });
    expect(await flowsTest(['flows/iot-sensors.yaml'])).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('flows/iot-sensors.yaml is not a flow test file (<name>.test.yaml).') });
    expect(await flowsTest(['flows/nothing-here'])).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('no such file or folder: flows/nothing-here') });
    expect(await flowsTest(['--json', '--format', 'github'])).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('--json and --format github contradict each other.') });
    // Everything checks out, so the next step would be NiFi: none is configured.
    expect(await flowsTest(['flows/iot-sensors.test.yaml', '--filter', 'WHO'])).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('NIFI_URL') });
  });
});
