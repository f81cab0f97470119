// A compiled flow is a definition the real NiFi accepts: uploaded as a new group, then replaced in place
// (same identifiers → same components, updated).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { createNifiClient } from '@dataplat/nifi';
import { compileFlow, loadFlowFile, withInheritedParameters } from '@dataplat/flows';

describe('compileFlow against the real NiFi', () => {
  it('uploads flows/iot-sensors.yaml as a process group and replaces it in place', async () => {
    const nifi = createNifiClient({ baseUrl: inject('stackEndpoints').nifi!.apiUrl });
    const file = join(import.meta.dirname, '..', '..', '..', '..', 'flows', 'iot-sensors.yaml');
    const loaded = loadFlowFile('flows/iot-sensors.yaml', await readFile(file, 'utf8'));
    expect(loaded.diagnostics).toEqual([]);
    // What it inherits (examples-db) made its own: an upload naming a shared context would create it, empty, when missing.
    const shared = loadFlowFile('flows/shared-contexts.yaml', await readFile(join(file, '..', 'shared-contexts.yaml'), 'utf8'));
    const catalog = { processorTypes: await nifi.extensions.processorTypes(), controllerServiceTypes: await nifi.extensions.controllerServiceTypes() };
    // Offline stand-ins: nothing here calls Airflow (the triggers' own test does).
    const compileEnv = { SENSORS_DB_PASSWORD: 'not-used-here', AIRFLOW_PASSWORD: 'not-used-here' };
    const assetIds = { 'dataplat://examples/measurements': 1 };
    const flow = { ...withInheritedParameters(loaded.flows[0]!, shared.parameterContexts.map((placed) => placed.context)), name: `iot-sensors-${Date.now().toString(36)}` };
    const { definition } = compileFlow(flow, catalog, { env: compileEnv, assetIds });

    const group = await nifi.processGroups.upload('root', definition, { name: flow.name });
    try {
      const tree = await nifi.processGroups.tree(group.id);
      expect(tree.contents.processors.map((processor) => processor.component.name).sort()).toEqual(['explain', 'flag', 'quarantine', 'receive', 'register', 'store', 'validate']);
      // 12 connections of the code, and the one feeding the trigger.
      expect(tree.contents.connections).toHaveLength(13);
      expect(tree.contents.processGroups.map((group) => group.component.name)).toEqual(['trigger: measurements-landed']);
      const services = await nifi.processGroups.controllerServices(group.id);
      expect(services.map((service) => service.component.name).sort()).toEqual(['airflow token', 'json-writer', 'quarantine-reader', 'readings-reader', 'records-reader', 'warehouse']);
      const validate = tree.contents.processors.find((processor) => processor.component.name === 'validate')!;
      const reader = services.find((service) => service.component.name === 'readings-reader')!;
      // The service reference became the id NiFi gave the service.
      expect(validate.component.config?.properties?.['record-reader']).toBe(reader.id);
      const context = await nifi.parameterContexts.findByName(flow.name);
      expect(context?.component.parameters?.map((entry) => entry.parameter?.name).sort()).toEqual(['airflow_password', 'airflow_url', 'airflow_username', 'db_password', 'db_user', 'http_port', 'jdbc_url', 'postgresql_driver', 'who_pm25_limit']);

      // Same identifiers: replacing updates the existing components instead of creating new ones.
      const changed = compileFlow({ ...flow, processors: { ...flow.processors, receive: { ...flow.processors['receive']!, properties: { ...flow.processors['receive']!.properties, 'Base Path': 'v2' } } } }, catalog, { env: compileEnv, assetIds });
      await nifi.processGroups.replace(group.id, changed.definition);
      const after = await nifi.processGroups.tree(group.id);
      const receiveBefore = tree.contents.processors.find((processor) => processor.component.name === 'receive')!;
      const receiveAfter = after.contents.processors.find((processor) => processor.component.name === 'receive')!;
      expect(receiveAfter.id).toBe(receiveBefore.id);
      expect(receiveAfter.component.config?.properties?.['Base Path']).toBe('v2');
    } finally {
      await nifi.processGroups.delete(group.id);
      const context = await nifi.parameterContexts.findByName(flow.name);
      if (context) await nifi.parameterContexts.delete(context.id);
      await nifi.close();
    }
  });
});
