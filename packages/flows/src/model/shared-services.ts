// Shared controller services (issue 18): the `parent:` section of flow files declares controller services
// that live in the managed parent group, and flows use them as service:<name>. This module owns the
// section's loading and merging across files, the one name-resolution rule, its offline checks, and how a
// reference compiles (NiFi's externalControllerServices, resolved by name to the parent's service).
import type * as z from 'zod';
import { deterministicId } from '../compile/deterministic-id.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { FlowDefinition } from '@dataplat/nifi';
import { parameterReference, type Place } from '../validate/check-flow.ts';
import { parentSectionSchema, type Flow, type GroupModel, type SharedContextDeclaration } from './flow-schema.ts';
import { ownEntry } from './own-keys.ts';

export type SharedServiceModel = z.output<typeof parentSectionSchema>['services'][string];

/** A shared service of the code with its name. */
export interface SharedServiceDeclaration extends SharedServiceModel {
  name: string;
}

/** The `parent:` sections of all files, merged. */
export interface ParentSection {
  parameterContext?: string | undefined;
  services: SharedServiceDeclaration[];
}

/** One file's `parent:` section, with where its paths are (relative to `parent`). */
export interface LoadedParentSection {
  parameterContext?: string | undefined;
  services: SharedServiceDeclaration[];
  place: Place;
}

type Locate = (path: ReadonlyArray<string | number>, key?: boolean) => Pick<Diagnostic, 'range' | 'pointer' | 'path'>;
type IssueDiagnostic = (issue: z.core.$ZodIssue, raw: unknown, base: Array<string | number>, file: string, locate: Locate) => Diagnostic;

/**
 * Splits `parent:` off a document, checked against its schema. `data` is what is left for the rest of the
 * file (undefined when the file holds only the section).
 */
export function takeParentSection(data: unknown, file: string, locate: Locate, diagnostics: Diagnostic[], issueDiagnostic: IssueDiagnostic): { data: unknown; parent: LoadedParentSection | undefined } {
  if (typeof data !== 'object' || data === null || Array.isArray(data) || !('parent' in data)) return { data, parent: undefined };
  const { parent: raw, ...rest } = data as Record<string, unknown>;
  const remaining = Object.keys(rest).length === 0 ? undefined : rest;
  const parsed = parentSectionSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) diagnostics.push(issueDiagnostic(issue, raw, ['parent'], file, locate));
    return { data: remaining, parent: undefined };
  }
  const place: Place = (path, key) => ({ file, ...locate(['parent', ...path], key) });
  const services = Object.entries(parsed.data.services).map(([name, service]) => ({ name, ...service }));
  return { data: remaining, parent: { parameterContext: parsed.data.parameterContext, services, place } };
}

/** The sections of several files as one: a service declared twice, or two different contexts, are errors at their place. */
export function mergeParentSections(sections: readonly LoadedParentSection[]): { parent: ParentSection; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const services: SharedServiceDeclaration[] = [];
  const declaredAt = new Map<string, string>();
  let context: { name: string; where: string } | undefined;
  for (const section of sections) {
    for (const service of section.services) {
      const here = section.place(['services', service.name], true);
      const first = declaredAt.get(service.name);
      if (first !== undefined) {
        diagnostics.push({ severity: 'error', code: 'shared-service/duplicate', message: `Shared service "${service.name}" is declared twice (first at ${first}).`, hint: 'Declare each shared service once, in one parent: section.', ...here });
        continue;
      }
      declaredAt.set(service.name, describePlace(here));
      services.push(service);
    }
    if (section.parameterContext === undefined) continue;
    const here = section.place(['parameterContext']);
    if (context && context.name !== section.parameterContext) {
      diagnostics.push({
        severity: 'error',
        code: 'shared-service/parent-context-conflict',
        message: `parent.parameterContext is "${section.parameterContext}" here but "${context.name}" at ${context.where}: the parent group is bound to one context.`,
        hint: 'Name the parent group\'s context once.',
        ...here,
      });
    } else context ??= { name: section.parameterContext, where: describePlace(here) };
  }
  return { parent: { parameterContext: context?.name, services }, diagnostics };
}

function describePlace(place: Pick<Diagnostic, 'file' | 'range' | 'path'>): string {
  return place.range ? `${place.file}:${place.range.start.line}:${place.range.start.column}` : `${place.file} ${place.path}`;
}

/**
 * The one rule for `service:<name>`: the innermost enclosing group's service of that name, else the flow's
 * (both in `scope`, innermost first), else the parent's shared service; undefined when none has it.
 */
export function resolveServiceReference(name: string, scope: readonly string[], sharedNames: readonly string[]): 'group' | 'shared' | undefined {
  if (scope.includes(name)) return 'group';
  if (sharedNames.includes(name)) return 'shared';
  return undefined;
}

/**
 * Checks of the flows' references and of the section that need every file: a reference no group of the
 * flow and no shared service defines (replacing the per-file check, which can't see shared services), a
 * flow service that shadows a shared one, the parent's context, and the shared services' #{param}s.
 */
export function checkSharedServices(
  flows: ReadonlyArray<{ flow: Flow; place: Place }>,
  parent: ParentSection,
  sections: readonly LoadedParentSection[],
  contexts: readonly SharedContextDeclaration[],
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const sharedNames = parent.services.map((service) => service.name);
  for (const { flow, place } of flows) {
    visitGroups(flow, [], [], (group, path, scope) => {
      for (const [processorName, processor] of Object.entries(group.processors)) {
        for (const [property, value] of Object.entries(processor.properties)) {
          if (!value?.startsWith('service:')) continue;
          const name = value.slice('service:'.length);
          if (resolveServiceReference(name, scope, sharedNames)) continue;
          const known = [...new Set([...scope, ...sharedNames.map((shared) => `${shared} (shared)`)])];
          diagnostics.push({
            severity: 'error',
            code: 'reference/unknown-service',
            message: `Property "${property}" of "${processorName}" refers to controller service "${name}", which is not defined here, in an enclosing group or as a shared service (parent.services).`,
            hint: known.length ? `Defined services: ${known.join(', ')}.` : 'Define it under services: (or parent.services: to share it between flows).',
            ...place([...path, 'processors', processorName, 'properties', property]),
          });
        }
      }
    });
    for (const name of Object.keys(flow.services)) {
      if (!sharedNames.includes(name)) continue;
      diagnostics.push({
        severity: 'warning',
        code: 'shared-service/shadowed',
        message: `Flow "${flow.name}" defines its own service "${name}", which shadows the shared service of that name: its processors use the flow's.`,
        hint: 'Rename one of them, or remove the flow\'s to use the shared one.',
        ...place(['services', name], true),
      });
    }
  }
  const contextSection = sections.find((section) => section.parameterContext !== undefined);
  const chain = parent.parameterContext === undefined ? undefined : contextChain(parent.parameterContext, contexts);
  if (contextSection && parent.parameterContext !== undefined && !chain) {
    diagnostics.push({
      severity: 'error',
      code: 'shared-service/unknown-context',
      message: `parent.parameterContext names "${parent.parameterContext}", which no parameterContexts: section declares.`,
      hint: `Declare it under parameterContexts:${contexts.length ? ` (declared: ${contexts.map((context) => context.name).join(', ')})` : ''}.`,
      ...contextSection.place(['parameterContext']),
    });
  }
  for (const section of sections) {
    for (const service of section.services) {
      for (const [property, value] of Object.entries(service.properties)) {
        if (value?.startsWith('service:')) {
          diagnostics.push({
            severity: 'error',
            code: 'shared-service/service-reference',
            message: `Shared service "${service.name}" refers to another service ("${value.slice('service:'.length)}"): shared services can't refer to services yet.`,
            hint: 'Keep a service that needs another one in the flow, with the one it needs.',
            ...section.place(['services', service.name, 'properties', property]),
          });
        }
        for (const match of (value ?? '').matchAll(parameterReference)) {
          if (chain?.has(match[1]!)) continue;
          if (chain === undefined && contextSection) continue; // the unknown context is reported once, above
          diagnostics.push({
            severity: 'error',
            code: 'parameter/undeclared',
            message: `Shared service "${service.name}" uses parameter "${match[1]}", which ${parent.parameterContext ? `the parent's context "${parent.parameterContext}" (with what it inherits) does not declare` : 'no context of the parent group declares (parent.parameterContext is not set)'}.`,
            hint: parent.parameterContext ? `Declare it under parameterContexts.${parent.parameterContext}.parameters.` : 'Set parent.parameterContext to a shared context that declares it.',
            ...section.place(['services', service.name, 'properties', property]),
          });
        }
      }
    }
  }
  return diagnostics;
}

/** The parameter names a shared context offers, its inherited contexts' included; undefined when it is not declared. */
function contextChain(name: string, contexts: readonly SharedContextDeclaration[]): Set<string> | undefined {
  const root = contexts.find((context) => context.name === name);
  if (!root) return undefined;
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (context: SharedContextDeclaration | undefined) => {
    if (!context || seen.has(context.name)) return;
    seen.add(context.name);
    for (const parameter of Object.keys(context.parameters)) names.add(parameter);
    for (const inherited of context.inherits) visit(contexts.find((candidate) => candidate.name === inherited));
  };
  visit(root);
  return names;
}

function visitGroups(group: GroupModel, path: Array<string | number>, enclosing: readonly string[], visit: (group: GroupModel, path: Array<string | number>, scope: string[]) => void): void {
  const scope = [...Object.keys(group.services), ...enclosing];
  visit(group, path, scope);
  group.groups.forEach((child, index) => visitGroups(child, [...path, 'groups', index], scope, visit));
}

/** The versioned id a shared service is referred to by in a compiled flow: the same for every flow, from its name. */
export function sharedServicePlaceholder(name: string): string {
  return deterministicId(`shared-service/${name}`);
}

/**
 * A definition whose references to external services (the parent's shared services) read as their names,
 * so the code's placeholders and the ids NiFi's download generates compare equal when they name the same
 * service. A copy: the definition given is left as it is.
 */
export function withExternalServicesByName(definition: FlowDefinition): FlowDefinition {
  const externals = definition.externalControllerServices ?? {};
  if (Object.keys(externals).length === 0) return definition;
  const copy = structuredClone(definition);
  const byName = (value: string | null | undefined) => {
    const external = value ? ownEntry(externals, value) : undefined;
    return external?.name !== undefined ? `shared-service:${external.name}` : value;
  };
  const rewrite = (group: NonNullable<FlowDefinition['flowContents']>) => {
    for (const component of [...(group.processors ?? []), ...(group.controllerServices ?? [])]) {
      const properties = (component.properties ?? {}) as Record<string, string | null>;
      for (const [property, value] of Object.entries(properties)) properties[property] = byName(value) ?? null;
    }
    for (const child of group.processGroups ?? []) rewrite(child);
  };
  rewrite(copy.flowContents!);
  return copy;
}
