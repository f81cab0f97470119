// YAML flow test file → runnable cases, with every problem a Diagnostic at file:line:col before anything
// runs: the schema (read with the flows' own YAML machinery), then the references into the flow under
// test — unknown flow, processor, relationship, funnel or parameter names, malformed inline JSON, bad
// regular expressions.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.ts';
import { duration } from '../cli/arguments/options.ts';
import type { Flow } from '../model/flow-schema.ts';
import { issueDiagnostic, readYamlDocument, type Locator } from '../parse/load-flow-file.ts';
import { defaultCaseTimeout, flowTestFileSchema, type AttributeExpectation, type BulletinExpectation, type BulletinLevel, type ContentExpectation, type FlowTestCaseModel, type StubKind } from './test-schema.ts';

/** Where flowfiles are read back after a case: a stub's capture, a funnel of the flow, or a processor's relationship. */
export type TestPoint =
  | { kind: 'capture'; processor: string }
  | { kind: 'funnel'; funnel: string }
  | { kind: 'output-port'; port: string }
  | { kind: 'trigger'; trigger: string }
  | { kind: 'relationship'; processor: string; relationship: string };

export interface FlowTestExpectation {
  /** As written (`validate.invalid`, `store`, `held`). */
  at: string;
  point: TestPoint;
  count: number | undefined;
  content: ContentExpectation | undefined;
  attributes: Record<string, AttributeExpectation>;
  /** 1-based line of the expectation in its file. */
  line: number | undefined;
}

export interface FlowTestCase {
  file: string;
  /** 1-based line of the case in its file. */
  line: number | undefined;
  name: string;
  flow: Flow;
  parameters: Record<string, string>;
  stubs: Record<string, StubKind>;
  inputs: Array<{ before: string; content: string; attributes: Record<string, string> }>;
  /** Source processors run once as they are. */
  triggers: string[];
  expectations: FlowTestExpectation[];
  /** Bulletins that must appear (each with its line), and the level from which others fail the case. */
  bulletins: { expect: Array<BulletinExpectation & { line: number | undefined }>; forbid: BulletinLevel | 'none' };
  nothingElse: boolean;
  timeoutMs: number;
}

export interface LoadedFlowTestFile {
  file: string;
  cases: FlowTestCase[];
  diagnostics: Diagnostic[];
}

/** The relationships a processor of the flow has, as far as the flow says (connections, triggers, autoTerminate, retry): for a valid flow, all of them. */
export function knownRelationships(flow: Flow, processor: string): string[] {
  const model = flow.processors[processor];
  if (!model) return [];
  const connected = flow.connections.filter((connection) => connection.from === processor).flatMap((connection) => connection.relationships);
  return [...new Set([...connected, ...triggeredRelationships(flow, processor), ...model.autoTerminate, ...(model.retry?.relationships ?? [])])].sort();
}

/** The relationships of a processor that Airflow triggers fire on (`when: store:success`): the trigger's connection handles them. */
export function triggeredRelationships(flow: Flow, processor: string): string[] {
  return flow.triggers.filter((trigger) => trigger.when.startsWith(`${processor}:`)).map((trigger) => trigger.when.slice(processor.length + 1));
}

/** `baseDirectory`: where `file:` inputs are read from (the test file's folder; default the process's directory). */
export function loadFlowTestFile(file: string, text: string, flows: readonly Flow[], options: { baseDirectory?: string } = {}): LoadedFlowTestFile {
  const read = readYamlDocument(file, text, 'flow test files');
  const diagnostics = [...read.diagnostics];
  if (read.data === undefined && hasErrors(diagnostics)) return { file, cases: [], diagnostics };
  const parsed = flowTestFileSchema.safeParse(read.data ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) diagnostics.push(issueDiagnostic(issue, read.data, [], file, read.locate));
    return { file, cases: [], diagnostics: sortDiagnostics(diagnostics) };
  }
  const at = (path: ReadonlyArray<string | number>, key = false) => ({ file, ...read.locate(path, key) });
  const error = (code: string, message: string, hint: string | undefined, path: ReadonlyArray<string | number>, key = false): Diagnostic => ({ severity: 'error', code, message, ...(hint ? { hint } : {}), ...at(path, key) });
  const cases: FlowTestCase[] = [];
  const names = new Set<string>();
  parsed.data.cases.forEach((model, index) => {
    const path = ['cases', index];
    if (names.has(model.name)) diagnostics.push(error('test/duplicate-case', `Two cases are named "${model.name}".`, 'Case names identify them in the output, JUnit and --filter: make them unique.', [...path, 'name']));
    names.add(model.name);
    const flowName = model.flow ?? parsed.data.flow;
    if (flowName === undefined) {
      diagnostics.push(error('test/missing-flow', `Case "${model.name}" names no flow.`, 'Write flow: <name> in the case, or once at the top of the file.', path));
      return;
    }
    const flow = flows.find((candidate) => candidate.name === flowName);
    if (!flow) {
      const flowPath = model.flow !== undefined ? [...path, 'flow'] : ['flow'];
      diagnostics.push(error('test/unknown-flow', `No flow named "${flowName}" in the flow files.`, `Known flows: ${flows.map((candidate) => candidate.name).join(', ') || 'none'}.`, flowPath));
      return;
    }
    const problems = checkFlowTestCase(model, flow, path, error, read.locate, options.baseDirectory ?? process.cwd());
    diagnostics.push(...problems.diagnostics);
    if (problems.diagnostics.length === 0) cases.push(problems.testCase(file, read.locate(path).range?.start.line));
  });
  return { file, cases, diagnostics: sortDiagnostics(diagnostics) };
}

export type ErrorAt = (code: string, message: string, hint: string | undefined, path: ReadonlyArray<string | number>, key?: boolean) => Diagnostic;

/** A case's references into its flow checked (diagnostics), and the runnable case once there are none. */
export function checkFlowTestCase(model: FlowTestCaseModel, flow: Flow, path: Array<string | number>, error: ErrorAt, locate: Locator, baseDirectory: string): { diagnostics: Diagnostic[]; testCase: (file: string, line: number | undefined) => FlowTestCase } {
  const diagnostics: Diagnostic[] = [];
  const processors = Object.keys(flow.processors);
  const knownProcessors = `Processors of ${flow.name}: ${processors.join(', ') || 'none'}.`;
  const checkPattern = (pattern: string | undefined, patternPath: Array<string | number>) => {
    if (pattern === undefined) return;
    try {
      new RegExp(pattern, 'u');
    } catch (caught) {
      diagnostics.push(error('test/invalid-regex', `Not a regular expression: ${(caught as Error).message}.`, 'JavaScript regular expression syntax (with the u flag).', patternPath));
    }
  };

  for (const name of Object.keys(model.parameters)) {
    if (!(name in flow.parameters)) diagnostics.push(error('test/unknown-parameter', `Flow "${flow.name}" has no parameter "${name}".`, `Its parameters: ${Object.keys(flow.parameters).join(', ') || 'none'}.`, [...path, 'parameters', name], true));
  }
  for (const name of Object.keys(model.stubs)) {
    if (!(name in flow.processors)) diagnostics.push(error('test/unknown-processor', `Flow "${flow.name}" has no processor "${name}" to stub.`, knownProcessors, [...path, 'stubs', name], true));
  }

  const inputs: FlowTestCase['inputs'] = [];
  const triggers: string[] = [];
  model.inputs.forEach((input, index) => {
    const inputPath = [...path, 'inputs', index];
    const target = input.before ?? input.trigger;
    const key = input.before !== undefined ? 'before' : 'trigger';
    if ((input.before === undefined) === (input.trigger === undefined)) {
      diagnostics.push(error('test/input-target', 'An input is queued `before` a processor or `trigger`s a source processor: exactly one of them.', 'before: <processor> with content, or trigger: <source processor> alone.', inputPath));
      return;
    }
    if (!(target! in flow.processors)) diagnostics.push(error('test/unknown-processor', `Flow "${flow.name}" has no processor "${target}" to ${key === 'before' ? 'feed' : 'trigger'}.`, knownProcessors, [...inputPath, key]));
    else if (target! in model.stubs) diagnostics.push(error('test/input-into-stub', `"${target}" is stubbed in this case: nothing would process the input.`, 'Feed the processor before it, or don\'t stub it.', [...inputPath, key]));
    if (input.trigger !== undefined) {
      const content = (['text', 'json', 'csv', 'file'] as const).filter((field) => input[field] !== undefined);
      if (content.length > 0 || Object.keys(input.attributes).length > 0) {
        diagnostics.push(error('test/input-content', `A triggered source makes its own flowfiles: it takes no ${[...content, ...(Object.keys(input.attributes).length ? ['attributes'] : [])].join(', ')}.`, 'Drop them, or feed a flowfile with before: <processor>.', inputPath));
      }
      triggers.push(input.trigger);
      return;
    }
    const content = inputContent(input, inputPath, error, baseDirectory);
    if (typeof content === 'string') inputs.push({ before: input.before!, content, attributes: input.attributes });
    else diagnostics.push(content);
  });

  const expectations: Array<Omit<FlowTestExpectation, 'line'> & { path: Array<string | number> }> = [];
  model.expect.forEach((expectation, index) => {
    const expectationPath = [...path, 'expect', index];
    const point = resolvePoint(expectation.at, flow, model.stubs);
    if ('problem' in point) {
      diagnostics.push(error(point.code, point.problem, point.hint, [...expectationPath, 'at']));
      return;
    }
    checkPattern(expectation.content?.matches, [...expectationPath, 'content', 'matches']);
    for (const [name, value] of Object.entries(expectation.attributes)) checkPattern(typeof value === 'object' ? value.matches : undefined, [...expectationPath, 'attributes', name, 'matches']);
    if (expectation.count === 0 && (expectation.content || Object.keys(expectation.attributes).length > 0)) {
      diagnostics.push(error('test/count-zero-with-checks', 'count: 0 says nothing comes out here, so there is no content or attribute to check.', 'Drop content/attributes, or expect a count above 0.', [...expectationPath, 'count']));
    }
    expectations.push({ at: expectation.at, point: point.point, count: expectation.count, content: expectation.content, attributes: expectation.attributes, path: expectationPath });
  });
  model.bulletins.expect.forEach((bulletin, index) => {
    const bulletinPath = [...path, 'bulletins', 'expect', index];
    if (bulletin.source !== undefined && !(bulletin.source in flow.processors) && !(bulletin.source in flow.services)) {
      diagnostics.push(error('test/unknown-processor', `Flow "${flow.name}" has no processor or service "${bulletin.source}" to raise a bulletin.`, knownProcessors, [...bulletinPath, 'source']));
    }
    checkPattern(bulletin.matches, [...bulletinPath, 'matches']);
  });
  const timeoutMs = duration(model.timeout ?? defaultCaseTimeout);
  return {
    diagnostics,
    testCase: (file, line) => ({
      file,
      line,
      name: model.name,
      flow,
      parameters: model.parameters,
      stubs: model.stubs,
      inputs,
      triggers,
      expectations: expectations.map(({ path: expectationPath, ...expectation }) => ({ ...expectation, line: locate(expectationPath).range?.start.line })),
      bulletins: { expect: model.bulletins.expect.map((bulletin, index) => ({ ...bulletin, line: locate([...path, 'bulletins', 'expect', index]).range?.start.line })), forbid: model.bulletins.forbid },
      nothingElse: model.nothingElse,
      timeoutMs,
    }),
  };
}

/** The input's content as text: `text` as it is, `json` serialized (a string of JSON text must parse), `csv` records written as CSV, a `file` read. */
function inputContent(input: FlowTestCaseModel['inputs'][number], path: Array<string | number>, error: ErrorAt, baseDirectory: string): string | Diagnostic {
  const given = (['text', 'json', 'csv', 'file'] as const).filter((key) => input[key] !== undefined);
  if (given.length !== 1) {
    return error('test/input-content', `An input has its content in exactly one of text, json, csv or file${given.length ? ` (here: ${given.join(', ')})` : ''}.`, 'text: "…" for any text, json: for JSON (YAML or a JSON string), csv: for records, file: for a file beside the test.', path);
  }
  if (input.text !== undefined) return input.text;
  if (input.csv !== undefined) return csvText(input.csv);
  if (input.file !== undefined) {
    try {
      return readFileSync(resolve(baseDirectory, input.file), 'utf8');
    } catch (caught) {
      return error('test/input-file', `Cannot read ${input.file}: ${(caught as NodeJS.ErrnoException).code ?? (caught as Error).message}.`, 'The path is relative to the test file.', [...path, 'file']);
    }
  }
  if (typeof input.json !== 'string') return JSON.stringify(input.json);
  try {
    JSON.parse(input.json);
    return input.json;
  } catch (caught) {
    return error('test/invalid-json', `The inline JSON doesn't parse: ${(caught as Error).message}.`, 'Fix the JSON text, or write the value as YAML (json: { key: value }).', [...path, 'json']);
  }
}

/** Records as CSV: a header of the fields in order of first appearance, RFC 4180 quoting, empty for null or absent. */
export function csvText(records: ReadonlyArray<Record<string, string | number | boolean | null>>): string {
  const fields = [...new Set(records.flatMap((record) => Object.keys(record)))];
  const cell = (value: string | number | boolean | null | undefined) => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [fields.map(cell).join(','), ...records.map((record) => fields.map((field) => cell(record[field])).join(','))].join('\n') + '\n';
}

/** `trigger:<name>`: what a compiled Airflow trigger would send (its request body, captured before the call). */
export const triggerPointPrefix = 'trigger:';

/** What `at` names: a stubbed processor's capture, a funnel, or processor.relationship (names may contain dots: the processor is matched first). */
export function resolvePoint(at: string, flow: Flow, stubs: Readonly<Record<string, StubKind>>): { point: TestPoint } | { code: string; problem: string; hint: string } {
  if (at in stubs) return { point: { kind: 'capture', processor: at } };
  if (flow.funnels.includes(at)) return { point: { kind: 'funnel', funnel: at } };
  if (flow.outputPorts.includes(at)) return { point: { kind: 'output-port', port: at } };
  if (at.startsWith(triggerPointPrefix)) {
    const name = at.slice(triggerPointPrefix.length);
    if (flow.triggers.some((trigger) => trigger.name === name)) return { point: { kind: 'trigger', trigger: name } };
    return { code: 'test/unknown-trigger', problem: `Flow "${flow.name}" has no Airflow trigger "${name}".`, hint: `Its triggers: ${flow.triggers.map((trigger) => trigger.name).join(', ') || 'none'}.` };
  }
  const owners = Object.keys(flow.processors).filter((processor) => at.startsWith(`${processor}.`));
  for (const processor of owners) {
    const relationship = at.slice(processor.length + 1);
    if (knownRelationships(flow, processor).includes(relationship)) {
      if (processor in stubs) return { code: 'test/stubbed-processor', problem: `"${processor}" is stubbed in this case: it has no relationships, its capture holds what reached it.`, hint: `Expect at: ${processor}.` };
      return { point: { kind: 'relationship', processor, relationship } };
    }
  }
  if (owners.length > 0) {
    const processor = owners[0]!;
    return { code: 'test/unknown-relationship', problem: `Processor "${processor}" of flow "${flow.name}" has no relationship "${at.slice(processor.length + 1)}".`, hint: `Its relationships: ${knownRelationships(flow, processor).join(', ') || 'none'}.` };
  }
  const stubbed = Object.keys(stubs);
  return {
    code: 'test/unknown-point',
    problem: `"${at}" is not a processor.relationship, a stubbed processor, a funnel or an output port of flow "${flow.name}".`,
    hint: `Write processor.relationship (processors: ${Object.keys(flow.processors).join(', ') || 'none'})${stubbed.length ? `, a stub (${stubbed.join(', ')})` : ''}${flow.funnels.length ? `, a funnel (${flow.funnels.join(', ')})` : ''}${flow.outputPorts.length ? `, an output port (${flow.outputPorts.join(', ')})` : ''}.`,
  };
}
