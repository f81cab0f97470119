// `flows test [paths…]`: runs the flow test cases of *.test.yaml files against a real NiFi, each in its own
// temporary copy of the flow; a line per case with its time and a diff of what differed, --json, --junit.
import { hasErrors } from '../../diagnostics/diagnostic.ts';
import { parseTestArguments, testOptions } from '../arguments/test-arguments.ts';
import { UsageError } from '../arguments/options.ts';
import { formatGithub, formatHuman } from '../views/diagnostics.ts';
import { defineCommand } from './command.ts';

export const testCommand = defineCommand({
  name: 'test',
  summary: 'run the flow tests (*.test.yaml) against NiFi, each case in a temporary copy of its flow',
  positionals: { synopsis: '[paths…]', min: 0, max: Number.POSITIVE_INFINITY },
  description:
    'Each case feeds flowfiles into a temporary copy of its flow (compiled like apply compiles it, under the parent group, with its own parameter context), replaces stubbed processors with captures, ' +
    'waits until nothing moves, and checks what came out where. The copy is deleted afterwards, also on Ctrl-C; leftovers of runs that were killed are removed by the next run. ' +
    'The deployed flows are never touched. Exit 0 when every case passed, 1 when one failed or could not run, 2 for bad test files or usage.',
  options: testOptions,
  examples: ['flows test', 'flows test flows/iot-sensors.test.yaml --filter quarantined', 'flows test --junit reports/flows.xml --format github', 'flows test --json'],
  async run({ options, positionals }, { io, view }) {
    const testArguments = parseTestArguments(options, positionals);
    const [{ loadTestFiles }, { resolveConnections, withNifi }, { runFlowTests }, views] = await Promise.all([
      import('../load-test-files.ts'),
      import('../connections.ts'),
      import('../../flow-tests/run-flow-tests.ts'),
      import('../views/flow-tests.ts'),
    ]);
    const { flowsFolder } = await resolveConnections(options, io.env, io.cwd, io.stdin);
    const loaded = await loadTestFiles(testArguments.paths, flowsFolder, io.cwd);
    if (hasErrors(loaded.diagnostics)) {
      if (testArguments.format === 'json') view.result({ formatVersion: '1', ok: false, diagnostics: loaded.diagnostics }, () => '');
      else io.stderr.write(`${formatHuman(loaded.diagnostics, loaded.sources, { color: view.color })}\n\nThe test or flow files have errors; no case ran.\n`);
      if (testArguments.format === 'github') io.stdout.write(`${formatGithub(loaded.diagnostics)}\n`);
      return 2;
    }
    const cases = testArguments.filter ? loaded.cases.filter((testCase) => testArguments.filter!(testCase.name)) : loaded.cases;
    if (cases.length === 0) throw new UsageError(`no case matches --filter ${options.filter} (cases: ${loaded.cases.map((testCase) => testCase.name).join(', ')}).`);
    return withNifi(options, io, 'No NiFi to run the flow tests in', async (nifi, { parentGroupId }) => {
      const run = await runFlowTests(nifi, cases, {
        parentGroupId,
        parallelism: testArguments.parallelism,
        env: io.env,
        signal: io.signal,
        onProgress: (text) => view.progress(text),
        onCaseDone: (result) => {
          if (testArguments.format !== 'json') io.stdout.write(`${views.formatCaseResult(result, { color: view.color })}\n`);
        },
      });
      if (testArguments.junitFile) {
        const [{ mkdir, writeFile }, { dirname, resolve }] = await Promise.all([import('node:fs/promises'), import('node:path')]);
        const target = resolve(io.cwd, testArguments.junitFile);
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, views.renderJunit(run));
        view.note(`wrote JUnit XML to ${testArguments.junitFile}`);
      }
      if (testArguments.format === 'json') io.stdout.write(`${JSON.stringify(views.testReportJson(run), null, 2)}\n`);
      else io.stdout.write(`${views.formatSummary(run)}\n`);
      const annotations = testArguments.format === 'github' ? views.formatGithubAnnotations(run) : '';
      if (annotations) io.stdout.write(`${annotations}\n`);
      return run.results.every((result) => result.status === 'passed') ? 0 : 1;
    });
  },
});
