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

  it('passes the project to flows run when the flow belongs to one, and says nothing of projects otherwise', () => {
    const source = generateAirflowDag('orders', { project: 'shop-team' });
    expect(source).toContain('PROJECT = "shop-team"');
    expect(source).toContain('(["--parent", PARENT_GROUP_ID] if PARENT_GROUP_ID else []) + ["--project", PROJECT]');
    expect(generateAirflowDag('orders')).not.toContain('PROJECT');
  });
});
