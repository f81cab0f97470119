// How flows test results read: case lines with the test file's line and the diff, the summary, and JUnit XML that
// an XML parser accepts, with one testsuite per file, failures and errors told apart, and hostile text escaped.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { FlowTestCaseResult, FlowTestRunResult } from '../../flow-tests/run-flow-tests.ts';
import { formatCaseResult, formatGithubAnnotations, formatSummary, renderJunit, testReportJson } from './flow-tests.ts';

const result = (fields: Partial<FlowTestCaseResult>): FlowTestCaseResult => ({ file: 'flows/iot.test.yaml', line: 7, name: 'stored', flow: 'iot', status: 'passed', durationMs: 1234, failures: [], outputs: [], coverage: { processors: [], stubbed: [], relationships: [] }, notes: [], ...fields });
const run: FlowTestRunResult = {
  runId: 'abcd1234',
  durationMs: 5000,
  swept: { groups: ['dataplat-flows-test dead iot case 1'], parameterContexts: [] },
  coverage: [{ flow: 'iot', cases: 2, processors: { exercised: ['validate', 'flag'], stubbed: ['store'], missed: ['receive'] }, relationships: { exercised: ['validate.valid'], missed: ['validate.failure'], unobservable: ['flag.original'], stubbed: ['store.failure'] } }],
  results: [
    result({}),
    result({ name: 'flagged <WHO> & "quoted"', status: 'failed', failures: [{ at: 'store', message: 'Content differs', diff: '- expected\n+ actual\u0007', line: 20 }] }),
    result({ file: 'flows/shop.test.yaml', name: 'refused', status: 'error', error: { code: 'NIFI_INVALID_COMPONENT', message: 'Processor "x" is invalid', hint: 'Fix it.' } }),
  ],
};

describe('flows test views', () => {
  it('prints a line per case with its time, and for a failure the file line, what differed and the diff', () => {
    expect(formatCaseResult(run.results[0]!)).toBe('✓ flows/iot.test.yaml › stored (1.2 s)');
    expect(formatCaseResult(run.results[1]!)).toBe(
      ['✗ flows/iot.test.yaml › flagged <WHO> & "quoted" (1.2 s)', '    flows/iot.test.yaml:20: store: Content differs', '      - expected  + actual', '      - expected', '      + actual\u0007'].join('\n'),
    );
    expect(formatCaseResult(run.results[2]!)).toBe(['! flows/shop.test.yaml › refused (1.2 s)', '    error [NIFI_INVALID_COMPONENT] Processor "x" is invalid', '    hint: Fix it.'].join('\n'));
    expect(formatSummary(run)).toBe(
      [
        'coverage of iot (2 case(s)): processors 2/4 (not reached: receive; stubbed: store), relationships 1/2 (never taken: validate.failure)',
        '  auto-terminated, seen only where a case expects them: flag.original',
        '  of processors stubbed in every case: store.failure',
        'Removed leftovers of earlier runs: dataplat-flows-test dead iot case 1.',
        '3 case(s): 1 passed, 1 failed, 1 could not run (5.0 s).',
      ].join('\n'),
    );
    expect(testReportJson(run)).toMatchObject({ formatVersion: '1', ok: false, runId: 'abcd1234', cases: run.results });
  });

  it('annotates each failure at its line of the test file for GitHub Actions, escaped', () => {
    expect(formatGithubAnnotations(run).split('\n')).toEqual([
      '::error file=flows/iot.test.yaml,line=20,title=flows test%3A flagged <WHO> & "quoted"::store: Content differs%0A- expected%0A+ actual\u0007',
      '::error file=flows/shop.test.yaml,line=7,title=flows test%3A refused::[NIFI_INVALID_COMPONENT] Processor "x" is invalid',
    ]);
  });

  it('writes JUnit XML a parser accepts: a testsuite per file, failure vs error, times in seconds, text escaped', () => {
    const xml = renderJunit(run, new Date('2026-11-30T12:00:00Z'));
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(xml) as {
      testsuites: { tests: string; failures: string; errors: string; time: string; testsuite: Array<{ name: string; tests: string; failures: string; errors: string; timestamp: string; testcase: Array<Record<string, unknown>> }> };
    };
    expect(parsed.testsuites).toMatchObject({ tests: '3', failures: '1', errors: '1', time: '5.000' });
    const [iot, shop] = parsed.testsuites.testsuite;
    expect(iot).toMatchObject({ name: 'flows/iot.test.yaml', tests: '2', failures: '1', errors: '0', timestamp: '2026-11-30T12:00:00' });
    expect(iot!.testcase[0]).toEqual({ classname: 'flows.flows/iot.test.yaml', name: 'stored', file: 'flows/iot.test.yaml', line: '7', time: '1.234' });
    expect(iot!.testcase[1]).toMatchObject({ name: 'flagged <WHO> & "quoted"', failure: { message: 'Content differs', type: 'expectation', '#text': 'flows/iot.test.yaml:20: store: Content differs\n- expected\n+ actual' } });
    expect(shop).toMatchObject({ name: 'flows/shop.test.yaml', errors: '1', testcase: [{ name: 'refused', error: { type: 'NIFI_INVALID_COMPONENT', message: 'Processor "x" is invalid' } }] });
  });
});
