// `flows test` against the stack's real NiFi, through the CLI as a CI job runs it: the committed tests of
// flows/iot-sensors.yaml pass, a deliberately wrong expectation fails with a readable diff (and valid JUnit
// XML), a case that never settles times out saying where the data stopped, nothing is left behind in NiFi
// (groups, parameter contexts), and the copy of a run killed with SIGKILL mid-case is removed by the next run.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pollUntil } from '@dataplat/core';
import { createNifiClient } from '@dataplat/nifi';
import { defineFlowTest, loadFlowFile, testFlow } from '@dataplat/flows';
import { testCopyPrefix } from '../../src/flow-tests/isolation.ts';
import { runCli } from '../run-cli.ts';
import { scratchGroups } from '../scratch-groups.ts';

const apiUrl = inject('stackEndpoints').nifi!.apiUrl;
const nifi = createNifiClient({ baseUrl: apiUrl });
const scratch = scratchGroups(nifi, 'flows-test');
const repositoryRoot = join(import.meta.dirname, '..', '..', '..', '..');
const cliMain = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
let parentGroupId = '';
let workdir = '';

beforeAll(async () => {
  parentGroupId = await scratch.parent('copies');
  workdir = await mkdtemp(join(tmpdir(), 'dataplat-flow-tests-'));
  // A flow that never settles: ControlRate lets one flowfile through per hour and holds the second in its queue.
  await writeLines('throttled.yaml', [
    `name: throttled-${scratch.suffix}`,
    'processors:',
    '  limit: { type: ControlRate, properties: { Rate Control Criteria: flowfile count, Maximum Rate: "1", Time Duration: 1 hour }, autoTerminate: [failure] }',
    '  done: { type: UpdateAttribute, autoTerminate: [success] }',
    'connections:',
    '  - { from: limit, to: done, relationships: [success] }',
  ]);
});

afterAll(async () => {
  await scratch.cleanUp();
  await nifi.close();
  if (workdir) await rm(workdir, { recursive: true, force: true });
});

/** A file of these lines in the test's folder. */
async function writeLines(file: string, lines: readonly string[]): Promise<void> {
  await writeFile(join(workdir, file), [...lines, ''].join('\n'));
}

/** A test file of one case that never settles: two flowfiles into the ControlRate that lets one through per hour. */
async function writeThrottledCase(file: string, name: string, timeout: string): Promise<void> {
  await writeLines(file, [`flow: throttled-${scratch.suffix}`, 'cases:', `  - name: ${name}`, `    timeout: ${timeout}`, '    inputs:', '      - { before: limit, text: first }', '      - { before: limit, text: second }', '    expect:', '      - { at: limit.success, count: 2 }']);
}

/** The real CLI running a never-settling case as a child process, once its copy exists mid-case (the second flowfile waits in the ControlRate's queue). */
async function childRunWithCopy(file: string) {
  const child = spawn(process.execPath, ['--conditions=@dataplat/source', cliMain, 'test', join(workdir, file), '--parent', parentGroupId], {
    cwd: repositoryRoot,
    env: { ...process.env, NIFI_URL: apiUrl },
    stdio: 'ignore',
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const copyName = await pollUntil(
    async () => {
      const groups = (await nifi.processGroups.flow(parentGroupId)).contents.processGroups;
      const copy = groups.find((group) => group.component?.name?.startsWith(testCopyPrefix));
      if (!copy) return { done: false };
      const status = await nifi.processGroups.status(copy.id);
      return (status.flowFilesQueued ?? 0) > 0 ? { done: true, value: copy.component!.name! } : { done: false };
    },
    { timeoutMs: 60_000, initialIntervalMs: 100, maxIntervalMs: 250, description: 'the test copy of the child run' },
  );
  return { child, exited, copyName };
}

const flowsTest = (args: string[]) => runCli(['test', ...args, '--parent', parentGroupId], { cwd: repositoryRoot, env: { NIFI_URL: apiUrl } });

interface JsonReport {
  ok: boolean;
  runId: string;
  cases: Array<{ name: string; status: string; durationMs: number; failures: Array<{ at: string; message: string; diff?: string }> }>;
  swept: { groups: string[]; parameterContexts: string[] };
  coverage: Array<{ flow: string; cases: number; processors: Record<string, string[]>; relationships: Record<string, string[]> }>;
}

/** What of a run is still in NiFi: copies under the test's parent, parameter contexts named with the run id. */
async function leftovers(runId?: string): Promise<{ groups: string[]; contexts: string[] }> {
  const parent = await nifi.processGroups.flow(parentGroupId);
  const contexts = await nifi.parameterContexts.list();
  const prefix = runId ? `${testCopyPrefix} ${runId} ` : `${testCopyPrefix} `;
  return {
    groups: parent.contents.processGroups.map((group) => group.component?.name ?? group.id),
    contexts: contexts.map((context) => context.component.name ?? '').filter((name) => name.startsWith(prefix) && (runId !== undefined || name.includes(`throttled-${scratch.suffix}`))),
  };
}

describe('flows test against the real NiFi', () => {
  it('passes the committed tests of flows/iot-sensors.yaml (database stubbed) and leaves nothing behind', async () => {
    const run = await flowsTest(['flows/iot-sensors.test.yaml', '--json']);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.cases.map((testCase) => [testCase.name, testCase.status, testCase.failures])).toEqual([
      ['a valid reading is stored', 'passed', []],
      ['a WHO PM2.5 exceedance is flagged', 'passed', []],
      ["an invalid reading is quarantined with NiFi's reason", 'passed', []],
      ['a body that is not JSON waits in the held funnel', 'passed', []],
    ]);
    expect(run.exitCode).toBe(0);
    expect(report.ok).toBe(true);
    // What the four cases exercise of the flow: everything but the listener and the failure paths of flag and explain.
    expect(report.coverage).toEqual([
      {
        flow: 'iot-sensors',
        cases: 4,
        processors: { exercised: ['validate', 'flag', 'explain'], stubbed: ['store', 'register', 'quarantine'], missed: ['receive'] },
        relationships: expect.objectContaining({ exercised: ['validate.failure', 'validate.invalid', 'validate.valid', 'flag.measurements', 'flag.sensors', 'explain.success'], missed: ['receive.success', 'flag.failure', 'explain.failure'], unobservable: ['flag.original'] }),
      },
    ]);
    console.info(`flows test flows/iot-sensors.test.yaml: ${report.cases.map((testCase) => `${testCase.name} ${(testCase.durationMs / 1000).toFixed(1)} s`).join(', ')}`);
    expect(await leftovers(report.runId)).toEqual({ groups: [], contexts: [] });

    const human = await flowsTest(['flows/iot-sensors.test.yaml', '--filter', 'WHO']);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/^✓ flows\/iot-sensors\.test\.yaml › a WHO PM2\.5 exceedance is flagged \(\d+\.\d s\)$/m);
    expect(human.stdout).toContain('1 case(s): 1 passed, 0 failed, 0 could not run');
  });

  it('runs the cases side by side with --parallel, each in its own copy, reported in file order', async () => {
    const run = await flowsTest(['flows/iot-sensors.test.yaml', '--parallel', '4', '--json']);
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport & { durationMs: number };
    expect(report.cases.map((testCase) => [testCase.name, testCase.status])).toEqual([
      ['a valid reading is stored', 'passed'],
      ['a WHO PM2.5 exceedance is flagged', 'passed'],
      ["an invalid reading is quarantined with NiFi's reason", 'passed'],
      ['a body that is not JSON waits in the held funnel', 'passed'],
    ]);
    const sequential = report.cases.reduce((total, testCase) => total + testCase.durationMs, 0);
    console.info(`flows test --parallel 4: ${(report.durationMs / 1000).toFixed(1)} s for cases that took ${(sequential / 1000).toFixed(1)} s together`);
    expect(report.durationMs).toBeLessThan(sequential);
    expect(await leftovers(report.runId)).toEqual({ groups: [], contexts: [] });
  });

  it('fails a wrong expectation with a readable diff, exit 1 and valid JUnit XML', async () => {
    const committed = await readFile(join(repositoryRoot, 'flows', 'iot-sensors.test.yaml'), 'utf8');
    // The valid reading's case, expecting the reading above the WHO guideline (it is 12.5 µg/m³) and one more sensor row.
    const wrong = committed
      .slice(0, committed.indexOf('\n  - name: a WHO'))
      .replace('pm25: 12.5, above_who_pm25: false', 'pm25: 12.5, above_who_pm25: true')
      .replace('      - at: register\n        count: 1', '      - at: register\n        count: 2');
    expect(wrong).not.toBe(committed.slice(0, committed.indexOf('\n  - name: a WHO')));
    const file = join(workdir, 'wrong.test.yaml');
    await writeFile(file, wrong);
    const junit = join(workdir, 'reports', 'junit.xml');
    const run = await flowsTest([file, '--junit', junit]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/^✗ .*wrong\.test\.yaml › a valid reading is stored \(\d+\.\d s\)$/m);
    expect(run.stdout).toContain('wrong.test.yaml:15: store: Records differ; fields not listed are not compared');
    expect(run.stdout).toContain('      - expected  + actual');
    expect(run.stdout).toContain('      -     "above_who_pm25": true,');
    expect(run.stdout).toContain('      +     "above_who_pm25": false,');
    expect(run.stdout).toContain('register: Expected 2 flowfile(s) at register, got 1.');
    expect(run.stdout).toContain('1 case(s): 0 passed, 1 failed, 0 could not run');

    const xml = await readFile(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      testsuites: { tests: string; failures: string; testsuite: { name: string; testcase: { name: string; time: string; failure: { message: string; '#text': string } } } };
    };
    expect(parsed.testsuites).toMatchObject({ tests: '1', failures: '1' });
    expect(parsed.testsuites.testsuite.testcase).toMatchObject({ name: 'a valid reading is stored', failure: { message: 'Records differ; fields not listed are not compared' } });
    expect(parsed.testsuites.testsuite.testcase.failure['#text']).toContain('-     "above_who_pm25": true,');
    expect(Number(parsed.testsuites.testsuite.testcase.time)).toBeGreaterThan(0);
  });

  it('runs a case written in TypeScript from vitest, with a parameter override in its own context (defineFlowTest, testFlow)', async () => {
    const [iotSensors] = loadFlowFile('flows/iot-sensors.yaml', await readFile(join(repositoryRoot, 'flows', 'iot-sensors.yaml'), 'utf8')).flows;
    // What the flow inherits (examples-db), which the case's copy gets as its own parameters.
    const shared = loadFlowFile('flows/shared-contexts.yaml', await readFile(join(repositoryRoot, 'flows', 'shared-contexts.yaml'), 'utf8'));
    const parameterContexts = shared.parameterContexts.map((placed) => placed.context);
    const reading = { sensor_id: 's-010', location: 'Nantes', zone_type: 'urban', latitude: 47.2, longitude: -1.55, measured_at: 1767240000000, pm25: 12.5, temperature: 15, humidity: 70, co2: 450 };
    const stricter = defineFlowTest(iotSensors!, {
      name: '12.5 µg/m³ is above a limit of 10',
      parameters: { who_pm25_limit: '10' },
      stubs: { store: 'capture', register: 'capture', quarantine: 'capture' },
      inputs: [{ before: 'validate', json: [reading], attributes: { batch: 'b-ts' } }],
      expect: [{ at: 'store', count: 1, content: { fields: { '$[0].above_who_pm25': true } } }, { at: 'register', count: 1 }],
    }, { parameterContexts });
    const run = await testFlow(nifi, stricter, { parentGroupId });
    expect(run.results.map((result) => [result.status, result.failures])).toEqual([['passed', []]]);
    expect(await leftovers(run.runId)).toEqual({ groups: [], contexts: [] });
    // The deployed flow's own parameter context is never created or changed by a test.
    expect((await nifi.parameterContexts.list()).filter((context) => context.component.name === 'iot-sensors' && context.component.description?.includes('dataplat-flows-test'))).toEqual([]);
  });

  it('feeds content and attributes literally: NiFi evaluates neither Expression Language nor parameters in them', async () => {
    await writeLines('literal.test.yaml', [
      `flow: throttled-${scratch.suffix}`,
      'cases:',
      '  - name: literal text',
      '    inputs:',
      '      - { before: done, text: "cost: ${price} #{secret} $${x} ##{y}", attributes: { batch: "b-${uuid}" } }',
      '    expect:',
      '      - { at: done.success, count: 1, content: { equals: "cost: ${price} #{secret} $${x} ##{y}" }, attributes: { batch: "b-${uuid}" } }',
      '  - name: records as CSV and a file',
      '    inputs:',
      '      - { before: done, csv: [{ id: 1, name: "a, b" }, { id: 2, name: "${c}" }] }',
      '      - { before: done, file: literal.test.yaml }',
      '    expect:',
      '      - { at: done.success, count: 2, content: { contains: "literal" } }',
    ]);
    const run = await flowsTest([join(workdir, 'literal.test.yaml')]);
    expect(run.stdout).toContain('2 case(s): 1 passed, 1 failed');
    // The second case's failure shows both flowfiles came through intact: the CSV text and the file.
    expect(run.stdout).toContain('done.success: Content does not contain "literal": "id,name\\n1,\\"a, b\\"\\n2,${c}\\n" (flowfile ');
    expect(run.exitCode).toBe(1);
  });

  it('triggers a source of the flow once as it is and expects what reaches an output port', async () => {
    await writeLines('emitter.yaml', [
      `name: emitter-${scratch.suffix}`,
      'processors:',
      '  make: { type: GenerateFlowFile, properties: { generate-ff-custom-text: hello, Batch Size: "2" }, schedule: { period: 1 hour }, state: stopped }',
      '  tag: { type: UpdateAttribute, properties: { tagged: "yes" } }',
      'outputPorts: [out]',
      'connections:',
      '  - { from: make, to: tag, relationships: [success] }',
      '  - { from: tag, to: out, relationships: [success] }',
    ]);
    await writeLines('emitter.test.yaml', [`flow: emitter-${scratch.suffix}`, 'cases:', '  - name: one run of the source', '    inputs: [{ trigger: make }]', '    expect:', '      - { at: out, count: 2, content: { equals: hello }, attributes: { tagged: "yes" } }']);
    const run = await flowsTest([join(workdir, 'emitter.test.yaml'), '--json']);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.cases.map((testCase) => [testCase.status, testCase.failures])).toEqual([['passed', []]]);
    expect(run.exitCode).toBe(0);
    expect(report.coverage[0]!.processors).toEqual({ exercised: ['make', 'tag'], stubbed: [], missed: [] });
  });

  it('says where the data stopped when a case does not settle in its timeout', async () => {
    await writeThrottledCase('throttled.test.yaml', 'two flowfiles through a limit of one per hour', '4s');
    const run = await flowsTest([join(workdir, 'throttled.test.yaml'), '--json']);
    expect(run.exitCode).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.cases[0]!.status).toBe('failed');
    expect(report.cases[0]!.failures).toEqual([{ at: '(timeout)', message: expect.stringMatching(/^Still moving after 4 s\. Data stopped before running processors at: test input \d\.success → limit: 1 queued\. Arrived so far: limit\.success → test capture limit\.success: 1 queued\.$/) }]);
    expect(await leftovers(report.runId)).toEqual({ groups: [], contexts: [] });
  });

  it('deletes the copy when the run is interrupted with Ctrl-C (SIGINT) mid-case, and exits 130', async () => {
    await writeThrottledCase('interrupted.test.yaml', 'held long enough to be interrupted', '2m');
    const { child, exited } = await childRunWithCopy('interrupted.test.yaml');
    child.kill('SIGINT');
    expect(await exited).toEqual({ code: 130, signal: null });
    expect(await leftovers()).toEqual({ groups: [], contexts: [] });
  });

  it('removes the copy of a run killed with SIGKILL mid-case on the next run', async () => {
    await writeThrottledCase('killed.test.yaml', 'held long enough to be killed', '2m');
    const { child, exited, copyName } = await childRunWithCopy('killed.test.yaml');
    child.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');
    const left = await leftovers();
    expect(left.groups).toEqual([copyName]);
    expect(left.contexts).toEqual([copyName]);

    // The next run (here: another case) removes it before its own cases.
    const next = await flowsTest(['flows/iot-sensors.test.yaml', '--filter', 'valid reading', '--json']);
    expect(next.exitCode).toBe(0);
    const report = JSON.parse(next.stdout) as JsonReport;
    expect(report.swept).toEqual({ groups: [copyName], parameterContexts: [copyName] });
    expect(await leftovers()).toEqual({ groups: [], contexts: [] });
  });
});
