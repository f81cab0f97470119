import type { NifiClient, RunOnceReport } from '@dataplat/nifi';

/** Builds a two-processor flow, runs it once as a batch, reports, and deletes it. */
export async function quickstart(nifi: NifiClient): Promise<RunOnceReport> {
  const group = await nifi.processGroups.create('root', { name: `quickstart-${Date.now()}` });
  try {
    const generate = await nifi.processors.create(group.id, {
      name: 'generate',
      type: 'GenerateFlowFile',
      config: { properties: { 'Batch Size': '3', 'File Size': '1 KB' }, schedulingPeriod: '1 min' },
    });
    const tag = await nifi.processors.create(group.id, {
      name: 'tag',
      type: 'UpdateAttribute',
      config: { properties: { source: 'quickstart' }, autoTerminatedRelationships: ['success'] },
    });
    await nifi.connections.create(group.id, {
      source: { id: generate.id, groupId: group.id, type: 'PROCESSOR' },
      destination: { id: tag.id, groupId: group.id, type: 'PROCESSOR' },
      selectedRelationships: ['success'],
    });
    return await nifi.processGroups.runOnce(group.id);
  } finally {
    await nifi.processGroups.delete(group.id);
  }
}
