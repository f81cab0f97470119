// Create/read/update/delete for every kind of canvas component, with revisions handled: creates send
// version 0, updates and deletes send the revision you read (so a concurrent edit is reported as
// NIFI_STALE_REVISION) or, when you pass only an id, the current one.
import { acknowledgement, callOptions, revisionOf, type AcknowledgeOption, type CallOptions, type NifiContext, type NifiSchemas } from '../client/nifi-context.ts';
import { resolveExtensionType } from './extensions.ts';
import { validationOf, type ComponentValidation } from './validation.ts';

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
/** The kinds NiFi validates (the rest have no validation state). */
type ValidatedKind = 'processor' | 'controllerService' | 'inputPort' | 'outputPort';
/**
 * An entity as the component helpers return it: for processors, services and ports with `validation`,
 * NiFi's verdict and errors (explained with the descriptors: a display name used as a key names the
 * real property). NiFi may still be validating a component it just created (status VALIDATING).
 */
export type CheckedEntity<Kind extends ComponentKind> = Entity<Kind> & (Kind extends ValidatedKind ? { validation: ComponentValidation } : unknown);
export type ComponentFields<Kind extends ComponentKind> = Omit<ComponentKinds[Kind]['component'], 'id' | 'parentGroupId'>;

type EntityOf<Kind extends ComponentKind> = ComponentKinds[Kind]['entity'];
type DeleteQuery = { version: number; clientId: string; disconnectedNodeAcknowledged?: boolean };

/** The four typed endpoints of one kind (spelled out per kind, so each path and body is checked against NiFi's spec). */
interface KindEndpoints<Kind extends ComponentKind> {
  get(context: NifiContext, id: string, call: CallOptions): Promise<EntityOf<Kind>>;
  create(context: NifiContext, parentGroupId: string, body: EntityOf<Kind>, call: CallOptions): Promise<EntityOf<Kind>>;
  update(context: NifiContext, id: string, body: EntityOf<Kind>, call: CallOptions): Promise<EntityOf<Kind>>;
  remove(context: NifiContext, id: string, query: DeleteQuery, call: CallOptions): Promise<unknown>;
}

const endpoints: { [Kind in ComponentKind]: KindEndpoints<Kind> } = {
  processGroup: {
    get: (context, id, call) => context.api.get('/process-groups/{id}', { ...call, path: { id } }),
    create: (context, parentGroupId, body, call) => context.api.post('/process-groups/{id}/process-groups', { ...call, path: { id: parentGroupId }, body }),
    update: (context, id, body, call) => context.api.put('/process-groups/{id}', { ...call, path: { id }, body }),
    remove: (context, id, query, call) => context.api.delete('/process-groups/{id}', { ...call, path: { id }, query }),
  },
  processor: {
    get: (context, id, call) => context.api.get('/processors/{id}', { ...call, path: { id } }),
    create: (context, parentGroupId, body, call) => context.api.post('/process-groups/{id}/processors', { ...call, path: { id: parentGroupId }, body }),
    update: (context, id, body, call) => context.api.put('/processors/{id}', { ...call, path: { id }, body }),
    remove: (context, id, query, call) => context.api.delete('/processors/{id}', { ...call, path: { id }, query }),
  },
  connection: {
    get: (context, id, call) => context.api.get('/connections/{id}', { ...call, path: { id } }),
    create: (context, parentGroupId, body, call) => context.api.post('/process-groups/{id}/connections', { ...call, path: { id: parentGroupId }, body }),
    update: (context, id, body, call) => context.api.put('/connections/{id}', { ...call, path: { id }, body }),
    remove: (context, id, query, call) => context.api.delete('/connections/{id}', { ...call, path: { id }, query }),
  },
  controllerService: {
    get: (context, id, call) => context.api.get('/controller-services/{id}', { ...call, path: { id } }),
    create: (context, parentGroupId, body, call) => context.api.post('/process-groups/{id}/controller-services', { ...call, path: { id: parentGroupId }, body }),
    update: (context, id, body, call) => context.api.put('/controller-services/{id}', { ...call, path: { id }, body }),
    remove: (context, id, query, call) => context.api.delete('/controller-services/{id}', { ...call, path: { id }, query }),
  },
  inputPort: {
    get: (context, id, call) => context.api.get('/input-ports/{id}', { ...call, path: { id } }),
    create: (context, parentGroupId, body, call) => context.api.post('/process-groups/{id}/input-ports', { ...call, path: { id: parentGroupId }, body }),
    update: (context, id, body, call) => context.api.put('/input-ports/{id}', { ...call, path: { id }, body }),
    remove: (context, id, query, call) => context.api.delete('/input-ports/{id}', { ...call, path: { id }, query }),
  },
  outputPort: {
    get: (context, id, call) => context.api.get('/output-ports/{id}', { ...call, path: { id } }),
    create: (context, parentGroupId, body, call) => context.api.post('/process-groups/{id}/output-ports', { ...call, path: { id: parentGroupId }, body }),
    update: (context, id, body, call) => context.api.put('/output-ports/{id}', { ...call, path: { id }, body }),
    remove: (context, id, query, call) => context.api.delete('/output-ports/{id}', { ...call, path: { id }, query }),
  },
  funnel: {
    get: (context, id, call) => context.api.get('/funnels/{id}', { ...call, path: { id } }),
    create: (context, parentGroupId, body, call) => context.api.post('/process-groups/{id}/funnels', { ...call, path: { id: parentGroupId }, body }),
    update: (context, id, body, call) => context.api.put('/funnels/{id}', { ...call, path: { id }, body }),
    remove: (context, id, query, call) => context.api.delete('/funnels/{id}', { ...call, path: { id }, query }),
  },
  label: {
    get: (context, id, call) => context.api.get('/labels/{id}', { ...call, path: { id } }),
    create: (context, parentGroupId, body, call) => context.api.post('/process-groups/{id}/labels', { ...call, path: { id: parentGroupId }, body }),
    update: (context, id, body, call) => context.api.put('/labels/{id}', { ...call, path: { id }, body }),
    remove: (context, id, query, call) => context.api.delete('/labels/{id}', { ...call, path: { id }, query }),
  },
};

/** Options of a call that changes the flow: per-call options plus the acknowledgement of disconnected nodes. */
export interface WriteOptions extends CallOptions, AcknowledgeOption {}

export interface ComponentResource<Kind extends ComponentKind> {
  /** Creates the component in a process group (`parentGroupId` may be `root`). Missing positions default to 0,0. */
  create(parentGroupId: string, component: ComponentFields<Kind>, options?: WriteOptions): Promise<CheckedEntity<Kind>>;
  get(id: string, options?: CallOptions): Promise<CheckedEntity<Kind>>;
  /**
   * Changes some fields. Pass the entity you read to detect concurrent edits (NIFI_STALE_REVISION),
   * or just its id to apply the change to whatever is current.
   */
  update(target: string | Entity<Kind>, changes: ComponentFields<Kind>, options?: WriteOptions): Promise<CheckedEntity<Kind>>;
  /** Deletes the component (NIFI_CONFLICT when its state forbids it; see deleteProcessGroup for groups). */
  delete(target: string | Entity<Kind>, options?: WriteOptions): Promise<void>;
}

export function componentResource<Kind extends ComponentKind>(context: NifiContext, kind: Kind): ComponentResource<Kind> {
  const endpoint: KindEndpoints<Kind> = endpoints[kind];
  const validated = ['processor', 'controllerService', 'inputPort', 'outputPort'].includes(kind);
  const checked = (entity: EntityOf<Kind>) => (validated ? { ...entity, validation: validationOf((entity as Entity<ValidatedKind>).component) } : entity) as CheckedEntity<Kind>;
  const get = async (id: string, options?: CallOptions) => checked(await endpoint.get(context, id, callOptions(options)));
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
      const body = { revision: { version: 0, clientId: context.clientId }, ...acknowledgement(context, options), component: fields } as EntityOf<Kind>;
      return checked(await endpoint.create(context, parentGroupId, body, callOptions(options)));
    },
    get,
    async update(target, changes, options) {
      const entity = await current(target, options);
      const body = { revision: revisionOf(context, entity), ...acknowledgement(context, options), component: { ...changes, id: entity.id } } as EntityOf<Kind>;
      return checked(await endpoint.update(context, entity.id, body, callOptions(options)));
    },
    async delete(target, options) {
      const entity = await current(target, options);
      await endpoint.remove(context, entity.id, { version: entity.revision.version, clientId: context.clientId, ...acknowledgement(context, options) }, callOptions(options));
    },
  };
}
