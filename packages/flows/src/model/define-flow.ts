// defineFlow(): a flow written in TypeScript, checked by the same schema and offline rules as a YAML file
// (an invalid flow throws with every problem listed).
import { DataplatError } from '@dataplat/core/errors';
import { checkFlow } from '../validate/check-flow.ts';
import { flowSchema, type Flow, type FlowInput } from './flow-schema.ts';

/**
 * The TypeScript way to write a flow: the same schema and checks as YAML files. Throws a DataplatError
 * (code FLOWS_INVALID) listing every problem with its path.
 */
export function defineFlow(input: FlowInput): Flow {
  const parsed = flowSchema.safeParse(input);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.') || '(flow)'}: ${issue.message}`);
  } else {
    const file = 'defineFlow()';
    for (const diagnostic of checkFlow(parsed.data, (path) => ({ file, pointer: '', path: path.join('.') || '(flow)' }))) {
      if (diagnostic.severity === 'error') problems.push(`${diagnostic.path}: ${diagnostic.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) {
    throw new DataplatError({ code: 'FLOWS_INVALID', message: `Flow "${String(input.name)}" is invalid:\n  ${problems.join('\n  ')}` });
  }
  return parsed.data;
}
