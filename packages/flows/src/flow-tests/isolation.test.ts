// Test copies carry a marker naming their run; a copy is a leftover when its process is gone (same host) or it is
// older than the sweep age — never the current run's, never anything without the marker.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flowTestJsonSchema } from './test-schema.ts';
import { isLeftover, newTestRun, readTestCopyMarker, testCopyNames } from './isolation.ts';

describe('test copy markers', () => {
  const run = { runId: 'aaaa1111', host: 'ci-runner', pid: 4242, startedAt: '2026-11-30T12:00:00.000Z' };
  const names = testCopyNames(run, 2, { flow: 'iot-sensors', case: 'a / b', file: 'flows/iot.test.yaml' });

  it('names the group and context after the run, flow and case number, and marks them', () => {
    expect(names.groupName).toBe('dataplat-flows-test aaaa1111 iot-sensors case 3');
    expect(names.contextName).toBe(names.groupName);
    expect(readTestCopyMarker(names.marker)).toEqual({ ...run, flow: 'iot-sensors', case: 'a / b', file: 'flows/iot.test.yaml' });
    expect(readTestCopyMarker('managed-by: dataplat-flows\n{}')).toBeUndefined();
    expect(readTestCopyMarker('managed-by: dataplat-flows-test\n{"runId": 1}')).toBeUndefined();
    expect(readTestCopyMarker(undefined)).toBeUndefined();
  });

  it('is a leftover when its process died on this host, or when older than the sweep age elsewhere', () => {
    const marker = readTestCopyMarker(names.marker)!;
    const now = Date.parse('2026-11-30T12:10:00Z');
    const here = { ...newTestRun(), host: 'ci-runner' };
    expect(isLeftover(marker, here, 3_600_000, now, () => false)).toBe(true);
    expect(isLeftover(marker, here, 3_600_000, now, () => true)).toBe(false);
    const elsewhere = { ...here, host: 'laptop' };
    expect(isLeftover(marker, elsewhere, 3_600_000, now, () => false)).toBe(false);
    expect(isLeftover(marker, elsewhere, 5 * 60_000, now, () => true)).toBe(true);
    expect(isLeftover(marker, { ...here, runId: 'aaaa1111' }, 0, now, () => false)).toBe(false);
  });
});

describe('flow-test-file.schema.json', () => {
  // What editors read; regenerate with `pnpm flows schema --tests > packages/flows/flow-test-file.schema.json`.
  it('matches the schema of flow test files', async () => {
    const committed = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'flow-test-file.schema.json'), 'utf8')) as unknown;
    expect(committed).toEqual(flowTestJsonSchema());
  });
});
