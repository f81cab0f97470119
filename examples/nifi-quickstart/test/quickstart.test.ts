// The README's NiFi example (examples/nifi-quickstart) runs for real, so it cannot rot.
import { describe, expect, inject, it } from 'vitest';
import { createNifiClient } from '@dataplat/nifi';
import { quickstart } from '../src/quickstart.ts';

describe('examples/nifi-quickstart', () => {
  it('builds, runs once, reports and deletes its flow on the real NiFi', async () => {
    const nifi = createNifiClient({ baseUrl: inject('stackEndpoints').nifi!.apiUrl });
    const report = await quickstart(nifi);
    expect(report.sources).toEqual(['generate']);
    expect(report.flowFilesIn).toBe(3);
    expect(report.bytesIn).toBe(3 * 1024);
    expect(report.processors.map((processor) => [processor.name, processor.flowFilesIn])).toEqual([
      ['generate', 0],
      ['tag', 3],
    ]);
    await expect(nifi.processGroups.get(report.groupId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await nifi.close();
  });
});
