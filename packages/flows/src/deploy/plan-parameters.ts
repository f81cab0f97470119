// How a plan shows the values of parameters, for flows' own contexts and for shared ones: what the environment
// supplies is deployment configuration kept out of the repository, and a plan is pasted into pull requests, so a
// value read from the environment — now, or by the last apply (its marker says which) — is never printed.
import type { FlowDefinition, ParameterContextEntity } from '@dataplat/nifi';
import { parameterContextName, type Flow } from '../model/flow-schema.ts';
import type { ResolvedAsset } from './assets.ts';
import type { FieldChange } from './diff.ts';
import type { SecretsComparison } from './secrets-record.ts';

/** How a plan shows a value read from the environment that the code did not declare `sensitive: false`. */
export const maskedValue = '(masked: from the environment)';

/** Which values a plan must not print: read from the environment now (`masked`), or by the last apply. */
export interface EnvironmentValues {
  /** Parameters whose value the code reads from the environment without `sensitive: false`. */
  masked: readonly string[];
  /**
   * Parameters whose value NiFi holds from the environment, as the last apply's marker records it: shown masked even
   * when the code now gives a literal or no longer declares them. Empty for a marker written before it was recorded
   * (then NiFi's value is shown, as before).
   */
  appliedFromEnvironment: ReadonlySet<string>;
}

/** NiFi's current value of a parameter as the plan shows it (`null`: there is none). */
export function shownCurrentValue(name: string, current: { value?: string | null | undefined; sensitive?: boolean | undefined } | undefined, hidden: EnvironmentValues): string | null {
  if (!current) return null;
  if (current.sensitive || hidden.masked.includes(name) || hidden.appliedFromEnvironment.has(name)) return maskedValue;
  return current.value ?? null;
}

/** The changes of a flow's own parameters: values (masked as above), and the sensitive ones when they are pushed. */
export function parameterChanges(
  flow: Flow,
  definition: FlowDefinition,
  hidden: EnvironmentValues,
  sensitiveNames: readonly string[],
  secrets: Pick<SecretsComparison, 'push'>,
  context: ParameterContextEntity | undefined,
  assets: ReadonlyMap<string, ResolvedAsset>,
): FieldChange[] {
  const changes: FieldChange[] = [];
  const live = new Map((context?.component.parameters ?? []).map((entry) => [entry.parameter?.name, entry.parameter]));
  for (const parameter of definition.parameterContexts?.[parameterContextName(flow)]?.parameters ?? []) {
    const current = live.get(parameter.name);
    // Sensitive values are compared below; assets by digest (NiFi shows their path as the value).
    if (parameter.sensitive || assets.has(parameter.name!)) continue;
    if (!current || (current.value ?? null) !== (parameter.value ?? null)) {
      // A value from the environment is printed only when the code says `sensitive: false`.
      const after = hidden.masked.includes(parameter.name!) ? maskedValue : (parameter.value ?? null);
      changes.push({ field: `parameters.${parameter.name}`, before: shownCurrentValue(parameter.name!, current && { value: current.value }, hidden), after });
    }
  }
  // Sensitive values can't be read back; the marker (an HMAC under FLOWS_SECRETS_KEY) says whether they changed.
  if (secrets.push) {
    for (const name of sensitiveNames) changes.push({ field: `parameters.${name}`, before: '(sensitive)', after: '(sensitive)' });
  }
  return changes;
}
