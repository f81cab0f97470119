// The trigger expansion: which components a trigger compiles to, and how attribute values reach the Airflow request.
import { describe, expect, it } from 'vitest';
import { defineFlow } from '../model/define-flow.ts';
import { expandTriggers } from './expand-triggers.ts';

const airflowParameters = {
  airflow_url: { value: 'http://airflow:8080' },
  airflow_username: { value: 'nifi' },
  airflow_password: { fromEnv: 'AIRFLOW_PASSWORD', sensitive: true },
};

const flow = defineFlow({
  name: 'sensors',
  parameters: airflowParameters,
  processors: {
    receive: { type: 'ListenHTTP' },
    store: { type: 'PutDatabaseRecord', autoTerminate: ['failure', 'retry'] },
  },
  outputPorts: ['landed'],
  connections: [
    { from: 'receive', to: 'store', relationships: ['success'] },
    { from: 'store', to: 'landed', relationships: ['success'] },
  ],
  triggers: [
    { name: 'run report', when: 'store:failure', dagRun: { dag: 'sensor_report', confFromAttributes: ['sensor.id'], runId: 'nifi__${batch}' } },
    { name: 'landed', when: 'landed', assetEvent: { uri: 'dataplat://sensors/measurements', extraFromAttributes: ['batch'] } },
  ],
});

describe('expandTriggers', () => {
  it('compiles a dag-run trigger into a group fed from the processor relationship', () => {
    const expanded = expandTriggers(flow, { 'dataplat://sensors/measurements': 7 });
    const group = expanded.groups.find((candidate) => candidate.name === 'trigger: run report')!;
    expect(Object.keys(group.processors)).toEqual(['request body', 'call airflow', 'run id', 'check run id', 'reject run id', 'already triggered']);
    // Every attribute value in the body is escaped for JSON, the run id included (issue 14, finding 1:
    // the runId template's \${batch} went into the body raw, so a header value could add fields).
    expect(group.processors['request body']!.properties['Replacement Value']).toBe(
      `{"dag_run_id":"\${'dataplat.airflow.run_id':escapeJson()}","logical_date":null,"conf":{"sensor.id":"\${'sensor.id':escapeJson()}"}}`,
    );
    // The run id is computed first and must match Airflow's run-id pattern before anything is sent.
    expect(group.processors['run id']!.properties).toEqual({ 'dataplat.airflow.run_id': 'nifi__${batch}' });
    expect(group.processors['check run id']!.properties).toEqual({ valid: "${dataplat.airflow.run_id:matches('[A-Za-z0-9_.~:+-]+'):and(${dataplat.airflow.run_id:length():le(250)})}" });
    expect(group.processors['reject run id']).toMatchObject({ type: 'LogMessage', properties: { 'log-level': 'warn' } });
    expect(group.processors['reject run id']!.properties['log-message']).not.toContain('dataplat.airflow.run_id');
    const routes = group.connections.map((connection) => `${connection.from} -[${connection.relationships.join(',')}]-> ${connection.to}`);
    expect(routes).toEqual(expect.arrayContaining(['in -[]-> run id', 'run id -[success]-> check run id', 'check run id -[valid]-> request body', 'check run id -[unmatched]-> reject run id', 'reject run id -[success]-> failed']));
    expect(routes).not.toContain('in -[]-> request body');
    expect(group.processors['call airflow']!.properties).toMatchObject({
      'HTTP URL': '#{airflow_url}/api/v2/dags/sensor_report/dagRuns',
      'Request OAuth2 Access Token Provider': 'service:airflow token',
    });
    expect(group.services['airflow token']!.properties).toMatchObject({
      'authorization-server-url': '#{airflow_url}/auth/token',
      'service-user-name': '#{airflow_username}',
      'service-password': '#{airflow_password}',
    });
    // The relationship now feeds the trigger instead of being dropped.
    expect(expanded.processors['store']!.autoTerminate).toEqual(['retry']);
    expect(expanded.connections).toContainEqual(expect.objectContaining({ from: 'store', to: 'trigger: run report/in', relationships: ['failure'] }));
    // Nothing Airflow rejects for good is dropped: it ends in the "failed" funnel.
    expect(group.connections.filter((connection) => connection.to === 'failed').flatMap((connection) => connection.relationships).sort()).toEqual(['Failure', 'Retry', 'failure', 'success', 'unmatched']);
    expect(flow.processors['store']!.autoTerminate).toEqual(['failure', 'retry']);
  });

  it('feeds an output-port trigger from whatever reaches the port, with the asset id resolved', () => {
    const expanded = expandTriggers(flow, { 'dataplat://sensors/measurements': 7 });
    const group = expanded.groups.find((candidate) => candidate.name === 'trigger: landed')!;
    expect(group.processors['request body']!.properties['Replacement Value']).toBe(`{"asset_id":7,"extra":{"batch":"\${'batch':escapeJson()}"}}`);
    expect(group.processors['call airflow']!.properties['HTTP URL']).toBe('#{airflow_url}/api/v2/assets/events');
    expect(expanded.connections).toContainEqual(expect.objectContaining({ from: 'store', to: 'trigger: landed/in', relationships: ['success'] }));
  });

  it('lets no attribute into the URL: the DAG id is a literal of the code', () => {
    const expanded = expandTriggers(flow, { 'dataplat://sensors/measurements': 7 });
    for (const group of expanded.groups.filter((candidate) => candidate.name.startsWith('trigger: '))) {
      expect(group.processors['call airflow']!.properties['HTTP URL']).not.toContain('${');
      expect(group.services['airflow token']!.properties['authorization-server-url']).not.toContain('${');
    }
  });

  it('refuses an asset Airflow does not know', () => {
    expect(() => expandTriggers(flow, {})).toThrow(expect.objectContaining({ code: 'FLOWS_UNKNOWN_ASSET' }));
  });
});
