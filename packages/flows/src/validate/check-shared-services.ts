// Offline checks of shared controller services across the files a command reads (issue 18): the merged
// `parent:` sections and every flow's service:<name> references, which the per-file check can't resolve
// (a shared service may be declared in another file). See model/shared-services.ts for the rule.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { flowSchema, type Flow, type SharedContextDeclaration } from '../model/flow-schema.ts';
import { checkSharedServices, mergeParentSections, type LoadedParentSection, type ParentSection } from '../model/shared-services.ts';
import type { Place } from './check-flow.ts';

export interface SharedServiceDiagnostics {
  /** Undefined when no file has a `parent:` section (plan then reads the parent's services only to prune). */
  parent: ParentSection | undefined;
  diagnostics: Diagnostic[];
  /** Keeps the per-file diagnostics these replace out: the per-file unknown-service errors of processor properties. */
  replaces: (diagnostic: Diagnostic) => boolean;
}

export function sharedServiceDiagnostics(flows: readonly Flow[], places: readonly Place[], sections: readonly LoadedParentSection[], contexts: readonly SharedContextDeclaration[]): SharedServiceDiagnostics {
  const merged = mergeParentSections(sections);
  const placed = flows.map((flow, index) => ({ flow, place: places[index]! }));
  // Instances of one definition share its places: one diagnostic per place and message.
  const seen = new Set<string>();
  const diagnostics = [...merged.diagnostics, ...checkSharedServices(placed, merged.parent, sections, contexts)].filter((diagnostic) => {
    const identity = `${diagnostic.code}|${diagnostic.file}|${diagnostic.pointer}|${diagnostic.message}`;
    return !seen.has(identity) && Boolean(seen.add(identity));
  });
  return {
    parent: sections.length > 0 ? merged.parent : undefined,
    diagnostics,
    replaces: (diagnostic) => !(diagnostic.code === 'reference/unknown-service' && diagnostic.pointer.includes('/processors/')),
  };
}

/**
 * The shared services as flows of services only, one per `parent:` section, with places that point into the
 * section: what `validate --live` checks them through (types, property names, required and allowed values).
 */
export function sharedServiceProbes(sections: readonly LoadedParentSection[]): { flows: Flow[]; places: Place[] } {
  const withServices = sections.filter((section) => section.services.length > 0);
  return {
    flows: withServices.map((section) => flowSchema.parse({ name: 'parent', services: Object.fromEntries(section.services.map(({ name, ...service }) => [name, service])) })),
    places: withServices.map((section) => section.place),
  };
}
