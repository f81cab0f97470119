/** The parts of vitest's JSON reporter output that decide whether a run is green. */
export interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numTotalTests: number;
  success: boolean;
  testResults: Array<{
    name: string;
    status: string;
    message?: string;
    assertionResults: Array<{ fullName: string; status: string }>;
  }>;
}

export interface VitestRunSummary {
  passed: number;
  failed: number;
  skipped: number;
  problems: string[];
}

export function summarizeVitestReport(report: VitestJsonReport): VitestRunSummary {
  const skipped = report.numPendingTests + report.numTodoTests;
  const problems: string[] = [];
  if (report.numTotalTests === 0) problems.push('no test ran');
  if (report.numFailedTests > 0) problems.push(`${report.numFailedTests} test(s) failed`);
  for (const file of report.testResults) {
    if (file.status === 'failed' && file.assertionResults.every((test) => test.status !== 'failed')) {
      problems.push(`${file.name} failed outside a test: ${firstLine(file.message)}`);
    }
    for (const test of file.assertionResults) {
      if (test.status === 'pending' || test.status === 'skipped' || test.status === 'todo') {
        problems.push(`skipped or todo test (not allowed): ${test.fullName} (${file.name})`);
      }
    }
  }
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped, problems };
}

function firstLine(text: string | undefined): string {
  return (text ?? 'unknown error').split('\n')[0] ?? '';
}
