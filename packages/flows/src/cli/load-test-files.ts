// Reads what `flows test` names: the test files (`*.test.yaml` under the paths, default the project's flows
// folder) and the flows they test (the flow files of the project's folder and of the test files' folders),
// each file's problems as diagnostics at file:line:col.
import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { isFlowTestFile } from '../flow-tests/test-file-names.ts';
import { loadFlowTestFile, type FlowTestCase } from '../flow-tests/load-test-file.ts';
import { UsageError } from './arguments/options.ts';
import { withInheritedParameters } from '../model/inherited-parameters.ts';
import { listFlowFiles, loadFlowFiles } from './load-files.ts';

export interface LoadedTestFiles {
  testFiles: string[];
  cases: FlowTestCase[];
  diagnostics: Diagnostic[];
  /** Display path → text, for code frames. */
  sources: Map<string, string>;
}

export async function loadTestFiles(paths: readonly string[], flowsFolder: string, cwd: string): Promise<LoadedTestFiles> {
  const testFiles: string[] = [];
  for (const path of paths.length ? paths : [flowsFolder]) {
    const absolute = resolve(cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw new UsageError(`no such file or folder: ${path}`);
    if (info.isFile() && !isFlowTestFile(absolute)) throw new UsageError(`${path} is not a flow test file (<name>.test.yaml).`);
    testFiles.push(...(info.isFile() ? [absolute] : await testFilesUnder(absolute)));
  }
  const unique = [...new Set(testFiles)].sort();
  if (unique.length === 0) throw new UsageError(`no flow test files (*.test.yaml) found in ${paths.join(', ') || relative(cwd, flowsFolder) || flowsFolder}.`);

  // The flows: the project's folder and every folder a test file is in (each flow file once).
  const flowFiles = new Set<string>();
  for (const folder of new Set([flowsFolder, ...unique.map((file) => dirname(file))])) {
    const found = await listFlowFiles([folder], cwd);
    if (!('missing' in found)) for (const file of found) flowFiles.add(file);
  }
  const flows = await loadFlowFiles([...flowFiles], cwd);
  if ('missing' in flows) throw new UsageError(`no such file or folder: ${flows.missing}`);
  const diagnostics = [...flows.diagnostics];
  const sources = new Map(flows.sources);
  // Cases run on isolated copies: each copy's own context holds what its flow inherits (never the shared contexts).
  const testable = flows.flows.map((flow) => {
    try {
      return withInheritedParameters(flow, flows.parameterContexts);
    } catch {
      return flow; // an undeclared inherited context: the flow files' diagnostics say so, and nothing runs
    }
  });
  const cases: FlowTestCase[] = [];
  for (const file of unique) {
    const display = relative(cwd, file) || file;
    const text = await readFile(file, 'utf8');
    sources.set(display, text);
    const loaded = loadFlowTestFile(display, text, testable, { baseDirectory: dirname(file) });
    cases.push(...loaded.cases);
    diagnostics.push(...loaded.diagnostics);
  }
  return { testFiles: unique, cases, diagnostics: sortDiagnostics(diagnostics), sources };
}

async function testFilesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && isFlowTestFile(entry.name)).map((entry) => join(entry.parentPath, entry.name));
}
