// Flow tests in TypeScript: defineFlowTest() checks a case with the same schema and references as a YAML test
// file (throwing FLOWS_INVALID with every problem), testFlow() runs cases against a NiFi — from vitest, a script
// or CI — and returns what `flows test --json` reports.
import { DataplatError } from '@dataplat/core/errors';
import type { NifiClient } from '@dataplat/nifi';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Flow, SharedContextDeclaration } from '../model/flow-schema.ts';
import { withInheritedParameters } from '../model/inherited-parameters.ts';
import { checkFlowTestCase, type ErrorAt, type FlowTestCase } from './load-test-file.ts';
import { runFlowTests, type FlowTestRunOptions, type FlowTestRunResult } from './run-flow-tests.ts';
import { flowTestCaseSchema, type FlowTestCaseInput } from './test-schema.ts';

/**
 * A test case of `flow`, checked like a case of a test file; `file` names it in reports (default defineFlowTest()),
 * `file:` inputs are read from `baseDirectory` (default the process's directory). A flow that inherits shared
 * contexts needs them in `parameterContexts`: the case's copy gets their parameters as its own (and a case may
 * override them), never the deployment's contexts.
 */
export function defineFlowTest(
  declared: Flow,
  input: FlowTestCaseInput,
  options: { file?: string; baseDirectory?: string; parameterContexts?: readonly SharedContextDeclaration[] } = {},
): FlowTestCase {
  const file = options.file ?? 'defineFlowTest()';
  const flow = withInheritedParameters(declared, options.parameterContexts ?? []);
  const parsed = flowTestCaseSchema.safeParse({ ...input, flow: flow.name });
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.') || '(case)'}: ${issue.message}`);
    throw invalid(input.name, problems);
  }
  const place = (path: ReadonlyArray<string | number>) => ({ pointer: '', path: path.join('.') || '(case)' });
  const error: ErrorAt = (code, message, hint, path): Diagnostic => ({ severity: 'error', code, message, ...(hint ? { hint } : {}), file, ...place(path) });
  const checked = checkFlowTestCase(parsed.data, flow, [], error, place, options.baseDirectory ?? process.cwd());
  if (checked.diagnostics.length > 0) throw invalid(input.name, checked.diagnostics.map((diagnostic) => `${diagnostic.path}: ${diagnostic.message}${diagnostic.hint ? ` ${diagnostic.hint}` : ''}`));
  return checked.testCase(file, undefined);
}

function invalid(name: unknown, problems: string[]): DataplatError {
  return new DataplatError({ code: 'FLOWS_INVALID', message: `Flow test "${String(name)}" is invalid:\n  ${problems.join('\n  ')}` });
}

/** Runs the cases, each in its own temporary copy of its flow, and reports them (it throws only when NiFi can't be used at all). */
export async function testFlow(nifi: NifiClient, cases: FlowTestCase | readonly FlowTestCase[], options: FlowTestRunOptions = {}): Promise<FlowTestRunResult> {
  return runFlowTests(nifi, Array.isArray(cases) ? cases : [cases as FlowTestCase], options);
}
