import { describe, expect, it } from 'vitest';
import { summarizeVitestReport, type VitestJsonReport } from './vitest-report.ts';

function report(overrides: Partial<VitestJsonReport>): VitestJsonReport {
  return {
    numPassedTests: 2, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, numTotalTests: 2, success: true,
    testResults: [{ name: 'a.test.ts', status: 'passed', assertionResults: [
      { fullName: 'a works', status: 'passed' }, { fullName: 'a still works', status: 'passed' }] }],
    ...overrides,
  };
}

describe('summarizeVitestReport', () => {
  it('accepts a run where every test passed', () => {
    expect(summarizeVitestReport(report({}))).toEqual({ passed: 2, failed: 0, skipped: 0, problems: [] });
  });

  it('rejects skipped and todo tests by name', () => {
    const summary = summarizeVitestReport(report({
      numPassedTests: 1, numPendingTests: 1, numTodoTests: 1, numTotalTests: 3,
      testResults: [{ name: 'b.test.ts', status: 'passed', assertionResults: [
        { fullName: 'b works', status: 'passed' }, { fullName: 'b later', status: 'skipped' }, { fullName: 'b someday', status: 'todo' }] }],
    }));
    expect(summary.skipped).toBe(2);
    expect(summary.problems).toEqual([
      'skipped or todo test (not allowed): b later (b.test.ts)',
      'skipped or todo test (not allowed): b someday (b.test.ts)',
    ]);
  });

  it('rejects an empty run and a file that failed to load', () => {
    const summary = summarizeVitestReport(report({
      numPassedTests: 0, numTotalTests: 0,
      testResults: [{ name: 'c.test.ts', status: 'failed', message: 'SyntaxError: x\n at y', assertionResults: [] }],
    }));
    expect(summary.problems).toEqual(['no test ran', 'c.test.ts failed outside a test: SyntaxError: x']);
  });
});
