// How a plan reads for people, Terraform-style: one block per flow, one line per change, a summary
// (`--json` prints the Plan object itself, whose formatVersion says how to read it).
import type { FieldChange } from '../../deploy/diff.ts';
import type { ApplyResult } from '../../deploy/apply.ts';
import type { Plan } from '../../deploy/plan.ts';
import { formatSharedServices, sharedServicesApplied, sharedServicesSummary } from './shared-services.ts';

const symbols = { create: '+', update: '~', delete: '-', 'no-op': ' ' } as const;

/**
 * Terraform-style text: one block per flow, one line per change, a summary line. `instanceOf` names the
 * definition of each flow that is an instance (`flow north (instance of sensor-intake)`).
 */
export function formatPlan(plan: Plan, instanceOf: ReadonlyMap<string, string> = new Map()): string {
  const lines: string[] = [];
  const value = (input: unknown) => (typeof input === 'string' ? JSON.stringify(input) : JSON.stringify(input ?? null));
  const field = (change: FieldChange) => `${change.field}: ${value(change.before)} → ${value(change.after)}`;
  // Shared parameter contexts first: apply changes them before the flows that inherit them.
  for (const contextPlan of plan.parameterContexts ?? []) {
    if (contextPlan.action === 'keep') {
      lines.push(`! parameter context ${contextPlan.context} kept: ${contextPlan.reason}${contextPlan.usedBy?.length ? `; used by ${contextPlan.usedBy.join(', ')}` : ''}`);
      continue;
    }
    lines.push(`${symbols[contextPlan.action]} parameter context ${contextPlan.context} (${contextPlan.action === 'no-op' ? 'no changes' : contextPlan.action})`);
    for (const change of contextPlan.changes) lines.push(`    ~ ${field(change)}`);
  }
  lines.push(...formatSharedServices(plan));
  for (const flowPlan of plan.flows) {
    const definition = instanceOf.get(flowPlan.flow);
    lines.push(`${symbols[flowPlan.action]} flow ${flowPlan.flow}${definition === undefined ? '' : ` (instance of ${definition})`} (${flowPlan.action === 'no-op' ? 'no changes' : flowPlan.action})`);
    for (const component of flowPlan.components) {
      lines.push(`    ${symbols[component.action]} ${component.kind} ${component.address}`);
      for (const change of component.changes) lines.push(`        ${field(change)}`);
    }
    for (const change of flowPlan.parameters) lines.push(`    ~ ${field(change)}`);
    for (const change of flowPlan.runState) lines.push(`    ~ ${field(change)}`);
    if (flowPlan.action === 'update' && flowPlan.markerChanged && flowPlan.components.length + flowPlan.parameters.length + flowPlan.runState.length === 0) {
      lines.push('    ~ ownership marker only: the group comments are rewritten (description, applied definition or parameter context); no component changes');
    }
  }
  for (const orphan of plan.orphans) lines.push(`! flow ${orphan} is managed in NiFi but not in the code: left alone (use --prune to delete it)`);
  const outside = plan.notInPaths ?? [];
  if (outside.length > 0) lines.push(`  ${outside.length} other flow(s) of this project are not in the given paths, left as they are: ${outside.join(', ')}`);
  const uncompared = plan.secretsNotCompared ?? [];
  if (uncompared.length > 0) {
    lines.push(`! sensitive values can't be compared without FLOWS_SECRETS_KEY (${uncompared.join(', ')}): NiFi keeps the ones it has; pass --push-secrets to push them, or set FLOWS_SECRETS_KEY`);
  }
  for (const blocked of plan.blocked ?? []) lines.push(`! flow ${blocked.flow} is blocked [${blocked.code}]: ${blocked.message}\n    ${blocked.hint}`);
  const count = (action: string) => plan.flows.filter((flowPlan) => flowPlan.action === action).length;
  const blockedCount = plan.blocked?.length ?? 0;
  const contexts = plan.parameterContexts ?? [];
  const contextCount = (action: string) => contexts.filter((contextPlan) => contextPlan.action === action).length;
  if (contexts.length > 0) {
    lines.push(`Parameter contexts: ${contextCount('create')} to create, ${contextCount('update')} to update, ${contextCount('delete')} to delete, ${contextCount('no-op')} unchanged, ${contextCount('keep')} kept.`);
  }
  lines.push(...sharedServicesSummary(plan));
  lines.push(`Plan: ${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete, ${count('no-op')} unchanged${blockedCount ? `, ${blockedCount} blocked` : ''}.`);
  return lines.join('\n');
}

/** What apply did: the plan it carried out and a one-line summary. */
export function formatApplied(result: ApplyResult, instanceOf: ReadonlyMap<string, string> = new Map()): string {
  const changed = result.applied.filter((entry) => entry.action !== 'no-op').length;
  const contextsChanged = (result.plan.parameterContexts ?? []).filter((contextPlan) => contextPlan.action !== 'no-op' && contextPlan.action !== 'keep').length;
  const blocked = result.plan.blocked?.length ? ` ${result.plan.blocked.length} flow(s) blocked, not applied: ${result.plan.blocked.map((entry) => entry.flow).join(', ')}.` : '';
  const servicesChanged = sharedServicesApplied(result.plan);
  return `${formatPlan(result.plan, instanceOf)}\n${changed + contextsChanged + servicesChanged ? `Apply complete: ${changed} flow(s)${contextsChanged ? ` and ${contextsChanged} parameter context(s)` : ''}${servicesChanged ? ` and ${servicesChanged} shared service(s)` : ''} changed.` : 'Apply complete: nothing to change.'}${blocked}`;
}

/** Each instance's definition by the instance's name, for formatPlan. */
export function instanceDefinitions(flows: ReadonlyArray<{ name: string; instanceOf?: string | undefined }>): Map<string, string> {
  return new Map(flows.flatMap((flow) => (flow.instanceOf === undefined ? [] : [[flow.name, flow.instanceOf] as const])));
}
