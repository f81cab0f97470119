// Expected vs what came out: each expectation of a case checked against the flowfiles read back from its
// point, each failure with a readable message and, for content and attributes, a line diff of expected
// vs actual (jsdiff's line diff: well maintained, typed, and what Jest and Mocha print diffs with).
import { diffLines } from 'diff';
import { isDeepStrictEqual } from 'node:util';
import type { FlowTestExpectation } from './load-test-file.ts';
import { bulletinLevels, type AttributeExpectation, type BulletinExpectation, type BulletinLevel, type ContentExpectation } from './test-schema.ts';

/** A flowfile read back from a queue of the test copy. */
export interface ObservedFlowFile {
  uuid: string;
  size: number;
  /** The content as UTF-8 text. */
  content: string;
  attributes: Record<string, string>;
}

export interface ExpectationFailure {
  /** The expectation's `at` (or the queue, for data nothing expected). */
  at: string;
  message: string;
  /** Expected vs actual, as a line diff (`- expected`, `+ actual`), when there is something to compare. */
  diff?: string | undefined;
  /** 1-based line of the expectation in its test file. */
  line?: number | undefined;
}

/** Attributes NiFi sets on every flowfile: left out of diffs, which show the ones that matter. */
const coreAttributes = new Set(['uuid', 'filename', 'path']);

export function matchExpectation(expectation: FlowTestExpectation, flowFiles: readonly ObservedFlowFile[], truncated: boolean): ExpectationFailure[] {
  const failure = (message: string, diff?: string): ExpectationFailure => ({ at: expectation.at, message, ...(diff ? { diff } : {}), line: expectation.line });
  if (truncated) return [failure(`More flowfiles than NiFi lists at once came out here (${flowFiles.length} listed): too many to check.`)];
  if (expectation.count !== undefined ? flowFiles.length !== expectation.count : flowFiles.length === 0) {
    const wanted = expectation.count !== undefined ? `${expectation.count}` : 'at least 1';
    return [failure(`Expected ${wanted} flowfile(s) at ${expectation.at}, got ${flowFiles.length}.`, flowFiles.length ? describeFlowFiles(flowFiles) : undefined)];
  }
  const failures: ExpectationFailure[] = [];
  flowFiles.forEach((flowFile, index) => {
    const which = flowFiles.length > 1 ? ` (flowfile ${index + 1} of ${flowFiles.length})` : '';
    for (const problem of contentProblems(expectation.content, flowFile.content)) failures.push(failure(`${problem.message}${which}`, problem.diff));
    const attributeProblems = Object.entries(expectation.attributes).flatMap(([name, expected]) => attributeProblem(name, expected, flowFile.attributes));
    if (attributeProblems.length > 0) {
      const expectedView = Object.fromEntries(Object.entries(expectation.attributes).map(([name, expected]) => [name, describeAttributeExpectation(expected)]));
      const actualView = Object.fromEntries(Object.keys(expectation.attributes).map((name) => [name, flowFile.attributes[name] ?? '(absent)']));
      failures.push(failure(`Attributes differ${which}: ${attributeProblems.join('; ')}.`, lineDiff(stableJson(expectedView), stableJson(actualView))));
    }
  });
  return failures;
}

/** What came out, for people: size, content (the start of it) and attributes other than NiFi's own of a few flowfiles. */
export function describeFlowFiles(flowFiles: readonly ObservedFlowFile[]): string {
  return flowFiles
    .slice(0, 5)
    .map((flowFile, index) => {
      const attributes = Object.fromEntries(Object.entries(flowFile.attributes).filter(([name]) => !coreAttributes.has(name)));
      return `flowfile ${index + 1}: ${flowFile.size} byte(s) ${JSON.stringify(truncate(flowFile.content, 300))}, attributes ${JSON.stringify(attributes)}`;
    })
    .join('\n');
}

interface Problem {
  message: string;
  diff?: string | undefined;
}

function contentProblems(expected: ContentExpectation | undefined, content: string): Problem[] {
  if (!expected) return [];
  const problems: Problem[] = [];
  if (expected.equals !== undefined && content !== expected.equals) problems.push({ message: 'Content differs', diff: lineDiff(expected.equals, content) });
  for (const text of typeof expected.contains === 'string' ? [expected.contains] : (expected.contains ?? [])) {
    if (!content.includes(text)) problems.push({ message: `Content does not contain ${JSON.stringify(text)}: ${JSON.stringify(truncate(content, 300))}` });
  }
  if (expected.matches !== undefined && !new RegExp(expected.matches, 'u').test(content)) {
    problems.push({ message: `Content does not match /${expected.matches}/: ${JSON.stringify(truncate(content, 300))}` });
  }
  const wantsJson = expected.json !== undefined || expected.fields !== undefined || expected.records !== undefined;
  if (!wantsJson) return problems;
  const parsed = parseJsonContent(content);
  if (parsed === undefined) return [...problems, { message: `Content is not JSON (or JSON lines): ${JSON.stringify(truncate(content, 300))}` }];
  if (expected.json !== undefined && !jsonEqual(expected.json, parsed.value)) problems.push({ message: 'JSON content differs', diff: lineDiff(stableJson(expected.json), stableJson(parsed.value)) });
  for (const [path, wanted] of Object.entries(expected.fields ?? {})) {
    const found = readJsonPath(parsed.value, path);
    if (!found.found) problems.push({ message: `No value at JSON path ${path} in ${JSON.stringify(truncate(JSON.stringify(parsed.value), 300))}` });
    else if (!jsonEqual(wanted, found.value)) problems.push({ message: `At ${path}: expected ${JSON.stringify(wanted)}, got ${JSON.stringify(found.value)}` });
  }
  if (expected.records !== undefined) {
    const records = parsed.records;
    const subset = records.map((record, index) => pick(record, expected.records![index]));
    const same = records.length === expected.records.length && expected.records.every((wanted, index) => jsonEqual(wanted, subset[index]));
    if (!same) {
      const countNote = records.length !== expected.records.length ? ` (${expected.records.length} expected, ${records.length} came)` : '';
      problems.push({ message: `Records differ${countNote}; fields not listed are not compared`, diff: lineDiff(stableJson(expected.records), stableJson(subset)) });
    }
  }
  return problems;
}

/** The record's fields that the expected record names (all of them when there is no expected record), to compare and show. */
function pick(record: unknown, wanted: Record<string, unknown> | undefined): unknown {
  if (!wanted || typeof record !== 'object' || record === null || Array.isArray(record)) return record;
  return Object.fromEntries(Object.keys(wanted).map((key) => [key, key in record ? (record as Record<string, unknown>)[key] : '(absent)']));
}

function attributeProblem(name: string, expected: AttributeExpectation, attributes: Record<string, string>): string[] {
  const actual = attributes[name];
  const rule = typeof expected === 'string' ? { equals: expected } : expected;
  const problems: string[] = [];
  if (rule.exists === true && actual === undefined) problems.push(`${name} is absent`);
  if (rule.exists === false && actual !== undefined) problems.push(`${name} is set (${JSON.stringify(truncate(actual, 100))}) but should be absent`);
  if (rule.equals !== undefined && actual !== rule.equals) problems.push(`${name} is ${actual === undefined ? 'absent' : JSON.stringify(truncate(actual, 100))}, expected ${JSON.stringify(rule.equals)}`);
  if (rule.matches !== undefined && (actual === undefined || !new RegExp(`^(?:${rule.matches})$`, 'u').test(actual))) {
    problems.push(`${name} is ${actual === undefined ? 'absent' : JSON.stringify(truncate(actual, 100))}, expected to match /${rule.matches}/`);
  }
  return problems;
}

/** A bulletin NiFi raised in the copy. */
export interface ObservedBulletin {
  level: string;
  /** The processor's or service's name. */
  source: string;
  message: string;
}

/**
 * Each expected bulletin must match one NiFi raised; a bulletin at or above `forbid` that no expectation matches fails
 * the case too (an ERROR from a processor is a failure unless the test says it is meant).
 */
export function matchBulletins(expected: ReadonlyArray<BulletinExpectation & { line?: number | undefined }>, forbid: BulletinLevel | 'none', bulletins: readonly ObservedBulletin[]): ExpectationFailure[] {
  const matches = (rule: BulletinExpectation, bulletin: ObservedBulletin) =>
    (rule.level === undefined || rule.level === bulletin.level) && (rule.source === undefined || rule.source === bulletin.source) && (rule.matches === undefined || new RegExp(rule.matches, 'u').test(bulletin.message));
  const describe = (bulletin: ObservedBulletin) => `${bulletin.level} ${bulletin.source}: ${truncate(bulletin.message.replaceAll(/\s*\n\s*/g, ' | '), 300)}`;
  const failures: ExpectationFailure[] = [];
  for (const rule of expected) {
    if (bulletins.some((bulletin) => matches(rule, bulletin))) continue;
    const wanted = [rule.level ?? 'any level', rule.source ? `from ${rule.source}` : undefined, rule.matches !== undefined ? `matching /${rule.matches}/` : undefined].filter(Boolean).join(' ');
    failures.push({ at: 'bulletins', message: `No bulletin (${wanted}) was raised.`, ...(bulletins.length ? { diff: bulletins.map(describe).join('\n') } : {}), line: rule.line });
  }
  if (forbid !== 'none') {
    const threshold = bulletinLevels.indexOf(forbid);
    for (const bulletin of bulletins) {
      if (bulletinLevels.indexOf(bulletin.level as BulletinLevel) < threshold || expected.some((rule) => matches(rule, bulletin))) continue;
      failures.push({ at: 'bulletins', message: `Unexpected bulletin: ${describe(bulletin)}`, line: undefined });
    }
  }
  return failures;
}

function describeAttributeExpectation(expected: AttributeExpectation): string {
  if (typeof expected === 'string') return expected;
  return [expected.equals, expected.matches !== undefined ? `/${expected.matches}/` : undefined, expected.exists === undefined ? undefined : expected.exists ? '(set)' : '(absent)'].filter((part) => part !== undefined).join(' ');
}

/** JSON content: one document, or JSON lines (what NiFi's JSON writers emit with "one line per object"). */
export function parseJsonContent(content: string): { value: unknown; records: unknown[] } | undefined {
  try {
    const value = JSON.parse(content) as unknown;
    return { value, records: Array.isArray(value) ? value : [value] };
  } catch {
    const lines = content.split('\n').filter((line) => line.trim() !== '');
    if (lines.length < 2) return undefined;
    try {
      const records = lines.map((line) => JSON.parse(line) as unknown);
      return { value: records, records };
    } catch {
      return undefined;
    }
  }
}

/**
 * A value at a JSON path: `$` optional, then `.name`, `[index]` or `['name']` steps (`$[0].pm25`, `sensor_id`, `a.b[2]`).
 * A path that doesn't start with `$` or `[` starts with a name. No filters or wildcards: a test names one value.
 */
export function readJsonPath(value: unknown, path: string): { found: true; value: unknown } | { found: false } {
  const steps: Array<string | number> = [];
  const pattern = /\.([^.[\]]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/gy;
  let rest = path.startsWith('$') ? path.slice(1) : path;
  if (rest !== '' && !rest.startsWith('.') && !rest.startsWith('[')) rest = `.${rest}`;
  pattern.lastIndex = 0;
  let consumed = 0;
  for (let match = pattern.exec(rest); match; match = pattern.exec(rest)) {
    steps.push(match[2] !== undefined ? Number(match[2]) : (match[1] ?? match[3] ?? match[4]!).replaceAll(/\\(.)/g, '$1'));
    consumed = pattern.lastIndex;
  }
  if (consumed !== rest.length) return { found: false };
  let current = value;
  for (const step of steps) {
    if (typeof step === 'number' ? !Array.isArray(current) || step >= current.length : typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, step)) {
      return { found: false };
    }
    current = (current as Record<string | number, unknown>)[step];
  }
  return { found: true, value: current };
}

/** Deep equality of JSON values, numbers as numbers (YAML `35` equals JSON `35.0`), key order ignored. */
function jsonEqual(expected: unknown, actual: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(stableJson(expected)), JSON.parse(stableJson(actual)));
}

/** JSON with sorted keys, two-space indentation: one line per field, so diffs show the field that differs. */
export function stableJson(value: unknown): string {
  const sorted = (input: unknown): unknown => {
    if (Array.isArray(input)) return input.map(sorted);
    if (typeof input === 'object' && input !== null) return Object.fromEntries(Object.keys(input).sort().map((key) => [key, sorted((input as Record<string, unknown>)[key])]));
    return input;
  };
  return JSON.stringify(sorted(value), null, 2) ?? 'undefined';
}

/** `- expected` / `+ actual` / `  same` lines. */
export function lineDiff(expected: string, actual: string): string {
  const withEnd = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
  return diffLines(withEnd(expected), withEnd(actual))
    .flatMap((part) => {
      const marker = part.added ? '+ ' : part.removed ? '- ' : '  ';
      return part.value.replace(/\n$/, '').split('\n').map((line) => `${marker}${line}`);
    })
    .join('\n');
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
