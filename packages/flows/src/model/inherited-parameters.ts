// The parameters a flow sees through the shared contexts it inherits, made its own: what a flow test's isolated
// copy runs with, since it must never bind the deployment's shared contexts (nor create them, as an upload naming
// them would). One rule, NiFi's: the flow's own parameters win, then each inherited context in the order of
// `inherits:`, each with its own parameters before the contexts it inherits in turn.
import { DataplatError } from '@dataplat/core/errors';
import type { Flow, SharedContextDeclaration } from './flow-schema.ts';

export function withInheritedParameters(flow: Flow, contexts: readonly SharedContextDeclaration[]): Flow {
  if (flow.inherits.length === 0) return flow;
  const byName = new Map(contexts.map((context) => [context.name, context]));
  const parameters: Flow['parameters'] = { ...flow.parameters };
  const visited = new Set<string>();
  const visit = (name: string) => {
    if (visited.has(name)) return;
    visited.add(name);
    const context = byName.get(name);
    if (!context) {
      throw new DataplatError({
        code: 'FLOWS_UNKNOWN_CONTEXT',
        message: `Flow "${flow.name}" inherits the parameter context "${name}", which none of the given shared contexts declares${contexts.length ? ` (given: ${contexts.map((entry) => entry.name).join(', ')})` : ''}.`,
        hint: 'Load the flow files that declare it (parameterContexts:) with the flow, and pass their shared contexts along.',
      });
    }
    for (const [parameter, declared] of Object.entries(context.parameters)) if (!Object.hasOwn(parameters, parameter)) parameters[parameter] = declared;
    context.inherits.forEach(visit);
  };
  flow.inherits.forEach(visit);
  return { ...flow, parameters, inherits: [] };
}
