// Airflow triggers (NiFi → Airflow) become ordinary components before compilation: one child group per
// trigger, fed from where the trigger fires, that turns each flowfile into an Airflow REST call.
//
//   in → (dag runs) run id (UpdateAttribute: the runId template) → check run id (RouteOnAttribute: Airflow's
//        run-id pattern; anything else → reject run id (LogMessage: a bulletin naming the flowfile, never the
//        value) → "failed")
//      → request body (ReplaceText: the JSON, every attribute value escaped with escapeJson)
//      → call airflow (InvokeHTTP, token from StandardOauth2AccessTokenProvider against /auth/token)
//      → 2xx: done; 409 on a dag run: the run id exists already (a re-send), done too;
//        anything else, after `retries` attempts for network errors and 5xx: parked in the "failed" funnel,
//        where it stays queued (visible in `flows status` and the NiFi UI) instead of being dropped.
//
// Airflow's token endpoint accepts the password grant's form fields and answers without `expires_in`,
// so NiFi's token provider fetches a fresh token for every call: no expired token is ever reused.
//
// Attribute values come from whoever sends data to the flow (an HTTP header, say), so each one is escaped
// for the language it lands in (issue 14, finding 1): JSON strings through escapeJson — the run id too,
// after it has matched Airflow's pattern — and no attribute reaches the URL (the DAG id is a validated
// literal of the code). The body carries no field but the ones written here.
import { DataplatError } from '@dataplat/core/errors';
import type { ConnectionModel, Flow, GroupModel, ProcessorModel, TriggerModel } from '../model/flow-schema.ts';
import { hasOwnKey } from '../model/own-keys.ts';

/** The name of the child group a trigger compiles to. */
export function triggerGroupName(trigger: Pick<TriggerModel, 'name'>): string {
  return `trigger: ${trigger.name}`;
}

/** Where a trigger fires: an output port of the flow, or a processor's relationship. */
export function triggerSource(flow: Pick<Flow, 'outputPorts' | 'processors'>, when: string): { port: string } | { processor: string; relationship: string } | undefined {
  if (flow.outputPorts.includes(when)) return { port: when };
  const colon = when.lastIndexOf(':');
  if (colon <= 0 || colon === when.length - 1) return undefined;
  const processor = when.slice(0, colon);
  return hasOwnKey(flow.processors, processor) ? { processor, relationship: when.slice(colon + 1) } : undefined;
}

/** The flow with every trigger replaced by its components. `assetIds` maps asset URIs to Airflow's ids. */
export function expandTriggers(flow: Flow, assetIds: Readonly<Record<string, number>> = {}): Flow {
  if (flow.triggers.length === 0) return flow;
  const processors = structuredClone(flow.processors);
  const connections: ConnectionModel[] = [...flow.connections];
  const groups: GroupModel[] = [...flow.groups];
  for (const trigger of flow.triggers) {
    const group = triggerGroup(flow, trigger, assetIds);
    groups.push(group);
    const into = `${group.name}/in`;
    const source = triggerSource(flow, trigger.when);
    if (!source) throw new DataplatError({ code: 'FLOWS_INVALID', message: `Trigger "${trigger.name}" fires on "${trigger.when}", which is neither an output port nor processor:relationship of flow "${flow.name}".` });
    if ('port' in source) {
      // Whatever reaches the port also reaches the trigger (NiFi clones a flowfile per connection).
      for (const connection of flow.connections.filter((candidate) => candidate.to === source.port)) {
        connections.push(plainConnection(connection.from, into, connection.relationships));
      }
    } else {
      const processor = processors[source.processor]!;
      processor.autoTerminate = processor.autoTerminate.filter((relationship) => relationship !== source.relationship);
      connections.push(plainConnection(source.processor, into, [source.relationship]));
    }
  }
  return { ...flow, processors, connections, groups };
}

function triggerGroup(flow: Flow, trigger: TriggerModel, assetIds: Readonly<Record<string, number>>): GroupModel {
  const { airflow } = trigger;
  const url = `#{${airflow.url}}`;
  let endpoint: string;
  let body: string;
  if (trigger.dagRun) {
    endpoint = `${url}/api/v2/dags/${trigger.dagRun.dag}/dagRuns`;
    // Airflow 3 wants logical_date present; null means "now" and lets runs share a date. The run id was
    // computed into runIdAttribute and checked against Airflow's pattern before this step.
    body = `{"dag_run_id":"\${'${runIdAttribute}':escapeJson()}","logical_date":null,"conf":${attributesObject(trigger.dagRun.confFromAttributes)}}`;
  } else if (trigger.assetEvent) {
    const assetId = assetIds[trigger.assetEvent.uri];
    if (assetId === undefined) {
      throw new DataplatError({
        code: 'FLOWS_UNKNOWN_ASSET',
        message: `Trigger "${trigger.name}" of flow "${flow.name}" emits events for asset ${trigger.assetEvent.uri}, which Airflow does not know.`,
        hint: 'Deploy the DAG that schedules on (or produces) this asset first: Airflow registers assets when it parses DAGs.',
      });
    }
    endpoint = `${url}/api/v2/assets/events`;
    body = `{"asset_id":${assetId},"extra":${attributesObject(trigger.assetEvent.extraFromAttributes)}}`;
  } else {
    throw new DataplatError({ code: 'FLOWS_INVALID', message: `Trigger "${trigger.name}" of flow "${flow.name}" needs exactly one of dagRun and assetEvent.` });
  }

  const callAirflow: ProcessorModel = processor('InvokeHTTP', {
    'HTTP Method': 'POST',
    'HTTP URL': endpoint,
    'Request OAuth2 Access Token Provider': 'service:airflow token',
    'Request Content-Type': 'application/json',
    'Response Body Ignored': 'true',
    ...(airflow.sslContextService ? { 'SSL Context Service': `service:${airflow.sslContextService}` } : {}),
  });
  callAirflow.autoTerminate = ['Original', 'Response'];
  // Retries back off 10 s, 20 s, 40 s … (up to 5 min): long enough to ride out an Airflow restart.
  callAirflow.penalty = '10 sec';
  if (trigger.retries > 0) callAirflow.retry = { relationships: ['Retry', 'Failure'], count: trigger.retries, backoff: 'penalize', maxBackoff: '5 mins' };

  const requestBody = processor('ReplaceText', {
    'Replacement Strategy': 'Always Replace',
    'Evaluation Mode': 'Entire text',
    'Replacement Value': body,
  });
  const group: GroupModel = {
    name: triggerGroupName(trigger),
    description: trigger.dagRun ? `Triggers Airflow DAG ${trigger.dagRun.dag} when data reaches ${trigger.when}.` : `Emits Airflow asset events for ${trigger.assetEvent!.uri} when data reaches ${trigger.when}.`,
    services: {
      'airflow token': {
        type: 'StandardOauth2AccessTokenProvider',
        properties: {
          'authorization-server-url': `${url}/auth/token`,
          'grant-type': 'password',
          'client-authentication-strategy': 'REQUEST_BODY',
          'service-user-name': `#{${airflow.username}}`,
          'service-password': `#{${airflow.password}}`,
          ...(airflow.sslContextService ? { 'ssl-context-service': `service:${airflow.sslContextService}` } : {}),
        },
      },
    },
    processors: { 'request body': requestBody, 'call airflow': callAirflow },
    connections: [
      plainConnection('in', 'request body', []),
      plainConnection('request body', 'call airflow', ['success']),
      plainConnection('request body', 'failed', ['failure']),
      plainConnection('call airflow', 'failed', ['Retry', 'Failure']),
    ],
    inputPorts: ['in'],
    outputPorts: [],
    funnels: ['failed'],
    groups: [],
  };
  if (trigger.dagRun) {
    // The run id: computed from the code's template, then checked against Airflow's run-id pattern inside
    // NiFi. One that doesn't match is never sent: it is logged (a bulletin naming the flowfile's uuid, not
    // the value, which came from the sender) and parked in "failed" with the other undeliverable data.
    group.processors['run id'] = processor('UpdateAttribute', { [runIdAttribute]: trigger.dagRun.runId });
    group.processors['check run id'] = processor('RouteOnAttribute', { valid: runIdCheck });
    group.processors['reject run id'] = processor('LogMessage', {
      'log-level': 'warn',
      'log-message': `The run id computed for flowfile \${uuid} does not match Airflow's run-id pattern ${airflowRunIdPattern} (at most ${airflowRunIdMaxLength} characters): not sent to Airflow, parked in the failed queue.`,
    });
    group.connections.splice(0, 1, plainConnection('in', 'run id', []));
    group.connections.push(
      plainConnection('run id', 'check run id', ['success']),
      plainConnection('check run id', 'request body', ['valid']),
      plainConnection('check run id', 'reject run id', ['unmatched']),
      plainConnection('reject run id', 'failed', ['success']),
    );
    // A 409 means a run with this id exists: the data was sent before (a replay or a retry). Done.
    group.processors['already triggered'] = { ...processor('RouteOnAttribute', { 'run exists': "${invokehttp.status.code:equals('409')}" }), autoTerminate: ['run exists'] };
    group.connections.push(plainConnection('call airflow', 'already triggered', ['No Retry']), plainConnection('already triggered', 'failed', ['unmatched']));
  } else {
    group.connections.push(plainConnection('call airflow', 'failed', ['No Retry']));
  }
  return group;
}

function processor(type: string, properties: Record<string, string>): ProcessorModel {
  return { type, properties, schedule: { strategy: 'timer', period: '0 sec', concurrency: 1 }, autoTerminate: [], state: 'running' };
}

function plainConnection(from: string, to: string, relationships: string[]): ConnectionModel {
  return { from, to, relationships, prioritizers: [], loadBalance: 'none', compression: 'none' };
}

/** `{"a":"${'a':escapeJson()}"}`: a JSON object of attribute values, built by NiFi's Expression Language. */
function attributesObject(attributes: readonly string[]): string {
  return `{${attributes.map((attribute) => `${JSON.stringify(attribute)}:"\${'${attribute}':escapeJson()}"`).join(',')}}`;
}

/** The attribute a dag-run trigger computes its run id into (inside its own group: set there, read there). */
export const runIdAttribute = 'dataplat.airflow.run_id';
/** Airflow's default `allowed_run_id_pattern` (`^[A-Za-z0-9_.~:+-]+$`) and its run_id column's length. */
export const airflowRunIdPattern = '[A-Za-z0-9_.~:+-]+';
export const airflowRunIdMaxLength = 250;
/** NiFi Expression Language: the run id matches the pattern (matches() is a whole-string match) and fits. */
const runIdCheck = `\${${runIdAttribute}:matches('${airflowRunIdPattern}'):and(\${${runIdAttribute}:length():le(${airflowRunIdMaxLength})})}`;
