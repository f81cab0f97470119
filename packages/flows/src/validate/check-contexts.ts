// Offline checks of shared parameter contexts (`parameterContexts:`), which span files: each context's own
// parameters, names unique across files and apart from flows' contexts, inheritance that names declared
// contexts without a cycle, and every #{parameter} of a flow defined in its own parameters or its chain.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { parameterContextName, type Flow, type SharedContextDeclaration } from '../model/flow-schema.ts';
import { checkParameters, forEachProperty, parameterReference, type Place } from './check-flow.ts';

/** The rules of one context on its own (its parameters and environment overrides). */
export function checkSharedContext(context: SharedContextDeclaration, place: Place): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  checkParameters(context, 'context', {
    error: (code, message, path, hint, key) => diagnostics.push({ severity: 'error', code, message, hint, ...place(path, key) }),
    warning: (code, message, path, hint) => diagnostics.push({ severity: 'warning', code, message, hint, ...place(path) }),
  });
  return diagnostics;
}

export interface PlacedFlow {
  flow: Flow;
  place: Place;
}

export interface PlacedContext {
  context: SharedContextDeclaration;
  place: Place;
}

/**
 * The checks that need every file: duplicate context names, a context named like a flow's own context,
 * unknown inherited contexts, inheritance cycles (named), and parameters used by a flow that inherits
 * contexts but defined nowhere in its chain.
 */
export function checkContextGraph(flows: readonly PlacedFlow[], contexts: readonly PlacedContext[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const error = (place: Place, code: string, message: string, path: ReadonlyArray<string | number>, hint: string, key = false) =>
    diagnostics.push({ severity: 'error', code, message, hint, ...place(path, key) });

  const byName = new Map<string, PlacedContext>();
  for (const placed of contexts) {
    const first = byName.get(placed.context.name);
    if (first) {
      const where = first.place([], true);
      error(placed.place, 'context/duplicate', `Shared parameter context "${placed.context.name}" is declared twice (first at ${where.file}${where.range ? `:${where.range.start.line}:${where.range.start.column}` : ''}).`, [], 'Declare each shared context once, in one file; flows inherit it by name.', true);
      continue;
    }
    byName.set(placed.context.name, placed);
  }
  const flowContexts = new Map(flows.map((placed) => [parameterContextName(placed.flow), placed.flow.name]));
  for (const [name, placed] of byName) {
    const flow = flowContexts.get(name);
    if (flow !== undefined) {
      error(placed.place, 'context/name-taken', `Shared parameter context "${name}" has the name of flow "${flow}"'s own parameter context.`, [], 'NiFi has one namespace for parameter contexts: rename the shared context (e.g. "shared-' + name + '").', true);
    }
  }

  const known = [...byName.keys()];
  const unknownHint = `Declared shared contexts: ${known.join(', ') || 'none'} (under parameterContexts: in a flow file given to this command).`;
  const checkInherits = (place: Place, inherits: readonly string[]) =>
    inherits.forEach((name, index) => {
      if (!byName.has(name)) error(place, 'context/unknown', `Inherits parameter context "${name}", which is not declared.`, ['inherits', index], unknownHint);
    });
  for (const placed of byName.values()) checkInherits(placed.place, placed.context.inherits);
  for (const placed of flows) checkInherits(placed.place, placed.flow.inherits);

  // Cycles: a depth-first walk; each cycle is reported once, at the first context of it (in walk order).
  const state = new Map<string, 'walking' | 'done'>();
  const walk = (name: string, trail: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'walking') {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      const start = byName.get(name)!;
      const index = start.context.inherits.indexOf(cycle[1]!);
      error(start.place, 'context/cycle', `Parameter contexts inherit in a cycle: ${cycle.join(' → ')}.`, ['inherits', index], 'Remove one of these inherits: entries (NiFi refuses cyclic inheritance).');
      return;
    }
    state.set(name, 'walking');
    for (const parent of byName.get(name)?.context.inherits ?? []) if (byName.has(parent)) walk(parent, [...trail, name]);
    state.set(name, 'done');
  };
  for (const name of byName.keys()) walk(name, []);

  // Every reference of a flow that inherits: defined in its own parameters or somewhere in its chain.
  for (const { flow, place } of flows) {
    if (flow.inherits.length === 0) continue;
    const available = new Set(Object.keys(flow.parameters));
    const seen = new Set<string>();
    const collect = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      const context = byName.get(name)?.context;
      if (!context) return;
      for (const parameter of Object.keys(context.parameters)) available.add(parameter);
      for (const parent of context.inherits) collect(parent);
    };
    for (const name of flow.inherits) collect(name);
    const unresolved = flow.inherits.some((name) => !byName.has(name));
    // Triggers read Airflow's address and credentials from parameters, inherited ones included.
    flow.triggers.forEach((trigger, index) => {
      for (const [role, parameterName] of [['url', trigger.airflow.url], ['username', trigger.airflow.username], ['password', trigger.airflow.password]] as const) {
        if (Object.hasOwn(flow.parameters, parameterName) || unresolved) continue;
        const owner = [...seen].map((name) => byName.get(name)?.context).find((context) => context && Object.hasOwn(context.parameters, parameterName));
        if (!owner) {
          error(place, 'trigger/undeclared-parameter', `Trigger "${trigger.name}" reads the Airflow ${role} from parameter "${parameterName}", defined neither in the flow's parameters nor in the contexts it inherits (${[...seen].join(', ')}).`, ['triggers', index, 'airflow', role], `Declare it in the flow or in one of those contexts.`);
        } else if (role === 'password' && !owner.parameters[parameterName]!.sensitive) {
          error(byName.get(owner.name)!.place, 'trigger/password-not-sensitive', `Parameter "${parameterName}" holds the Airflow password of trigger "${trigger.name}" of flow "${flow.name}" but is not sensitive.`, ['parameters', parameterName], 'Mark it sensitive: true and read it with fromEnv.');
        }
      }
    });
    forEachProperty(flow, [], (value, path) => {
      for (const match of value.matchAll(parameterReference)) {
        const parameter = match[1]!;
        // With an unknown inherited context the chain is incomplete: that error is reported, not a guess about this one.
        if (available.has(parameter) || unresolved) continue;
        error(place, 'parameter/undeclared', `Parameter "${parameter}" is used but defined neither in the flow's parameters nor in the contexts it inherits (${[...seen].join(', ')}).`, path, `Declare it under parameters: of the flow or of one of those contexts (e.g. ${parameter}: { value: … }).`);
      }
    });
  }
  return diagnostics;
}

/** Shared contexts ordered so that every context comes after the contexts it inherits (apply creates them in this order). */
export function inheritanceOrder(contexts: readonly SharedContextDeclaration[]): SharedContextDeclaration[] {
  const byName = new Map(contexts.map((context) => [context.name, context]));
  const ordered: SharedContextDeclaration[] = [];
  const visited = new Set<string>();
  const visit = (context: SharedContextDeclaration) => {
    if (visited.has(context.name)) return;
    visited.add(context.name);
    for (const parent of context.inherits) {
      const declared = byName.get(parent);
      if (declared) visit(declared);
    }
    ordered.push(context);
  };
  for (const context of contexts) visit(context);
  return ordered;
}

