// Create/read/update/delete for every kind of canvas component, with revisions handled: creates send
// version 0, updates and deletes send the revision you read (so a concurrent edit is reported as
// NIFI_STALE_REVISION) or, when you pass only an id, the current one.
import { callOptions, revisionOf, type CallOptions, type NifiContext, type NifiSchemas } from '../client/nifi-context.ts';
import { resolveExtensionType } from './extensions.ts';

interface ComponentKinds {
  processGroup: { entity: NifiSchemas['ProcessGroupEntity']; component: NifiSchemas['ProcessGroupDTO'] };
  processor: { entity: NifiSchemas['ProcessorEntity']; component: NifiSchemas['ProcessorDTO'] };
  connection: { entity: NifiSchemas['ConnectionEntity']; component: NifiSchemas['ConnectionDTO'] };
  controllerService: { entity: NifiSchemas['ControllerServiceEntity']; component: NifiSchemas['ControllerServiceDTO'] };
  inputPort: { entity: NifiSchemas['PortEntity']; component: NifiSchemas['PortDTO'] };
  outputPort: { entity: NifiSchemas['PortEntity']; component: NifiSchemas['PortDTO'] };
  funnel: { entity: NifiSchemas['FunnelEntity']; component: NifiSchemas['FunnelDTO'] };
  label: { entity: NifiSchemas['LabelEntity']; component: NifiSchemas['LabelDTO'] };
}
export type ComponentKind = keyof ComponentKinds;

/** An entity as NiFi returns it after a read or write: id, revision and component are always present. */
export type Entity<Kind extends ComponentKind> = ComponentKinds[Kind]['entity'] & {
  id: string;
  revision: NifiSchemas['RevisionDTO'] & { version: number };
  component: ComponentKinds[Kind]['component'] & { id: string };
};
export type ComponentFields<Kind extends ComponentKind> = Omit<ComponentKinds[Kind]['component'], 'id' | 'parentGroupId'>;

const kindPaths: Record<ComponentKind, { collection: string; item: string; noun: string }> = {
  processGroup: { collection: 'process-groups', item: 'process-groups', noun: 'process group' },
  processor: { collection: 'processors', item: 'processors', noun: 'processor' },
  connection: { collection: 'connections', item: 'connections', noun: 'connection' },
  controllerService: { collection: 'controller-services', item: 'controller-services', noun: 'controller service' },
  inputPort: { collection: 'input-ports', item: 'input-ports', noun: 'input port' },
  outputPort: { collection: 'output-ports', item: 'output-ports', noun: 'output port' },
  funnel: { collection: 'funnels', item: 'funnels', noun: 'funnel' },
  label: { collection: 'labels', item: 'labels', noun: 'label' },
};

export interface WriteOptions extends CallOptions {
  /** Required by NiFi while a cluster node is disconnected. */
  disconnectedNodeAcknowledged?: boolean | undefined;
}

export interface ComponentResource<Kind extends ComponentKind> {
  /** Creates the component in a process group (`parentGroupId` may be `root`). Missing positions default to 0,0. */
  create(parentGroupId: string, component: ComponentFields<Kind>, options?: WriteOptions): Promise<Entity<Kind>>;
  get(id: string, options?: CallOptions): Promise<Entity<Kind>>;
  /**
   * Changes some fields. Pass the entity you read to detect concurrent edits (NIFI_STALE_REVISION),
   * or just its id to apply the change to whatever is current.
   */
  update(target: string | Entity<Kind>, changes: ComponentFields<Kind>, options?: WriteOptions): Promise<Entity<Kind>>;
  /** Deletes the component (NIFI_CONFLICT when its state forbids it; see deleteProcessGroup for groups). */
  delete(target: string | Entity<Kind>, options?: WriteOptions): Promise<void>;
}

export function componentResource<Kind extends ComponentKind>(context: NifiContext, kind: Kind): ComponentResource<Kind> {
  const paths = kindPaths[kind];
  const get = (id: string, options?: CallOptions) => context.call<Entity<Kind>>('GET', `/${paths.item}/${encodeURIComponent(id)}`, callOptions(options));
  const current = async (target: string | Entity<Kind>, options?: CallOptions) => (typeof target === 'string' ? get(target, options) : target);

  return {
    async create(parentGroupId, component, options) {
      const fields: Record<string, unknown> = { position: { x: 0, y: 0 }, ...component };
      if ((kind === 'processor' || kind === 'controllerService') && typeof fields['type'] === 'string' && !fields['bundle']) {
        // Short names like "GenerateFlowFile" are resolved to the fully-qualified type and its bundle.
        const resolved = await resolveExtensionType(context, kind, fields['type'], options);
        fields['type'] = resolved.type;
        fields['bundle'] = resolved.bundle;
      }
      return context.call<Entity<Kind>>('POST', `/process-groups/${encodeURIComponent(parentGroupId)}/${paths.collection}`, {
        ...callOptions(options),
        body: { revision: { version: 0, clientId: context.clientId }, disconnectedNodeAcknowledged: options?.disconnectedNodeAcknowledged, component: fields },
      });
    },
    get,
    async update(target, changes, options) {
      const entity = await current(target, options);
      return context.call<Entity<Kind>>('PUT', `/${paths.item}/${encodeURIComponent(entity.id)}`, {
        ...callOptions(options),
        body: {
          revision: revisionOf(context, entity),
          disconnectedNodeAcknowledged: options?.disconnectedNodeAcknowledged,
          component: { ...changes, id: entity.id },
        },
      });
    },
    async delete(target, options) {
      const entity = await current(target, options);
      await context.call('DELETE', `/${paths.item}/${encodeURIComponent(entity.id)}`, {
        ...callOptions(options),
        query: {
          version: entity.revision.version,
          clientId: context.clientId,
          disconnectedNodeAcknowledged: options?.disconnectedNodeAcknowledged,
        },
      });
    },
  };
}
