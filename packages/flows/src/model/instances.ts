// Flow instances: one definition with `instances:` becomes one ordinary Flow per instance at load time
// (its own name, process group, parameter context and identifiers), so compile, plan, apply, destroy and
// the rest need no notion of instances. Also the one owner of "flow names are unique" across a file and
// across files, since an instance's name competes with every other flow's.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Place } from '../validate/check-flow.ts';
import type { Flow } from './flow-schema.ts';
import { hasOwnKey, ownEntry } from './own-keys.ts';
import { overrideParameter } from './parameter-override.ts';


/** A flow ready to deploy and where its paths are in its file. */
export interface PlacedFlow {
  flow: Flow;
  place: Place;
}

/**
 * The flows a definition stands for: itself when it has no `instances`, else one flow per instance
 * (none when the instances are refused). Precedence of parameter values: the flow's, then the
 * environment's (`--env`), then the instance's — the instance is the most specific.
 */
export function expandInstances(flow: Flow, place: Place): { flows: PlacedFlow[]; diagnostics: Diagnostic[] } {
  const instances = flow.instances;
  if (instances === undefined) return { flows: [{ flow, place }], diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  const error = (code: string, message: string, path: ReadonlyArray<string | number>, hint: string, key = false) => diagnostics.push({ severity: 'error', code, message, hint, ...place(path, key) });

  const names = Object.keys(instances);
  if (names.length === 0) {
    error('instances/empty', `Flow "${flow.name}" has \`instances:\` without any instance: nothing would be deployed.`, ['instances'], 'Add an instance (name: { parameters: … }), or remove `instances:` to deploy the flow under its own name.');
  }
  if (flow.parameterContext !== undefined) {
    error(
      'instances/shared-context',
      `Flow "${flow.name}" names parameter context "${flow.parameterContext}" and has instances: every instance needs a parameter context of its own.`,
      ['parameterContext'],
      'Remove parameterContext: each instance gets a context named after the instance.',
      true,
    );
  }
  const adopted = Object.keys(flow.identifiers);
  if (adopted.length > 0) {
    error(
      'instances/adopted-identifiers',
      `Flow "${flow.name}" keeps NiFi identifiers of adopted components (${adopted.length}) and has instances: the instances would share those components.`,
      ['identifiers'],
      'Remove identifiers: (each instance derives its own identifiers), or deploy the adopted flow without instances.',
      true,
    );
  }
  const declared = Object.keys(flow.parameters);
  for (const [instance, overrides] of Object.entries(instances)) {
    for (const [parameter, override] of Object.entries(overrides.parameters)) {
      const base = ownEntry(flow.parameters, parameter);
      if (!base) {
        error(
          'instances/unknown-parameter',
          `Instance "${instance}" sets parameter "${parameter}", which flow "${flow.name}" does not declare (declared: ${declared.join(', ') || 'none'}).`,
          ['instances', instance, 'parameters', parameter],
          'Instances override the flow\'s parameters: declare it under the flow\'s parameters:, or fix the name.',
          true,
        );
      } else if ((override.sensitive ?? base.sensitive) && override.value !== undefined) {
        error('parameter/sensitive-in-file', `Instance "${instance}" writes the value of sensitive parameter "${parameter}" in the file.`, ['instances', instance, 'parameters', parameter, 'value'], 'Use fromEnv: secrets do not belong in version control.');
      }
    }
  }
  if (diagnostics.length > 0) return { flows: [], diagnostics };

  const { instances: _definitionOnly, ...definition } = flow;
  const flows = Object.entries(instances).map(([instance, overrides]): PlacedFlow => {
    const parameters = Object.fromEntries(Object.entries(flow.parameters).map(([parameter, base]) => [parameter, overrideParameter(base, ownEntry(overrides.parameters, parameter))]));
    // Environment overrides are applied later (compile): the instance's values are written over them too, so they still win.
    const environments = Object.fromEntries(
      Object.entries(flow.environments).map(([environment, overlay]) => [
        environment,
        { parameters: Object.fromEntries(Object.entries(overlay.parameters).map(([parameter, value]) => [parameter, overrideParameter(value, ownEntry(overrides.parameters, parameter))])) },
      ]),
    );
    const expanded: Flow = { ...definition, name: instance, description: overrides.description ?? flow.description, parameters, environments, instanceOf: flow.name };
    return { flow: expanded, place: instancePlace(place, instance, overrides) };
  });
  return { flows, diagnostics };
}

/** Where an instance's paths are: its name is its key under `instances`, an overridden parameter its override; the rest is the definition's. */
function instancePlace(place: Place, instance: string, overrides: NonNullable<Flow['instances']>[string]): Place {
  const at = ['instances', instance];
  return (path, key) => {
    const [first, second, ...rest] = path;
    if (first === 'name' && path.length === 1) return place(at, true);
    if (first === 'description' && overrides.description !== undefined) return place([...at, 'description'], key);
    if (first === 'parameters' && typeof second === 'string' && hasOwnKey(overrides.parameters, second)) {
      const override = overrides.parameters[second]!;
      // A field the override doesn't set is the definition's.
      if (rest.length === 0 || hasOwnKey(override, String(rest[0]))) return place([...at, 'parameters', second, ...rest], key);
    }
    return place(path, key);
  };
}

/**
 * Two flows with one name (two instances, an instance and a flow, two flows) would claim one process
 * group: an error at the later one's name, naming where the first is. With `acrossFilesOnly`, pairs
 * within one file are left to that file's own check (loadFlowFile), so nothing is reported twice.
 */
export function duplicateNameDiagnostics(flows: readonly Flow[], places: readonly Place[], acrossFilesOnly = false): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const first = new Map<string, number>();
  flows.forEach((flow, index) => {
    const earlier = first.get(flow.name);
    if (earlier === undefined) {
      first.set(flow.name, index);
      return;
    }
    const here = places[index]!(['name']);
    const there = places[earlier]!(['name']);
    if (acrossFilesOnly && here.file === there.file) return;
    const both = flows[earlier]!.instanceOf === undefined && flow.instanceOf === undefined;
    const where = `${there.file}${there.range ? `:${there.range.start.line}:${there.range.start.column}` : ''}`;
    diagnostics.push({
      severity: 'error',
      code: 'name/duplicate-flow',
      message: both && here.file === there.file ? `Two flows are named "${flow.name}".` : `Two flows are named "${flow.name}": ${describeKind(flow)} here and ${describeKind(flows[earlier]!)} at ${where}.`,
      hint: 'Flow and instance names identify their process groups: make them unique.',
      ...here,
    });
  });
  return diagnostics;
}

function describeKind(flow: Flow): string {
  return flow.instanceOf === undefined ? 'a flow' : `an instance of "${flow.instanceOf}"`;
}

/**
 * Diagnostics found per flow (validate --live, for one) repeat for every instance of one definition, at
 * the same place: each kept once.
 */
export function oncePerPlace(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((diagnostic) => {
    const identity = JSON.stringify([diagnostic.file, diagnostic.pointer, diagnostic.code, diagnostic.message]);
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
}
