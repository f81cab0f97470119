// The one schema of the flows DSL: YAML files and defineFlow() are both checked against it, and it is
// exported as JSON Schema for editor completion. Unknown keys are errors (a typo is never ignored).
import * as z from 'zod';
import { backoffMechanisms, dslWords, executionNodes, loadBalanceCompressions, loadBalanceStrategies, prioritizers, runStates, schedulingStrategies } from './nifi-vocabulary.ts';

/**
 * Names are how components refer to each other: anything readable, except `/` (it addresses a port of
 * a child group) and surrounding spaces. Names from hand-built canvases (`flows export`) mostly fit.
 */
const name = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^/\s\p{Cc}](?:[^/\p{Cc}]*[^/\s\p{Cc}])?$/u, 'use any characters except "/" and control characters, without leading or trailing spaces');

/** A NiFi duration such as `30 sec`, `5 mins`, `1 hour`. */
const duration = z.string().regex(/^\d+(\.\d+)?\s*(nanos?|millis?|ms|secs?|seconds?|s|mins?|minutes?|m|hrs?|hours?|h|days?|d|weeks?)$/i, 'a NiFi duration such as "30 sec" or "5 mins"');
/** A NiFi data size such as `1 GB`, `500 MB`. */
const dataSize = z.string().regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB)$/i, 'a data size such as "1 GB" or "500 MB"');

const properties = z.record(z.string(), z.string().nullable()).describe('NiFi property names → values ("#{param}" references a parameter).');

const sha256Hex = z.string().regex(/^[0-9a-fA-F]{64}$/, '64 hexadecimal digits (a SHA-256)');

const parameter = z.strictObject({
  value: z.string().optional().describe('The value (sensitive values belong in fromEnv).'),
  fromEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name such as DB_PASSWORD').optional().describe('Read the value from this environment variable at plan/apply time.'),
  sensitive: z
    .boolean()
    .optional()
    .describe('true: kept secret (a sensitive parameter in NiFi, never printed, its value from fromEnv). Unset, a value read with fromEnv is still masked in plans; write false to show it.'),
  description: z.string().optional().describe('Shown in NiFi next to the parameter.'),
  asset: z
    .union([
      z.strictObject({
        file: z.string().min(1).describe('A file, relative to this YAML file.'),
        sha256: sha256Hex.optional().describe('Its SHA-256 (hex): checked offline and before every upload.'),
      }),
      z.strictObject({
        maven: z.string().regex(/^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+:[A-Za-z0-9_.+-]+$/, 'a Maven coordinate group:artifact:version').describe('A jar from Maven Central (group:artifact:version), fetched at plan/apply time into a local cache.'),
        sha256: sha256Hex.describe('Its SHA-256 (hex), required: a download that does not match is never used.'),
      }),
    ])
    .optional()
    .describe('Upload a file into the parameter context as a NiFi asset (e.g. a JDBC driver); processors see its path on the nodes. Exclusive with value, fromEnv and sensitive.'),
});

const service = z.strictObject({
  type: z.string().min(1).describe('Short (JsonTreeReader) or fully-qualified controller service type.'),
  properties: properties.default({}),
  comments: z.string().optional().describe('Comments shown in NiFi.'),
});

const processor = z.strictObject({
  type: z.string().min(1).describe('Short (ListenHTTP) or fully-qualified processor type.'),
  properties: properties.default({}),
  schedule: z
    .strictObject({
      strategy: z.enum(dslWords(schedulingStrategies)).default('timer').describe('Timer-driven (every period) or cron-driven (a Quartz expression).'),
      period: z.string().default('0 sec').describe('A duration for timer scheduling, a Quartz expression for cron.'),
      concurrency: z.number().int().min(1).max(1000).default(1).describe('Concurrent tasks.'),
    })
    .default({ strategy: 'timer', period: '0 sec', concurrency: 1 })
    .describe('When the processor runs.'),
  autoTerminate: z.array(z.string().min(1)).default([]).describe('Relationships whose flowfiles are dropped.'),
  retry: z
    .strictObject({
      relationships: z.array(z.string().min(1)).min(1).describe('Relationships whose flowfiles are retried before they are routed.'),
      count: z.number().int().min(1).max(100).default(10).describe('Attempts before routing to the relationship.'),
      backoff: z.enum(dslWords(backoffMechanisms)).default('penalize').describe('Penalize the flowfile, or yield the processor, between attempts.'),
      maxBackoff: duration.default('10 mins').describe('Longest wait between attempts.'),
    })
    .optional()
    .describe('NiFi retries of failed relationships.'),
  penalty: duration.optional().describe('Penalty duration (NiFi default 30 sec).'),
  yield: duration.optional().describe('Yield duration (NiFi default 1 sec).'),
  state: z.enum(dslWords(runStates)).default('running').describe('What apply leaves it in; `flows run` triggers stopped sources once.'),
  executionNode: z
    .enum(dslWords(executionNodes))
    .optional()
    .describe(
      'On a cluster: all nodes (NiFi\'s default) or the primary node only — for sources that list or poll one shared place (ListFile, QueryDatabaseTable…) and servers that bind a port. Types NiFi marks primary-node-only run there whatever this says. Unset on a listing source: a warning.',
    ),
  comments: z.string().optional().describe('Comments shown in NiFi.'),
});

const endpoint = z.string().min(1).describe('A processor, port or funnel name; `group/port` for a port of a nested group.');

const connection = z.strictObject({
  from: endpoint,
  to: endpoint,
  relationships: z.array(z.string().min(1)).default([]).describe('Required when `from` is a processor.'),
  name: z.string().optional().describe('Tells several connections between the same two components apart.'),
  backPressure: z
    .strictObject({ objects: z.number().int().min(0).default(10_000).describe('Queued flowfiles that stop the source.'), size: dataSize.default('1 GB').describe('Queued data size that stops the source.') })
    .optional()
    .describe('When the queue stops its source.'),
  expiration: duration.optional().describe('Flowfiles older than this are dropped from the queue.'),
  prioritizers: z.array(z.enum(dslWords(prioritizers))).default([]).describe('Queue order.'),
  loadBalance: z.enum(dslWords(loadBalanceStrategies)).default('none').describe('How a cluster spreads the queue over nodes.'),
  partitionAttribute: z
    .string()
    .min(1)
    .optional()
    .describe('The flowfile attribute whose value picks the node (flowfiles with one value go to one node): required with loadBalance partition-by-attribute, refused with the others.'),
  compression: z.enum(dslWords(loadBalanceCompressions)).default('none').describe('What NiFi compresses when it moves flowfiles of this queue between nodes.'),
});

/** Names of flow parameters (not values), so Airflow's address and credentials stay out of the code. */
const airflowConnection = z
  .strictObject({
    url: z.string().min(1).default('airflow_url').describe('Parameter holding the Airflow base URL, e.g. http://airflow-api:8080.'),
    username: z.string().min(1).default('airflow_username').describe('Parameter holding the Airflow user.'),
    password: z.string().min(1).default('airflow_password').describe('Sensitive parameter holding the password.'),
    sslContextService: name.optional().describe('A StandardSSLContextService of the flow, for HTTPS with a private CA.'),
  })
  .default({ url: 'airflow_url', username: 'airflow_username', password: 'airflow_password' });

const attributeName = z.string().min(1).max(200).regex(/^[^'{}$\\\p{Cc}]+$/u, 'an attribute name without quotes, braces, $, backslashes or control characters');

const airflowTrigger = z.strictObject({
  name: name.describe('Names the trigger and its group `trigger: <name>`.'),
  /** Where data arriving triggers Airflow: an output port of the flow, or `processor:relationship`, e.g. `store:success`. */
  when: z.string().min(1).describe('An output port of the flow, or processor:relationship (e.g. store:success, or store:failure to report failures).'),
  airflow: airflowConnection.describe('Which flow parameters hold the Airflow URL and credentials (defaults: airflow_url, airflow_username, airflow_password).'),
  dagRun: z
    .strictObject({
      dag: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'an Airflow DAG id').describe('The DAG to run; it must be unpaused.'),
      confFromAttributes: z.array(attributeName).default([]).describe('FlowFile attributes copied into the run\'s conf.'),
      runId: z
        .string()
        .min(1)
        .default('nifi__${uuid}')
        .describe('NiFi Expression Language template of the run id. A deterministic one (e.g. nifi__${batch.id}) makes re-sent data trigger at most one run.'),
    })
    .optional()
    .describe('Trigger a run of this DAG per flowfile.'),
  assetEvent: z
    .strictObject({
      uri: z.string().min(1).describe('The asset URI as Airflow knows it (resolved to its id at plan time).'),
      extraFromAttributes: z.array(attributeName).default([]).describe('FlowFile attributes copied into the event\'s extra.'),
    })
    .optional()
    .describe('Emit an Airflow asset event per flowfile (data-aware scheduling).'),
  retries: z.number().int().min(0).max(100).default(5).describe('Attempts after a network error or a 5xx from Airflow before the flowfile is parked in the trigger\'s "failed" queue.'),
});

export interface GroupModel {
  name: string;
  description?: string | undefined;
  services: Record<string, z.output<typeof service>>;
  processors: Record<string, z.output<typeof processor>>;
  connections: Array<z.output<typeof connection>>;
  inputPorts: string[];
  outputPorts: string[];
  funnels: string[];
  groups: GroupModel[];
}

const groupFields = {
  name: name.describe('Names the process group (for a flow: its managed group under the parent).'),
  description: z.string().optional().describe('Shown as the group\'s comments in NiFi.'),
  services: z.record(name, service).default({}).describe('Controller services by name; processors refer to them as service:<name>.'),
  processors: z.record(name, processor).default({}).describe('Processors by name.'),
  connections: z.array(connection).default([]).describe('Queues between processors, ports and funnels.'),
  inputPorts: z.array(name).default([]).describe('Where data enters a child group.'),
  outputPorts: z.array(name).default([]).describe('Where data leaves a child group.'),
  funnels: z.array(name).default([]).describe('Funnels by name (e.g. to hold failures for inspection).'),
};

export const groupSchema: z.ZodType<GroupModel, unknown> = z.lazy(() =>
  z.strictObject({
    ...groupFields,
    groups: z.array(groupSchema).default([]).describe('Child process groups.'),
  }),
);

/** Parameter names: what #{name} refers to. */
const parameterName = z.string().regex(/^[A-Za-z0-9_.\- ]+$/, 'letters, digits, spaces and _ . -');
/** Names of shared parameter contexts, highest precedence first (NiFi's inheritance order). */
const inheritedContexts = z.array(name).default([]);

export const flowSchema = z.strictObject({
  ...groupFields,
  groups: z.array(groupSchema).default([]).describe('Child process groups (same keys as the flow, without its parameters, triggers and environments).'),
  parameterContext: z.string().min(1).max(200).optional().describe('The NiFi parameter context holding the parameters; default the flow\'s name (set by flows export for adopted groups).'),
  parameters: z.record(parameterName, parameter).default({}).describe('The flow\'s parameter context: #{name} in properties.'),
  inherits: inheritedContexts.describe('Shared parameter contexts (parameterContexts:) the flow\'s context inherits, highest precedence first; the flow\'s own parameters win over them.'),
  triggers: z.array(airflowTrigger).default([]).describe('Airflow DAG runs or asset events fired when data reaches a point of the flow.'),
  /**
   * NiFi's identifiers of components that were not created by flows (written by `flows export`), by
   * address relative to the flow (`processors/receive`, `groups/sub/connections/a->b`). They keep an
   * adopted canvas's components, and their queues, in place; everything else gets derived identifiers.
   */
  identifiers: z.record(z.string().min(1), z.uuid()).default({}).describe('NiFi ids of adopted components by address (written by flows export; leave it alone).'),
  /** Per-environment overrides (`--env prod`), deep-merged over the flow. */
  environments: z
    .record(z.string().min(1), z.strictObject({ parameters: z.record(z.string(), parameter.partial()).default({}).describe('Parameter overrides.') }))
    .default({})
    .describe('Per-environment overrides, applied with --env <name>.'),
  /**
   * Several deployments of this one definition (expanded at load time by instances.ts): each instance is
   * a flow of its own — its own process group, parameter context and identifiers — and the definition
   * itself is not deployed.
   */
  instances: z
    .record(
      name,
      z.strictObject({
        description: z.string().optional().describe('Shown as the instance group\'s comments in NiFi (default: the flow\'s description).'),
        parameters: z.record(z.string(), parameter.partial()).default({}).describe('Overrides of the flow\'s parameters (they win over environment overrides).'),
      }),
    )
    .optional()
    .describe('Instance name → overrides: the flow is deployed once per instance, under the instance\'s name, instead of once under its own.'),
});

/** A shared parameter context (`parameterContexts.<name>`): declared once, inherited by flows. */
export const sharedContextSchema = z.strictObject({
  description: z.string().optional().describe('Shown in NiFi as the context\'s description (above the ownership marker).'),
  inherits: inheritedContexts.describe('Other shared contexts this one inherits, highest precedence first.'),
  parameters: z.record(parameterName, parameter).default({}).describe('The context\'s parameters: #{name} in the properties of the flows that inherit it.'),
  environments: z
    .record(z.string().min(1), z.strictObject({ parameters: z.record(z.string(), parameter.partial()).default({}).describe('Parameter overrides.') }))
    .default({})
    .describe('Per-environment overrides of the context\'s parameters, applied with --env <name>.'),
});

const sharedContexts = z.record(name, sharedContextSchema).describe('Shared parameter contexts by name, managed by plan/apply like flows and inherited by flows (inherits:).');

/** Shared controller services (issue 18): `parent:` — services in the managed parent group, used by flows as service:<name> (see shared-services.ts). */
export const serviceSchema = service;
export const parentSectionSchema = z.strictObject({
  parameterContext: name.optional().describe('A shared context (parameterContexts:) the parent group is bound to, so the shared services\' #{…} resolve.'),
  services: z.record(name, service).default({}).describe('Controller services in the parent group, by name; any flow refers to them as service:<name> (its own services of that name win).'),
});
export type ParentSectionInput = z.input<typeof parentSectionSchema>;
const parentSection = parentSectionSchema.describe('The managed parent group: shared controller services and the context it is bound to.');

/** A file holds one flow, or several under `flows:`, and/or shared parameter contexts under `parameterContexts:`, and/or shared services under `parent:`. */
export const flowFileSchema = z.union([
  z.strictObject({ flows: z.array(flowSchema).min(1), parameterContexts: sharedContexts.optional(), parent: parentSection.optional() }),
  z.strictObject({ parameterContexts: sharedContexts, parent: parentSection.optional() }),
  z.strictObject({ parent: parentSection }),
  flowSchema.extend({ parameterContexts: sharedContexts.optional(), parent: parentSection.optional() }),
]);

export type SharedContext = z.output<typeof sharedContextSchema>;
export type SharedContextInput = z.input<typeof sharedContextSchema>;
/** A shared context of the code with its name. */
export interface SharedContextDeclaration extends SharedContext {
  name: string;
}

export type FlowInput = z.input<typeof flowSchema>;
export type Flow = z.output<typeof flowSchema> & {
  /** Set on the flows an `instances:` definition expands to: the definition's name (see instances.ts). */
  instanceOf?: string | undefined;
};
export type ProcessorModel = z.output<typeof processor>;
export type ConnectionModel = z.output<typeof connection>;
export type TriggerModel = z.output<typeof airflowTrigger>;

/** The name of the NiFi parameter context a flow's parameters live in. */
export function parameterContextName(flow: Pick<Flow, 'name' | 'parameterContext'>): string {
  return flow.parameterContext ?? flow.name;
}

/** The schema as JSON Schema, for editors (e.g. `# yaml-language-server: $schema=…`). */
export function flowJsonSchema(): unknown {
  return z.toJSONSchema(flowFileSchema, { io: 'input', unrepresentable: 'any' });
}
