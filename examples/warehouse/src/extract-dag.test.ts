import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateAirflowDag, loadFlowFile } from '@dataplat/flows';
import { extractDag, flowFile } from './scenario.ts';

describe('examples/dags/nifi_flow_warehouse_extract.py', () => {
  it('is what `flows dag warehouse-extract` generates from flows/warehouse-extract.yaml (regenerate it when this fails)', async () => {
    const flow = loadFlowFile('flows/warehouse-extract.yaml', await readFile(flowFile, 'utf8')).flows[0]!;
    const committed = await readFile(join(import.meta.dirname, '..', '..', 'dags', `${extractDag}.py`), 'utf8');
    expect(committed).toBe(generateAirflowDag(flow.name, { description: flow.description }));
  });
});
