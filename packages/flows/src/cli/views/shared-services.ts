// How a plan's shared controller services (the parent group's, issue 18) read for people: printed before
// the flows (apply changes them first), one line per service and per change, and a summary line.
import type { Plan } from '../../deploy/plan.ts';

const symbols = { create: '+', update: '~', delete: '-', 'no-op': ' ' } as const;

export function formatSharedServices(plan: Plan): string[] {
  const lines: string[] = [];
  const value = (input: unknown) => JSON.stringify(input ?? null);
  if (plan.parentBinding) lines.push(`~ parent group parameter context: ${value(plan.parentBinding.before)} → ${value(plan.parentBinding.after)}`);
  for (const servicePlan of plan.sharedServices ?? []) {
    if (servicePlan.action === 'keep') {
      lines.push(`! shared service ${servicePlan.service} kept: ${servicePlan.reason}${servicePlan.usedBy?.length ? `; referenced by ${servicePlan.usedBy.join(', ')}` : ''}`);
      continue;
    }
    lines.push(`${symbols[servicePlan.action]} shared service ${servicePlan.service} (${servicePlan.action === 'no-op' ? 'no changes' : servicePlan.action})`);
    for (const change of servicePlan.changes) lines.push(`    ~ ${change.field}: ${value(change.before)} → ${value(change.after)}`);
  }
  return lines;
}

export function sharedServicesSummary(plan: Plan): string[] {
  const services = plan.sharedServices ?? [];
  if (services.length === 0) return [];
  const count = (action: string) => services.filter((servicePlan) => servicePlan.action === action).length;
  return [`Shared services: ${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete, ${count('no-op')} unchanged, ${count('keep')} kept.`];
}

/** How many shared services (and the parent's binding) an applied plan changed. */
export function sharedServicesApplied(plan: Plan): number {
  const services = (plan.sharedServices ?? []).filter((servicePlan) => ['create', 'update', 'delete'].includes(servicePlan.action)).length;
  return services + (plan.parentBinding ? 1 : 0);
}
