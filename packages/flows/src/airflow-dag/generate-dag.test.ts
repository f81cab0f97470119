import { describe, expect, it } from 'vitest';
import { defaultDagId, generateAirflowDag } from './generate-dag.ts';

describe('generateAirflowDag', () => {
  it('derives a valid DAG id from the flow name', () => {
    expect(defaultDagId('IoT sensors: v2')).toBe('nifi_flow_iot_sensors_v2');
  });

  it('is deterministic and embeds names as Python string literals', () => {
    const source = generateAirflowDag('orders "nightly"', { schedule: '@daily', connectionId: 'nifi_prod', parentGroupId: 'abc' });
    expect(source).toBe(generateAirflowDag('orders "nightly"', { schedule: '@daily', connectionId: 'nifi_prod', parentGroupId: 'abc' }));
    expect(source).toContain('FLOW = "orders \\"nightly\\""');
    expect(source).toContain('NIFI_CONNECTION_ID = "nifi_prod"');
    expect(source).toContain('schedule="@daily"');
    expect(source).toContain('dag_id="nifi_flow_orders_nightly"');
    expect(generateAirflowDag('x')).toContain('schedule=None');
  });
});
