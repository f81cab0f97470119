// Which processor and controller service types this NiFi has, and their property descriptors:
// what `flows validate --live` and short type names ("GenerateFlowFile") build on.
import { callOptions, type CallOptions, type NifiContext, type NifiSchemas } from '../client/nifi-context.ts';
import { NifiError } from '../client/nifi-errors.ts';

export type ExtensionType = NifiSchemas['DocumentedTypeDTO'] & { type: string; bundle: NifiSchemas['BundleDTO'] };
export type PropertyDescriptor = NifiSchemas['PropertyDescriptorDTO'];

export async function listProcessorTypes(context: NifiContext, options?: CallOptions): Promise<ExtensionType[]> {
  const answer = await context.api.get('/flow/processor-types', callOptions(options));
  return (answer.processorTypes ?? []) as ExtensionType[];
}

export async function listControllerServiceTypes(context: NifiContext, options?: CallOptions): Promise<ExtensionType[]> {
  const answer = await context.api.get('/flow/controller-service-types', callOptions(options));
  return (answer.controllerServiceTypes ?? []) as ExtensionType[];
}

/**
 * Resolves a short type name ("GenerateFlowFile") or a fully-qualified one to exactly one installed
 * type and bundle. Matching is exact (class name or simple name), never partial.
 */
export async function resolveExtensionType(
  context: NifiContext,
  kind: 'processor' | 'controllerService',
  name: string,
  options?: CallOptions,
): Promise<ExtensionType> {
  const types = kind === 'processor' ? await listProcessorTypes(context, options) : await listControllerServiceTypes(context, options);
  return matchExtensionType(types, kind, name);
}

/** The one type among `types` named `name` (class or simple name); NIFI_NOT_UNIQUE when none or several. */
export function matchExtensionType(types: readonly ExtensionType[], kind: 'processor' | 'controllerService', name: string): ExtensionType {
  const matches = types.filter((candidate) => candidate.type === name || candidate.type.split('.').pop() === name);
  const noun = kind === 'processor' ? 'processor' : 'controller service';
  if (matches.length === 0) {
    const near = types.map((candidate) => candidate.type.split('.').pop()!).filter((simple) => simple.toLowerCase().includes(name.toLowerCase().slice(0, 6)));
    throw new NifiError({
      code: 'NIFI_NOT_UNIQUE',
      message: `No ${noun} type named "${name}" is installed in this NiFi.`,
      hint: near.length ? `Did you mean ${near.slice(0, 5).join(', ')}?` : `List the installed types with ${kind === 'processor' ? 'listProcessorTypes' : 'listControllerServiceTypes'}().`,
    });
  }
  if (matches.length > 1) {
    throw new NifiError({
      code: 'NIFI_NOT_UNIQUE',
      message: `The ${noun} type "${name}" is ambiguous: ${matches.map((match) => `${match.type} (${match.bundle.artifact} ${match.bundle.version})`).join(', ')}.`,
      hint: 'Give the fully-qualified type and a bundle.',
    });
  }
  return matches[0]!;
}

/** Property descriptors of an existing processor, keyed by property name (always available). */
export async function getProcessorDescriptors(context: NifiContext, processorId: string, options?: CallOptions): Promise<Record<string, PropertyDescriptor>> {
  const processor = await context.api.get('/processors/{id}', { ...callOptions(options), path: { id: processorId } });
  return processor.component?.config?.descriptors ?? {};
}
