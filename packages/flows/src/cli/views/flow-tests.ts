// How `flows test` results read: a line per case with its time and, for a failure, where in the test file,
// what differed and a diff of expected vs actual; a summary; JSON for tools; JUnit XML for CI test reports.
import type { FlowTestCaseResult, FlowTestRunResult } from '../../flow-tests/run-flow-tests.ts';
import { escapeData, escapeProperty } from './diagnostics.ts';

const marks = { passed: '✓', failed: '✗', error: '!' } as const;

export function formatCaseResult(result: FlowTestCaseResult, options: { color?: boolean } = {}): string {
  const paint = (code: string, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const colour = { passed: '32', failed: '31;1', error: '31;1' }[result.status];
  const lines = [`${paint(colour, marks[result.status])} ${result.file} › ${result.name} ${paint('2', `(${seconds(result.durationMs)})`)}`];
  let legend = false;
  for (const failure of result.failures) {
    const where = failure.line !== undefined ? `${result.file}:${failure.line}: ` : '';
    lines.push(`    ${where}${paint('1', failure.at)}: ${failure.message}`);
    if (!failure.diff) continue;
    const diffLines = failure.diff.split('\n');
    if (!legend && diffLines.some((line) => line.startsWith('- ') || line.startsWith('+ '))) {
      legend = true;
      lines.push(`      ${paint('32', '- expected')}  ${paint('31', '+ actual')}`);
    }
    for (const line of diffLines) lines.push(`      ${line.startsWith('- ') ? paint('32', line) : line.startsWith('+ ') ? paint('31', line) : line}`);
  }
  if (result.error) lines.push(`    error [${result.error.code}] ${result.error.message}${result.error.hint && !result.error.message.endsWith(result.error.hint) ? `\n    hint: ${result.error.hint}` : ''}`);
  for (const note of result.notes) lines.push(`    note: ${note}`);
  return lines.join('\n');
}

export function formatSummary(run: FlowTestRunResult): string {
  const count = (status: FlowTestCaseResult['status']) => run.results.filter((result) => result.status === status).length;
  const swept = run.swept.groups.length + run.swept.parameterContexts.length;
  const coverage = run.coverage.map((flow) => {
    const processors = flow.processors.exercised.length + flow.processors.stubbed.length + flow.processors.missed.length;
    const relationships = flow.relationships.exercised.length + flow.relationships.missed.length;
    const notReached = [...(flow.processors.missed.length ? [`not reached: ${flow.processors.missed.join(', ')}`] : []), ...(flow.processors.stubbed.length ? [`stubbed: ${flow.processors.stubbed.join(', ')}`] : [])];
    return [
      `coverage of ${flow.flow} (${flow.cases} case(s)): processors ${flow.processors.exercised.length}/${processors}${notReached.length ? ` (${notReached.join('; ')})` : ''}, relationships ${flow.relationships.exercised.length}/${relationships}${flow.relationships.missed.length ? ` (never taken: ${flow.relationships.missed.join(', ')})` : ''}`,
      ...(flow.relationships.unobservable.length ? [`  auto-terminated, seen only where a case expects them: ${flow.relationships.unobservable.join(', ')}`] : []),
      ...(flow.relationships.stubbed.length ? [`  of processors stubbed in every case: ${flow.relationships.stubbed.join(', ')}`] : []),
    ].join('\n');
  });
  return [
    ...coverage,
    ...(swept ? [`Removed leftovers of earlier runs: ${[...run.swept.groups, ...run.swept.parameterContexts.map((name) => `parameter context ${name}`)].join(', ')}.`] : []),
    `${run.results.length} case(s): ${count('passed')} passed, ${count('failed')} failed, ${count('error')} could not run (${seconds(run.durationMs)}).`,
  ].join('\n');
}

/** `--json`: `{ formatVersion, ok, runId, durationMs, cases, coverage, swept }`. */
export function testReportJson(run: FlowTestRunResult): unknown {
  return { formatVersion: '1', ok: run.results.every((result) => result.status === 'passed'), runId: run.runId, durationMs: run.durationMs, cases: run.results, coverage: run.coverage, swept: run.swept };
}

/** GitHub Actions annotations: each failure at its line of the test file (the case's line for a case that could not run). */
export function formatGithubAnnotations(run: FlowTestRunResult): string {
  const annotation = (result: FlowTestCaseResult, line: number | undefined, message: string) =>
    `::error file=${escapeProperty(result.file)}${line !== undefined ? `,line=${line}` : ''},title=${escapeProperty(`flows test: ${result.name}`)}::${escapeData(message)}`;
  return run.results
    .flatMap((result) => [
      ...result.failures.map((failure) => annotation(result, failure.line ?? result.line, `${failure.at}: ${failure.message}${failure.diff ? `\n${failure.diff}` : ''}`)),
      ...(result.error ? [annotation(result, result.line, `[${result.error.code}] ${result.error.message}`)] : []),
    ])
    .join('\n');
}

/**
 * JUnit XML as CI servers read it (Jenkins, GitLab, GitHub test reporters): one testsuite per test file, one
 * testcase per case with its time in seconds; a failed expectation is a <failure>, a case that could not run an <error>.
 */
export function renderJunit(run: FlowTestRunResult, timestamp = new Date()): string {
  const files = [...new Set(run.results.map((result) => result.file))];
  const totals = tally(run.results);
  const suites = files.map((file) => {
    const results = run.results.filter((result) => result.file === file);
    const counts = tally(results);
    const cases = results.map((result) => {
      const attributes = `classname="${xml(`flows.${file}`)}" name="${xml(result.name)}" file="${xml(file)}"${result.line !== undefined ? ` line="${result.line}"` : ''} time="${(result.durationMs / 1000).toFixed(3)}"`;
      if (result.status === 'passed') return `    <testcase ${attributes}/>`;
      const body =
        result.status === 'error'
          ? `      <error message="${xml(result.error?.message ?? 'could not run')}" type="${xml(result.error?.code ?? 'error')}">${xml([result.error?.message, result.error?.hint].filter(Boolean).join('\n'))}</error>`
          : `      <failure message="${xml(result.failures[0]?.message ?? 'failed')}" type="expectation">${xml(result.failures.map((failure) => [`${failure.line !== undefined ? `${file}:${failure.line}: ` : ''}${failure.at}: ${failure.message}`, failure.diff ?? ''].filter(Boolean).join('\n')).join('\n\n'))}</failure>`;
      return `    <testcase ${attributes}>\n${body}\n    </testcase>`;
    });
    return `  <testsuite name="${xml(file)}" tests="${results.length}" failures="${counts.failed}" errors="${counts.error}" skipped="0" time="${seconds(counts.durationMs, 3, false)}" timestamp="${timestamp.toISOString().slice(0, 19)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="flows test" tests="${run.results.length}" failures="${totals.failed}" errors="${totals.error}" time="${seconds(run.durationMs, 3, false)}">\n${suites.join('\n')}\n</testsuites>\n`;
}

function tally(results: readonly FlowTestCaseResult[]): { failed: number; error: number; durationMs: number } {
  return { failed: results.filter((result) => result.status === 'failed').length, error: results.filter((result) => result.status === 'error').length, durationMs: results.reduce((total, result) => total + result.durationMs, 0) };
}

/** Text for XML attributes and elements: the five entities escaped, characters XML 1.0 forbids dropped. */
function xml(text: string): string {
  return text
    .replaceAll(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

function seconds(milliseconds: number, digits = 1, unit = true): string {
  return `${(milliseconds / 1000).toFixed(digits)}${unit ? ' s' : ''}`;
}
