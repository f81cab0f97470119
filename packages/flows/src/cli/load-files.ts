// Reads the flow files a command names (default ./flows, folders recursively) and gathers their flows,
// source positions and diagnostics, resolved from where the command was typed.
import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Flow, GroupModel, SharedContextDeclaration } from '../model/flow-schema.ts';
import { checkContextGraph, type PlacedContext } from '../validate/check-contexts.ts';
import { checkFileAssets } from '../validate/check-assets.ts';
import { duplicateNameDiagnostics } from '../model/instances.ts';
import { describePropertyNameNote, type PropertyNameNote } from '../model/property-names.ts';
import { isFlowTestFile } from '../flow-tests/test-file-names.ts';
import { loadFlowFile } from '../parse/load-flow-file.ts';
import { sharedServiceDiagnostics } from '../validate/check-shared-services.ts';
import type { LoadedParentSection, ParentSection } from '../model/shared-services.ts';
import type { Place } from '../validate/check-flow.ts';
import { UsageError } from './arguments/options.ts';
import { formatHuman } from './views/diagnostics.ts';

export interface LoadedFiles {
  files: string[];
  flows: Flow[];
  /** Per flow: where a path of it is in its file (for diagnostics found later, e.g. validate --live). */
  places: Place[];
  diagnostics: Diagnostic[];
  /** The shared parameter contexts the files declare (`parameterContexts:`). */
  parameterContexts: SharedContextDeclaration[];
  /** The `parent:` sections of the files merged: the parent group's shared controller services (undefined: no file has one). */
  parent: ParentSection | undefined;
  /** The files' `parent:` sections as read, with their places (validate --live checks their services). */
  parentSections: LoadedParentSection[];
  /** Display path → text, for code frames. */
  sources: Map<string, string>;
}

/** The *.yaml / *.yml files the paths name (folders recursively; default ./flows), absolute; `missing` names a path that doesn't exist. */
export async function listFlowFiles(paths: readonly string[], cwd: string): Promise<string[] | { missing: string }> {
  const files: string[] = [];
  for (const path of paths.length ? paths : ['flows']) {
    const found = await flowFiles(resolve(cwd, path)).catch(() => undefined);
    if (!found) return { missing: path };
    files.push(...found);
  }
  return files;
}

/** Loads every flow file the paths name (see listFlowFiles). */
export async function loadFlowFiles(paths: readonly string[], cwd: string): Promise<LoadedFiles | { missing: string }> {
  const files = await listFlowFiles(paths, cwd);
  if ('missing' in files) return files;
  const flows: Flow[] = [];
  const places: Place[] = [];
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const contexts: PlacedContext[] = [];
  const parentSections: LoadedParentSection[] = [];
  for (const file of files) {
    const display = relative(cwd, file) || file;
    const text = await readFile(file, 'utf8');
    sources.set(display, text);
    const loaded = loadFlowFile(display, text);
    flows.push(...loaded.flows);
    places.push(...loaded.places);
    diagnostics.push(...loaded.diagnostics);
    contexts.push(...loaded.parameterContexts);
    // Local asset files: present, named as NiFi takes them, with the declared checksum.
    diagnostics.push(...(await checkFileAssets(loaded, dirname(file))));
    if (loaded.parent) parentSections.push(loaded.parent);
  }
  // Shared services span files too: their references and the section are checked once everything is read.
  const shared = sharedServiceDiagnostics(flows, places, parentSections, contexts.map((placed) => placed.context));
  diagnostics.splice(0, diagnostics.length, ...diagnostics.filter(shared.replaces), ...shared.diagnostics);
  // Shared contexts and inheritance span files: checked once everything is read.
  diagnostics.push(...checkContextGraph(flows.map((flow, index) => ({ flow, place: places[index]! })), contexts));
  // Each file checked its own names; a flow or instance named like one of another file claims the same group.
  diagnostics.push(...duplicateNameDiagnostics(flows, places, true));
  return { files, flows, places, diagnostics: sortDiagnostics(diagnostics), parameterContexts: contexts.map((placed) => placed.context), parent: shared.parent, parentSections, sources };
}

async function flowFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (info.isFile()) return [path];
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && ['.yaml', '.yml'].includes(extname(entry.name)) && !isFlowTestFile(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * The flows of the given paths for a command that acts on them: a missing path is a UsageError; files
 * with errors are reported on stderr and yield undefined (the command exits 1 without acting).
 */
export async function loadValidFlowFiles(paths: readonly string[], cwd: string, stderr: NodeJS.WritableStream, consequence: string): Promise<LoadedFiles | undefined> {
  const loaded = await loadFlowFiles(paths, cwd);
  if ('missing' in loaded) throw new UsageError(`no such file or folder: ${loaded.missing}`);
  if (!hasErrors(loaded.diagnostics)) return loaded;
  stderr.write(`${formatHuman(loaded.diagnostics, loaded.sources)}\n\nThe files have errors; ${consequence}.\n`);
  return undefined;
}

/** Whether the paths take in the whole folder (no paths at all means the folder itself). */
export function coversFolder(paths: readonly string[], cwd: string, folder: string): boolean {
  if (paths.length === 0) return true;
  return paths.some((path) => {
    const inside = relative(resolve(cwd, path), folder);
    return inside === '' || (inside.split(sep)[0] !== '..' && !isAbsolute(inside));
  });
}

/**
 * A plan's notes on property keys NiFi renamed or dropped, as warnings at the key in its file (on
 * stderr, so `--json` output stays the plan alone); nothing when there are none.
 */
export function reportPropertyNames(notes: readonly PropertyNameNote[] | undefined, loaded: LoadedFiles, stderr: NodeJS.WritableStream): void {
  if (!notes?.length) return;
  const diagnostics = notes.flatMap((note): Diagnostic[] => {
    const index = loaded.flows.findIndex((flow) => flow.name === note.flow);
    const path = index < 0 ? undefined : modelPath(loaded.flows[index]!, note);
    // Components the compiler adds (an Airflow trigger's) have no place in the file: the flow's name stands in.
    const place = loaded.places[index]?.(path ?? ['name'], path !== undefined) ?? { file: note.flow, pointer: '', path: note.address };
    return [{ severity: 'warning', code: note.nifiName ? 'nifi/renamed-property' : 'nifi/dropped-property', ...describePropertyNameNote(note), ...place }];
  });
  stderr.write(`${formatHuman(sortDiagnostics(diagnostics), loaded.sources)}\n\n`);
}

/** Where a noted property is in the flow model (groups by name, as the plan addresses them). */
function modelPath(flow: Flow, note: PropertyNameNote): Array<string | number> | undefined {
  let group: GroupModel = flow;
  const path: Array<string | number> = [];
  for (const name of note.location.groups) {
    const index = group.groups.findIndex((child) => child.name === name);
    if (index < 0) return undefined;
    group = group.groups[index]!;
    path.push('groups', index);
  }
  const components: Record<string, unknown> = note.location.kind === 'processors' ? group.processors : group.services;
  return note.location.name in components ? [...path, note.location.kind, note.location.name, 'properties', note.inCode] : undefined;
}
