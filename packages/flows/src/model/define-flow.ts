// defineFlow(): a flow written in TypeScript, checked by the same schema and offline rules as a YAML file
// (an invalid flow throws with every problem listed); defineFlows() also takes `instances:`.
import { DataplatError } from '@dataplat/core/errors';
import { checkFlow, type Place } from '../validate/check-flow.ts';
import { flowSchema, type Flow, type FlowInput } from './flow-schema.ts';
import { expandInstances } from './instances.ts';

/**
 * The TypeScript way to write a flow: the same schema and checks as YAML files. Throws a DataplatError
 * (code FLOWS_INVALID) listing every problem with its path. A flow with `instances:` stands for several
 * flows: write it with defineFlows().
 */
export function defineFlow(input: FlowInput): Flow {
  const flows = defineFlows(input);
  if (input.instances !== undefined) {
    throw new DataplatError({
      code: 'FLOWS_INVALID',
      message: `Flow "${String(input.name)}" has instances, so it stands for ${flows.length} flows, not one.`,
      hint: 'Use defineFlows(), which returns one flow per instance.',
    });
  }
  return flows[0]!;
}

/**
 * A flow written in TypeScript, as the flows it deploys: itself, or with `instances:` one flow per
 * instance (see instances.ts). Throws FLOWS_INVALID listing every problem with its path.
 */
export function defineFlows(input: FlowInput): Flow[] {
  const parsed = flowSchema.safeParse(input);
  const problems: string[] = [];
  const flows: Flow[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.') || '(flow)'}: ${issue.message}`);
  } else {
    const file = 'defineFlow()';
    const place: Place = (path) => ({ file, pointer: '', path: path.join('.') || '(flow)' });
    const expanded = expandInstances(parsed.data, place);
    const diagnostics = [...expanded.diagnostics];
    for (const instance of expanded.flows) {
      flows.push(instance.flow);
      diagnostics.push(...checkFlow(instance.flow, instance.place));
    }
    for (const diagnostic of diagnostics) {
      const problem = `${diagnostic.path}: ${diagnostic.message}`;
      if (diagnostic.severity === 'error' && !problems.includes(problem)) problems.push(problem);
    }
  }
  if (problems.length > 0 || !parsed.success) {
    throw new DataplatError({ code: 'FLOWS_INVALID', message: `Flow "${String(input.name)}" is invalid:\n  ${problems.join('\n  ')}` });
  }
  return flows;
}
