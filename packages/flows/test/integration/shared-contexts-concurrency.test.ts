// Two CI pipelines apply at once, under two different parent groups, flows that inherit one shared context that
// doesn't exist yet: each holds its parent's apply lock, but the context is NiFi-wide — so an apply that changes
// shared contexts also takes the root group's lock and plans again under it. Against the real NiFi: both applies
// succeed, the context exists once (one creates it, the other then finds it as declared), both flows inherit it.
// Without the root's lock, the second create got NiFi's 409 (name taken).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pollUntil } from '@dataplat/core';
import { createNifiClient } from '@dataplat/nifi';
import { acquireFlowsLock, listFlowsLocks } from '../../src/deploy/lock.ts';
import { runCli } from '../run-cli.ts';
import { scratchGroups } from '../scratch-groups.ts';

const apiUrl = inject('stackEndpoints').nifi!.apiUrl;
const nifi = createNifiClient({ baseUrl: apiUrl });
const scratch = scratchGroups(nifi, 'flows-shared-race');
const shared = `greetings-${scratch.suffix}`;
const flowNames = ['left', 'right'].map((side) => `hello-${side}-${scratch.suffix}`);
let workdir = '';

beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), 'dataplat-flows-shared-race-'));
});

afterAll(async () => {
  await scratch.cleanUp();
  for (const context of await nifi.parameterContexts.list()) {
    if (context.component.name?.includes(scratch.suffix)) await nifi.parameterContexts.delete(context.id).catch(() => undefined);
  }
  await nifi.close();
  if (workdir) await rm(workdir, { recursive: true, force: true });
});

const sharedFile = ['parameterContexts:', `  ${shared}:`, '    parameters:', '      greeting: { value: hello }', ''].join('\n');
const flowFile = (name: string) =>
  [
    `name: ${name}`,
    `inherits: [${shared}]`,
    'processors:',
    '  generate: { type: GenerateFlowFile, schedule: { period: 1 hour }, state: stopped }',
    '  greet: { type: UpdateAttribute, properties: { greeting: "#{greeting}" }, autoTerminate: [success] }',
    'connections:',
    '  - { from: generate, to: greet, relationships: [success] }',
    '',
  ].join('\n');

describe('two applies under two parents, one new shared context', () => {
  it('both succeed, and the context is created once and inherited by both flows', async () => {
    await writeFile(join(workdir, 'shared.yaml'), sharedFile);
    const parents: string[] = [];
    for (const [index, name] of flowNames.entries()) {
      await writeFile(join(workdir, `${name}.yaml`), flowFile(name));
      parents.push(await scratch.parent(`parent-${index}`));
    }

    // The test holds the root group's lock until both applies hold their parent's: both have then planned to create
    // the context (under their parent's lock) and wait for the root's — the overlap is certain, not left to timing.
    const rootLock = await acquireFlowsLock(nifi, 'root', 'test: holds the root lock while two applies start');
    let applies: Array<Awaited<ReturnType<typeof runCli>>>;
    try {
      const running = Promise.all(
        flowNames.map((name, index) => runCli(['apply', `${name}.yaml`, 'shared.yaml', '--parent', parents[index]!, '--json'], { cwd: workdir, env: { NIFI_URL: apiUrl } })),
      );
      await pollUntil(
        async () => {
          const held = new Set((await listFlowsLocks(nifi)).map((lock) => lock.parentGroupId));
          return parents.every((parent) => held.has(parent)) ? { done: true, value: true } : { done: false, progress: `${held.size} lock(s) held` };
        },
        { description: 'both applies holding their parent group\'s lock', timeoutMs: 120_000, initialIntervalMs: 100, maxIntervalMs: 500 },
      );
      await rootLock.release();
      applies = await running;
    } finally {
      await rootLock.release();
    }
    for (const applied of applies) expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
    // One of them created the context; the other, planning again under the root's lock, found it as declared.
    const contextActions = applies.map((applied) => (JSON.parse(applied.stdout) as { plan: { parameterContexts?: Array<{ action: string }> } }).plan.parameterContexts?.map((entry) => entry.action));
    expect(contextActions.flat().sort()).toEqual(['create', 'no-op']);

    const named = (await nifi.parameterContexts.list()).filter((context) => context.component.name === shared);
    expect(named).toHaveLength(1);
    for (const name of flowNames) {
      const own = await nifi.parameterContexts.findByName(name);
      expect(own?.component.inheritedParameterContexts?.map((reference) => reference.component?.name)).toEqual([shared]);
    }
    for (const [index, name] of flowNames.entries()) {
      const plan = await runCli(['plan', `${name}.yaml`, 'shared.yaml', '--parent', parents[index]!, '--detailed-exitcode'], { cwd: workdir, env: { NIFI_URL: apiUrl } });
      expect(plan.exitCode, plan.stdout + plan.stderr).toBe(0);
    }
  });
});
