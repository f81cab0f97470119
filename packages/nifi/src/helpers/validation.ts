// Whether NiFi will run a component, and why not: one owner for reading validation state (waiting out
// NiFi's background VALIDATING), explaining NiFi's errors with the component's own descriptors (a key
// that is a display name, or another case, names the real property), and refusing to run invalid
// components at once instead of letting NiFi leave them stopped without a word.
import { pollUntil } from '@dataplat/core';
import { callOptions, type CallOptions, type NifiContext, type NifiSchemas } from '../client/nifi-context.ts';
import { NifiError } from '../client/nifi-errors.ts';
import { flattenTree, getGroupTree } from './process-group-flow.ts';

type Descriptors = Record<string, NifiSchemas['PropertyDescriptorDTO']>;

/** NiFi's verdict on a component; `errors` are NiFi's own messages, explained where the descriptors allow. */
export interface ComponentValidation {
  /** VALIDATING when NiFi had not finished validating within the wait. */
  status: 'VALID' | 'INVALID' | 'VALIDATING';
  errors: string[];
}

/** A component NiFi will not run, with where it is and NiFi's reasons. */
export interface InvalidComponent {
  kind: 'processor' | 'controller service' | 'input port' | 'output port';
  id: string;
  name: string;
  groupId: string;
  errors: string[];
}

/**
 * What a property key a component has no descriptor for most likely meant: the same name in another
 * case (`directory` for `Directory`), or a display name (`Search Value` for `Regular Expression`).
 * The one place that tells these apart, for NiFi's validation errors and for `flows validate --live`.
 */
export function propertyKeyMeaning(key: string, descriptors: Descriptors | undefined): { kind: 'other-case' | 'display-name'; name: string } | undefined {
  const candidates = Object.values(descriptors ?? {});
  const otherCase = candidates.find((descriptor) => descriptor.name !== key && descriptor.name?.toLowerCase() === key.toLowerCase());
  if (otherCase?.name) return { kind: 'other-case', name: otherCase.name };
  const byDisplayName = candidates.find((descriptor) => descriptor.displayName?.toLowerCase() === key.toLowerCase() && descriptor.name !== descriptor.displayName);
  return byDisplayName?.name ? { kind: 'display-name', name: byDisplayName.name } : undefined;
}

/**
 * NiFi's validation errors, each followed by what a property key that NiFi does not support most likely
 * meant (see propertyKeyMeaning).
 */
export function explainValidationErrors(errors: readonly string[], descriptors: Descriptors | undefined): string[] {
  return errors.map((error) => {
    const key = /^'([^']+)' validated against .* is not a supported property/s.exec(error)?.[1];
    const meaning = key === undefined ? undefined : propertyKeyMeaning(key, descriptors);
    if (!meaning) return error;
    return meaning.kind === 'other-case'
      ? `${error} (property names are case-sensitive: '${meaning.name}')`
      : `${error} ('${key}' is the display name of property '${meaning.name}': set '${meaning.name}')`;
  });
}

/** What validation reads of a processor, controller service or port. */
type Validated = { name?: string; validationStatus?: string; validationErrors?: string[]; config?: { descriptors?: Descriptors }; descriptors?: Descriptors };

/** The validation of a processor, controller service or port entity as NiFi returned it (no request). */
export function validationOf(component: Validated | undefined): ComponentValidation {
  // Ports carry no validationStatus, only their errors.
  const errors = component?.validationErrors ?? [];
  const status = component?.validationStatus === 'INVALID' || component?.validationStatus === 'VALIDATING' ? component.validationStatus : errors.length > 0 ? 'INVALID' : 'VALID';
  return { status, errors: explainValidationErrors(errors, component?.config?.descriptors ?? component?.descriptors) };
}

export interface RunnableOptions extends CallOptions {
  /** Only these processors and ports count; default all that aren't disabled. */
  componentIds?: readonly string[] | undefined;
  /** Ids that stay stopped and so don't count. */
  skipIds?: readonly string[] | undefined;
  /**
   * Whether the group's controller services count (default true). `start` leaves them out: it doesn't
   * enable services, and a processor that needs a disabled or invalid one says so in its own errors.
   */
  includeServices?: boolean | undefined;
  /**
   * The group's services were just enabled: a processor that still names one as disabled is waiting for
   * NiFi to revalidate it, not invalid (read again until `validationTimeoutMs`).
   */
  servicesJustEnabled?: boolean | undefined;
  /** How long to wait for NiFi's background validation to settle. Default 10 s. */
  validationTimeoutMs?: number | undefined;
}

/**
 * The components of a group (and its descendants) that NiFi would refuse to run: processors, controller
 * services, and the ports of nested groups (the group's own ports are its interface: they may wait
 * for a connection from outside). Components NiFi is still validating — or, right after their services
 * were enabled, that still name one as disabled — are read again until they settle or
 * `validationTimeoutMs` passes. Then one still VALIDATING is left out (NiFi starts it once it is valid);
 * the rest count as they stand.
 */
export async function findInvalidComponents(context: NifiContext, groupId: string, options: RunnableOptions = {}): Promise<InvalidComponent[]> {
  const call = callOptions(options);
  const settleBy = Date.now() + (options.validationTimeoutMs ?? 10_000);
  return pollUntil(
    async (signal) => {
      const tree = await getGroupTree(context, groupId, { ...call, signal });
      // `start` leaves services out: no need to read them on every check.
      const services =
        options.includeServices === false
          ? undefined
          : await context.api.get('/flow/process-groups/{id}/controller-services', { ...call, signal, path: { id: groupId }, query: { includeAncestorGroups: false, includeDescendantGroups: true, includeReferencingComponents: false } });
      const counts = (id: string, state: string | undefined) =>
        state !== 'DISABLED' && !options.skipIds?.includes(id) && (options.componentIds === undefined || options.componentIds.includes(id));
      const found: Array<InvalidComponent & { unsettled: boolean; validating: boolean }> = [];
      const consider = (kind: InvalidComponent['kind'], id: string, parentGroupId: string, component: Validated | undefined) => {
        const validation = validationOf(component);
        if (validation.status === 'VALID') return;
        const validating = validation.status === 'VALIDATING';
        const unsettled = validating || (options.servicesJustEnabled === true && validation.errors.length > 0 && validation.errors.every((error) => serviceNotYetEnabled.test(error)));
        found.push({ kind, id, name: component?.name ?? id, groupId: parentGroupId, errors: validation.errors, unsettled, validating });
      };
      for (const group of flattenTree(tree)) {
        for (const processor of group.contents.processors) if (counts(processor.id, processor.component.state)) consider('processor', processor.id, group.id, processor.component);
        if (group.id === tree.id) continue;
        for (const port of group.contents.inputPorts) if (counts(port.id, port.component.state)) consider('input port', port.id, group.id, port.component);
        for (const port of group.contents.outputPorts) if (counts(port.id, port.component.state)) consider('output port', port.id, group.id, port.component);
      }
      for (const service of services?.controllerServices ?? []) consider('controller service', service.id!, service.component?.parentGroupId ?? groupId, service.component);
      const unsettled = found.filter((entry) => entry.unsettled);
      if (unsettled.length > 0 && Date.now() < settleBy) return { done: false, progress: `NiFi is validating ${unsettled.map((entry) => entry.name).join(', ')}` };
      return { done: true, value: found.filter((entry) => !entry.validating).map(({ unsettled: _unsettled, validating: _validating, ...entry }) => entry) };
    },
    // The settling has its own limit (above); the wait's deadline leaves room to ride out a blip after it.
    { description: `NiFi to validate process group ${groupId}`, timeoutMs: (options.validationTimeoutMs ?? 10_000) + 30_000, initialIntervalMs: 100, maxIntervalMs: 1000, signal: options.signal },
  );
}

/** How NiFi words a property whose controller service is not enabled (yet): revalidated once it is. */
const serviceNotYetEnabled = /Controller Service .* is (disabled|enabling|not enabled)/i;

/** Throws NIFI_INVALID_COMPONENT naming every component of the group NiFi would refuse to run, with NiFi's reasons. */
export async function assertRunnable(context: NifiContext, groupId: string, action: string, options: RunnableOptions = {}): Promise<void> {
  const invalid = await findInvalidComponents(context, groupId, options);
  if (invalid.length === 0) return;
  throw new NifiError({
    code: 'NIFI_INVALID_COMPONENT',
    message: `Can't ${action}: NiFi won't run ${invalid.length} invalid component(s) of process group ${groupId}:\n${invalid.map((entry) => `  ${entry.kind} "${entry.name}" (${entry.id}): ${entry.errors.join('; ')}`).join('\n')}`,
    hint: 'Fix their configuration (or their connections and services) and try again; nothing was started.',
    invalidComponents: invalid,
  });
}
