// YAML → flows, with every problem reported as a Diagnostic at the exact place in the file. Malformed
// YAML, duplicate keys, alias bombs, huge files, unknown keys and wrong types are diagnostics, never a
// stack trace.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type * as z from 'zod';
import type { Diagnostic, Position } from '../diagnostics/diagnostic.ts';
import { hasErrors, sortDiagnostics, toJsonPointer } from '../diagnostics/diagnostic.ts';
import { flowSchema, sharedContextSchema, type Flow, type SharedContextDeclaration } from '../model/flow-schema.ts';
import { checkSharedContext } from '../validate/check-contexts.ts';
import { duplicateNameDiagnostics, expandInstances } from '../model/instances.ts';
import { checkFlow, type Place } from '../validate/check-flow.ts';
import { takeParentSection, type LoadedParentSection } from '../model/shared-services.ts';

/** Larger flow files are refused before parsing: they are not hand-written, and could exhaust memory. */
export const maxFlowFileBytes = 2 * 1024 * 1024;
const maxAliasCount = 100;

export interface LoadedFlowFile {
  file: string;
  flows: Flow[];
  diagnostics: Diagnostic[];
  /** Where a path of the document is in the file (for diagnostics found later, e.g. by plan). */
  locate: Locator;
  /** Per flow (same order as `flows`): where a path of that flow is in the file. */
  places: Place[];
  /** The shared parameter contexts the file declares (`parameterContexts:`), each with where its paths are. */
  parameterContexts: LoadedSharedContext[];
  /** The file's `parent:` section (shared controller services, see shared-services.ts), if any. */
  parent?: LoadedParentSection | undefined;
}

export interface LoadedSharedContext {
  context: SharedContextDeclaration;
  /** Where a path of the context (relative to `parameterContexts.<name>`) is in the file. */
  place: Place;
}

export type Locator = (path: ReadonlyArray<string | number>, key?: boolean) => Pick<Diagnostic, 'range' | 'pointer' | 'path'>;

/** A YAML document read for a schema: its plain data, or the diagnostics that stopped the reading, and where its paths are. */
export type ReadYamlDocument = { data: unknown; diagnostics: Diagnostic[]; locate: Locator } | { data?: undefined; diagnostics: Diagnostic[]; locate: Locator };

/**
 * The YAML machinery every file of this package is read with (flow files, flow test files): the size limit,
 * YAML errors and warnings at file:line:col, unique keys, the alias limit, and a locator for later diagnostics.
 * `data` is absent when an error stopped the reading.
 */
export function readYamlDocument(file: string, text: string, what = 'flow files'): ReadYamlDocument {
  const diagnostics: Diagnostic[] = [];
  const noLocation: Locator = (path) => ({ pointer: toJsonPointer(path), path: path.join('.') || '(file)' });
  if (Buffer.byteLength(text) > maxFlowFileBytes) {
    diagnostics.push({
      severity: 'error',
      code: 'file/too-large',
      message: `The file has ${Buffer.byteLength(text)} bytes; ${what} may have at most ${maxFlowFileBytes}.`,
      hint: 'Split it into several files.',
      file,
      pointer: '',
      path: '(file)',
    });
    return { diagnostics, locate: noLocation };
  }

  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true, merge: true });
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col, offset };
  };
  for (const error of [...document.errors, ...document.warnings]) {
    diagnostics.push({
      severity: document.errors.includes(error as never) ? 'error' : 'warning',
      code: `yaml/${error.code.toLowerCase().replaceAll('_', '-')}`,
      message: error.message.split('\n')[0]!,
      file,
      range: { start: position(error.pos[0]), end: position(error.pos[1]) },
      pointer: '',
      path: '(yaml)',
    });
  }
  const locate = locator(document, position);
  if (diagnostics.some((diagnostic) => diagnostic.severity === 'error')) return { diagnostics, locate };
  try {
    return { data: document.toJS({ maxAliasCount }), diagnostics, locate };
  } catch (error) {
    diagnostics.push({
      severity: 'error',
      code: 'yaml/alias-limit',
      message: `The document expands too many aliases (${(error as Error).message}).`,
      hint: `Use at most ${maxAliasCount} alias expansions; anchors and aliases are for small repeated snippets.`,
      file,
      pointer: '',
      path: '(yaml)',
    });
    return { diagnostics, locate };
  }
}

export function loadFlowFile(file: string, text: string): LoadedFlowFile {
  const read = readYamlDocument(file, text);
  const { diagnostics, locate } = read;
  if (read.data === undefined && hasErrors(diagnostics)) return { file, flows: [], diagnostics, locate, places: [], parameterContexts: [] };
  // Shared parameter contexts may sit beside the flow(s), or alone in a file of their own.
  const { data: withoutParent, parent } = takeParentSection(read.data, file, locate, diagnostics, issueDiagnostic);
  const loaded = loadFlowsAndContexts(file, withoutParent, diagnostics, locate);
  return parent ? { ...loaded, parent } : loaded;
}

function loadFlowsAndContexts(file: string, document: unknown, diagnostics: Diagnostic[], locate: Locator): LoadedFlowFile {
  if (document === undefined) return { file, flows: [], diagnostics: sortDiagnostics(diagnostics), locate, places: [], parameterContexts: [] };
  const { data, parameterContexts } = takeSharedContexts(document, file, locate, diagnostics);
  if (data === undefined) return { file, flows: [], diagnostics: sortDiagnostics(diagnostics), locate, places: [], parameterContexts };

  // A file holds one flow, or several under `flows:`.
  const multiple = typeof data === 'object' && data !== null && !Array.isArray(data) && 'flows' in data;
  const rawFlows: unknown[] = multiple ? ((data as { flows: unknown }).flows as unknown[]) : [data];
  const prefix: Array<string | number> = multiple ? ['flows'] : [];
  if (multiple && (!Array.isArray(rawFlows) || rawFlows.length === 0)) {
    diagnostics.push({ severity: 'error', code: 'schema/flows', message: '`flows` must be a non-empty list of flows.', file, ...locate(['flows']) });
    return { file, flows: [], diagnostics, locate, places: [], parameterContexts };
  }
  if (multiple && Object.keys(data as object).length > 1) {
    for (const key of Object.keys(data as object).filter((key) => key !== 'flows')) {
      diagnostics.push({ severity: 'error', code: 'schema/unrecognized_keys', message: `Unknown key "${key}" next to "flows".`, hint: 'A file with `flows:` holds only that list.', file, ...locate([key], true) });
    }
  }

  const flows: Flow[] = [];
  const places: Place[] = [];
  rawFlows.forEach((rawFlow, index) => {
    const base = multiple ? [...prefix, index] : [];
    const parsed = flowSchema.safeParse(rawFlow);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) diagnostics.push(issueDiagnostic(issue, rawFlow, base, file, locate));
      return;
    }
    const place: Place = (path, key) => ({ file, ...locate([...base, ...path], key) });
    // A definition with `instances:` stands for one flow per instance (instances.ts); checked as each instance, reported once.
    const expanded = expandInstances(parsed.data, place);
    diagnostics.push(...expanded.diagnostics);
    const reported = new Set<string>();
    for (const instance of expanded.flows) {
      flows.push(instance.flow);
      places.push(instance.place);
    }
    // Refused instances leave no flows: the definition itself is checked then, so its other problems still show.
    for (const checked of expanded.flows.length > 0 ? expanded.flows : [{ flow: parsed.data, place }]) {
      for (const diagnostic of checkFlow(checked.flow, checked.place)) {
        const identity = `${diagnostic.code}|${diagnostic.pointer}|${diagnostic.message}`;
        if (!reported.has(identity)) diagnostics.push(diagnostic);
        reported.add(identity);
      }
    }
  });
  diagnostics.push(...duplicateNameDiagnostics(flows, places));
  return { file, flows, diagnostics: sortDiagnostics(diagnostics), locate, places, parameterContexts };
}

/**
 * Splits `parameterContexts:` off the document: each context checked against its schema and its own
 * rules, with its place. `data` is what is left for the flow(s), undefined when the file holds only contexts.
 */
function takeSharedContexts(data: unknown, file: string, locate: Locator, diagnostics: Diagnostic[]): { data: unknown; parameterContexts: LoadedSharedContext[] } {
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !('parameterContexts' in data)) return { data, parameterContexts: [] };
  const { parameterContexts: raw, ...rest } = data as Record<string, unknown>;
  const parameterContexts: LoadedSharedContext[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    diagnostics.push({ severity: 'error', code: 'schema/parameter-contexts', message: '`parameterContexts` must map context names to contexts.', hint: 'e.g. parameterContexts: { db: { parameters: { jdbc_url: { value: … } } } }', file, ...locate(['parameterContexts']) });
  } else {
    for (const [name, rawContext] of Object.entries(raw)) {
      const base = ['parameterContexts', name];
      const parsed = sharedContextSchema.safeParse(rawContext);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) diagnostics.push(issueDiagnostic(issue, rawContext, base, file, locate));
        continue;
      }
      const place: Place = (path, key) => ({ file, ...locate([...base, ...path], key) });
      const context = { name, ...parsed.data };
      parameterContexts.push({ context, place });
      diagnostics.push(...checkSharedContext(context, place));
    }
  }
  return { data: Object.keys(rest).length === 0 ? undefined : rest, parameterContexts };
}

/** A zod issue as a diagnostic at its place in the file (`base`: where the checked value is in the document). */
export function issueDiagnostic(issue: z.core.$ZodIssue, rawFlow: unknown, base: Array<string | number>, file: string, locate: Locator): Diagnostic {
  const path = [...base, ...(issue.path as Array<string | number>)];
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    return {
      severity: 'error',
      code: 'schema/unrecognized_keys',
      message: `Unknown key "${key}"${issue.keys.length > 1 ? ` (and ${issue.keys.slice(1).map((other) => `"${other}"`).join(', ')})` : ''}.`,
      hint: 'Check the spelling; the JSON Schema (flows schema) lists every key.',
      file,
      ...locate([...path, key], true),
    };
  }
  const missing = issue.code === 'invalid_type' && valueAt(rawFlow, issue.path as Array<string | number>) === undefined;
  return {
    severity: 'error',
    code: missing ? 'schema/missing' : `schema/${issue.code}`,
    message: missing ? `"${String(path.at(-1))}" is required.` : issue.message,
    file,
    // A bad name of a record entry (an instance, a processor) is marked at the name, not at its value.
    ...locate(path, issue.code === 'invalid_key'),
  };
}

function valueAt(value: unknown, path: ReadonlyArray<string | number>): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/**
 * Maps a document path to its place in the file: the value's node, the key when asked (unknown keys),
 * or the nearest existing ancestor (a missing key is reported on the object that lacks it).
 */
function locator(document: Document, position: (offset: number) => Position): (path: ReadonlyArray<string | number>, key?: boolean) => Pick<Diagnostic, 'range' | 'pointer' | 'path'> {
  return (path, key = false) => {
    let node: YamlNode | undefined;
    for (let length = path.length; length >= 0 && !node; length--) {
      const candidate = keyOrValue(document, path.slice(0, length), key && length === path.length);
      if (candidate?.range) node = candidate;
    }
    return {
      pointer: toJsonPointer(path),
      path: friendlyPath(document, path),
      ...(node?.range ? { range: { start: position(node.range[0]), end: position(node.range[1]) } } : {}),
    };
  };
}

function keyOrValue(document: Document, path: ReadonlyArray<string | number>, key: boolean): YamlNode | undefined {
  if (path.length === 0) return (document.contents as YamlNode | null) ?? undefined;
  if (key) {
    const parent = document.getIn(path.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(path.at(-1)));
      if (pair && isScalar(pair.key)) return pair.key;
    }
  }
  const value = document.getIn(path, true) as YamlNode | undefined;
  return value && typeof value === 'object' && 'range' in value ? value : undefined;
}

/** `flows[iot-sensors].processors.listen` rather than `/flows/0/processors/listen`: list items by their name. */
function friendlyPath(document: Document, path: ReadonlyArray<string | number>): string {
  let result = '';
  for (let index = 0; index < path.length; index++) {
    const segment = path[index]!;
    if (typeof segment === 'number') {
      const item = document.getIn([...path.slice(0, index), segment], true);
      const named = isMap(item) ? item.get('name') : undefined;
      result += `[${typeof named === 'string' ? named : segment}]`;
    } else {
      const parent = document.getIn(path.slice(0, index), true);
      result += isSeq(parent) ? `[${segment}]` : `${result ? '.' : ''}${segment}`;
    }
  }
  return result || '(file)';
}
