// NiFi SIGKILLed in the middle of `flows apply` and started again, three times, each at another point
// of the apply: that apply ends with a clear error (or completes), and the next apply converges — one
// group per flow, secrets set, run states as the code says, a plan with nothing to do.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pollUntil, sleep } from '@dataplat/core';
import { createNifiClient } from '@dataplat/nifi';
import { killStackService, startStack } from '@dataplat/stack';
import { listFlowsLocks } from '@dataplat/flows';
import { testStackOptions } from '../../../stack/test/global-setup.ts';
import { runCli } from '../run-cli.ts';
import { scratchGroups } from '../scratch-groups.ts';
import { shopFlowsFile } from '../shop-flows.ts';

const apiUrl = inject('stackEndpoints').nifi!.apiUrl;
const nifi = createNifiClient({ baseUrl: apiUrl });
const scratch = scratchGroups(nifi, 'flows-nifi-restart');
// A short lease: the apply that loses NiFi can't release its lock, the next one takes it over after this.
const env = { NIFI_URL: apiUrl, SHOP_TOKEN: 'token-for-the-shop', FLOWS_LOCK_TTL: '3s' };
let workdir = '';

beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), 'dataplat-flows-nifi-restart-'));
});

afterAll(async () => {
  await scratch.cleanUp();
  await nifi.close();
  if (workdir) await rm(workdir, { recursive: true, force: true });
});


/**
 * When, during the apply, NiFi is killed: once it holds the apply lock (it has planned and is about to
 * upload), once the first flow's group exists, or once all three exist (pushing parameters, enabling
 * services, starting — or, on a fast run, just done: then it completed, which the test allows).
 */
const killPoints = [
  { when: 'once the apply holds its lock, before any upload', groupsSeen: 0 },
  { when: 'as the first flow is uploaded', groupsSeen: 1 },
  { when: 'once every flow is uploaded (parameters, services, starts)', groupsSeen: 3 },
];

describe('NiFi killed in the middle of flows apply', () => {
  it.each(killPoints)('converges on the next apply when NiFi dies $when', async ({ groupsSeen }) => {
    const parentGroupId = await scratch.parent(`at-${groupsSeen}`);
    // NiFi writes its flow to disk 500 ms after a change (nifi.flowservice.writedelay.interval): the parent,
    // made just now, must outlive the crash like any long-standing parent would.
    await sleep(2000);
    const names = ['a', 'b', 'c'].map((letter) => `restart-${groupsSeen}-${letter}-${scratch.suffix}`);
    const file = `flows-${groupsSeen}.yaml`;
    await writeFile(join(workdir, file), shopFlowsFile(names));

    const cli = spawn(process.execPath, ['--conditions=@dataplat/source', join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts'), 'apply', file, '--parent', parentGroupId, '--json'], {
      cwd: workdir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    cli.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
    const reached = async () =>
      groupsSeen === 0
        ? (await listFlowsLocks(nifi)).some((lock) => lock.parentGroupId === parentGroupId)
        : (await nifi.processGroups.flow(parentGroupId)).contents.processGroups.length >= groupsSeen;
    await pollUntil(async () => ((await reached()) ? { done: true, value: true } : { done: false }), {
      timeoutMs: 120_000,
      initialIntervalMs: 20,
      maxIntervalMs: 50,
      description: groupsSeen === 0 ? 'the apply to take its lock' : `${groupsSeen} group(s) of the apply`,
    });
    expect(await killStackService('nifi', testStackOptions)).toEqual(['nifi']);
    const killedAt = performance.now();
    // NiFi comes back while the apply rides out the outage or gives up on it.
    await startStack({ ...testStackOptions, services: ['nifi'] });
    const exitCode = await exited;
    console.log(`[restart] NiFi killed ${killPoints.find((point) => point.groupsSeen === groupsSeen)!.when}: back after ${((performance.now() - killedAt) / 1000).toFixed(1)} s; the apply exited ${exitCode}`);
    // It failed with a typed error that says what happened (NiFi unreachable, a request cut off, or — after
    // riding out the restart — a group NiFi lost because it died before writing it), or it completed.
    expect([0, 1]).toContain(exitCode);
    const answer = JSON.parse(stdout.trim().split('\n').at(-1)!) as { error?: { code: string; message: string } };
    if (exitCode === 1) expect(answer.error?.code).toMatch(/^(NETWORK|TIMEOUT|UNAVAILABLE|NOT_FOUND|NIFI_\w+|FLOWS_\w+)$/);
    console.log(`[restart] the apply's answer: ${answer.error ? `${answer.error.code}: ${answer.error.message}` : 'applied'}`);
    expect(`${stdout}${stderr}`).not.toMatch(/Unexpected failure/);

    const again = await runCli(['apply', file, '--parent', parentGroupId, '--json'], { cwd: workdir, env });
    if (again.exitCode !== 0) console.log(`[restart] the next apply failed:\n${again.stdout}\n${again.stderr}`);
    expect(again.stderr).not.toMatch(/Unexpected failure/);
    expect(again.exitCode).toBe(0);

    const groups = (await nifi.processGroups.flow(parentGroupId)).contents.processGroups;
    expect(groups.map((group) => group.component?.name).sort()).toEqual([...names].sort());
    for (const group of groups) {
      const context = await nifi.parameterContexts.get(group.component!.parameterContext!.id!);
      // A set sensitive value reads back masked; an unset one has no value at all.
      expect(context.component.parameters?.find((entry) => entry.parameter?.name === 'token')?.parameter?.value).toBe('********');
      const tree = await nifi.processGroups.tree(group.id!);
      expect(Object.fromEntries(tree.contents.processors.map((processor) => [processor.component?.name, processor.component?.state]))).toEqual({ generate: 'STOPPED', tag: 'RUNNING' });
    }
    const plan = await runCli(['plan', file, '--parent', parentGroupId, '--detailed-exitcode'], { cwd: workdir, env });
    expect(plan.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 3 unchanged.');
    expect(plan.exitCode).toBe(0);
  });
});
