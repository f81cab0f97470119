import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startStack, stopStack, type StackEndpoints, type StackRunOptions } from '../src/index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    stackEndpoints: StackEndpoints;
    stackStateDir: string;
  }
}

const repositoryRoot = join(import.meta.dirname, '..', '..', '..');

const testStackDir = process.env['DATAPLAT_TEST_STACK_DIR'] ?? join(repositoryRoot, '.dataplat', 'test-stack');

/** The stack every integration test runs against; its own folder so a developer's `pnpm stack up` is left alone. */
export const testStackOptions: StackRunOptions = {
  stateDir: testStackDir,
  onEvent: (event) => {
    if (event.type === 'service-ready' || event.type === 'service-failed' || event.type === 'service-start') {
      const timing = event.type === 'service-ready' ? ` (${(event.startToReadyMs / 1000).toFixed(1)} s start→ready, ${(event.totalMs / 1000).toFixed(1)} s in all)` : '';
      console.log(`[stack] ${event.service} ${event.type.replace('service-', '')}${timing}`);
    }
  },
};

/** Boots the real stack once for all integration tests; stops it afterwards unless DATAPLAT_KEEP_STACK=1. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const startedAt = performance.now();
  await syncExampleDags(join(testStackDir, 'airflow', 'dags'));
  let stack;
  try {
    stack = await startStack(testStackOptions);
  } catch (error) {
    await stopStack(testStackOptions);
    throw error;
  }
  console.log(`[stack] ready in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
  project.provide('stackEndpoints', stack.endpoints);
  project.provide('stackStateDir', stack.config.stateDir);
  return async () => {
    if (process.env['DATAPLAT_KEEP_STACK'] !== '1') await stopStack(testStackOptions);
  };
}

/**
 * The test stack's DAG folder holds the example DAGs (examples/dags) and whatever tests generate
 * (e.g. `flows dag`), so tests never write into the repository.
 */
async function syncExampleDags(dagsFolder: string): Promise<void> {
  await mkdir(dagsFolder, { recursive: true });
  for (const entry of await readdir(dagsFolder)) await rm(join(dagsFolder, entry), { recursive: true, force: true });
  await cp(join(repositoryRoot, 'examples', 'dags'), dagsFolder, { recursive: true });
}
