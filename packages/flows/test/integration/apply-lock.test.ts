// The apply lock against the real NiFi: concurrent `flows apply` processes of the same new flows create
// each flow once (the others wait, or fail with FLOWS_LOCKED naming the holder); a lock left by a
// SIGKILLed apply is taken over after its TTL; `flows unlock --force` removes a lease (its holder then
// finds it lost); locks on different parent groups don't block each other; SIGINT stops an apply part-way
// (FLOWS_INTERRUPTED) and releases the lock;
// duplicate groups made by hand are reported with what each holds and resolved by the hinted command.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pollUntil } from '@dataplat/core';
import { listManagedFlows, type Plan } from '@dataplat/flows';
import { startFaultProxy } from '@dataplat/stack';
import { acquireFlowsLock, listFlowsLocks, lockName } from '../../src/deploy/lock.ts';
import { runCli } from '../run-cli.ts';
import { nifiWorkspace } from '../nifi-workspace.ts';

const workspace = nifiWorkspace('lock');
const { apiUrl, nifi, scratch } = workspace;
const { suffix, parent } = scratch;
const cliMain = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
// Short leases keep the takeover tests quick (the default TTL is 60 s).
const lockEnv = { NIFI_URL: apiUrl, FLOWS_LOCK_TTL: '3s' };

const flowYaml = (name: string) =>
  [
    `name: ${name}`,
    'parameters:',
    '  batch: { value: "2" }',
    'processors:',
    '  generate: { type: GenerateFlowFile, properties: { Batch Size: "#{batch}" }, schedule: { period: 1 hour }, state: stopped }',
    '  tag: { type: UpdateAttribute, autoTerminate: [success] }',
    'connections:',
    '  - { from: generate, to: tag, relationships: [success] }',
    '',
  ].join('\n');

/** A folder with flow files named `names`, for the CLI to apply. */
async function flowFolder(label: string, names: string[]): Promise<string> {
  const folder = await mkdtemp(join(workspace.workdir, `${label}-`));
  for (const name of names) await writeFile(join(folder, `${name}.yaml`), flowYaml(name));
  return folder;
}

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The real CLI as a child process (what two CI pipelines run), with what it printed. */
function spawnCli(args: string[], cwd: string, env: Record<string, string> = lockEnv) {
  const child = spawn(process.execPath, ['--conditions=@dataplat/source', cliMain, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const printed = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (printed.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (printed.stderr += chunk.toString()));
  const finished = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, ...printed })));
  return { child, finished, printed };
}

/** Waits until a lease on `parentGroupId` held by process `pid` exists (the child is inside its locked section). */
async function lockHeldBy(parentGroupId: string, pid: number) {
  return pollUntil(
    async () => {
      const lock = (await listFlowsLocks(nifi)).find((entry) => entry.parentGroupId === parentGroupId && entry.holder.pid === pid);
      return lock ? { done: true, value: lock } : { done: false };
    },
    { timeoutMs: 60_000, initialIntervalMs: 20, maxIntervalMs: 50, description: `the apply lock of process ${pid}` },
  );
}

const locksOn = async (parentGroupId: string) => (await listFlowsLocks(nifi)).filter((lock) => lock.parentGroupId === parentGroupId);

describe('the apply lock', () => {
  it('lets 5 concurrent applies of the same new flows create each flow once; the others wait or fail with FLOWS_LOCKED naming the holder', async () => {
    const parentGroupId = await parent('race');
    const names = [`race-a-${suffix}`, `race-b-${suffix}`];
    const folder = await flowFolder('race', names);
    // The test holds the lock while the five start, so they really overlap however slowly each process starts on a
    // loaded machine (started free, the first could finish before the others plan, leaving them nothing to wait for).
    const gate = await acquireFlowsLock(nifi, parentGroupId, 'test gate', { ttlMs: 3000 });
    const runs = Array.from({ length: 5 }, () => spawnCli(['apply', '.', '--parent', parentGroupId, '--lock-timeout', '45s', '--json'], folder));
    await pollUntil(
      async () => {
        const waiting = runs.filter((run) => run.printed.stderr.includes('{"event":"lock-waiting"')).length;
        return waiting === runs.length ? { done: true, value: undefined } : { done: false, progress: `${waiting} of ${runs.length} waiting` };
      },
      { timeoutMs: 30_000, initialIntervalMs: 100, maxIntervalMs: 250, description: 'the five applies to wait for the lock' },
    );
    await gate.release();
    const results = await Promise.all(runs.map((run) => run.finished));

    for (const result of results) {
      if (result.code === 0) {
        expect((JSON.parse(result.stdout) as { plan: Plan }).plan.blocked).toBeUndefined();
        continue;
      }
      expect(result.code).toBe(1);
      const failure = JSON.parse(result.stdout) as { error: { code: string; message: string; details: { lock: { holder: { pid: number } } } } };
      expect(failure.error.code).toBe('FLOWS_LOCKED');
      expect(runs.map((run) => run.child.pid)).toContain(failure.error.details.lock.holder.pid);
      expect(failure.error.message).toContain(`pid ${failure.error.details.lock.holder.pid}`);
    }
    expect(results.filter((result) => result.code === 0).length).toBeGreaterThan(0);
    // The waiters said who they waited for, as JSON lines on stderr (stdout holds only the result).
    const waitEvents = results.flatMap((result) => result.stderr.split('\n').filter((line) => line.startsWith('{"event":"lock-waiting"')));
    expect(waitEvents.length).toBeGreaterThan(0);
    expect(JSON.parse(waitEvents[0]!)).toMatchObject({ event: 'lock-waiting', lock: { parentGroupId, holder: { operation: 'test gate', pid: process.pid } } });

    const groups = (await nifi.processGroups.flow(parentGroupId)).contents.processGroups;
    expect(groups.map((group) => group.component?.name).sort()).toEqual([...names].sort());
    const settled = await runCli(['plan', '.', '--parent', parentGroupId, '--detailed-exitcode'], { cwd: folder, env: lockEnv });
    expect(settled.exitCode).toBe(0);
    expect(await locksOn(parentGroupId)).toEqual([]);
  });

  it('takes over the lock of a SIGKILLed apply once its TTL has passed, and converges', async () => {
    const parentGroupId = await parent('killed');
    const name = `killed-${suffix}`;
    const folder = await flowFolder('killed', [name]);
    const killed = spawnCli(['apply', '.', '--parent', parentGroupId], folder);
    const abandoned = await lockHeldBy(parentGroupId, killed.child.pid!);
    killed.child.kill('SIGKILL');
    expect((await killed.finished).signal).toBe('SIGKILL');
    expect((await locksOn(parentGroupId)).map((lock) => lock.lockId)).toEqual([abandoned.lockId]);

    const startedAt = performance.now();
    const next = await runCli(['apply', '.', '--parent', parentGroupId, '--json'], { cwd: folder, env: lockEnv });
    expect(next.exitCode).toBe(0);
    // Not before the abandoned lease went unrenewed for its TTL (3 s), as this process measured it.
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(2500);
    const takeover = next.stderr.split('\n').find((line) => line.startsWith('{"event":"lock-taken-over"'));
    expect(JSON.parse(takeover!)).toMatchObject({ previous: { lockId: abandoned.lockId } });
    expect((await listManagedFlows(nifi, parentGroupId)).map((managed) => managed.flow)).toEqual([name]);
    expect((await runCli(['plan', '.', '--parent', parentGroupId, '--detailed-exitcode'], { cwd: folder, env: lockEnv })).exitCode).toBe(0);
    expect(await locksOn(parentGroupId)).toEqual([]);
  });

  it('fails at once with FLOWS_LOCKED while a live holder renews; other parent groups are not blocked; unlock --force removes the lease and its holder finds it lost', async () => {
    const [lockedParent, freeParent] = [await parent('held'), await parent('free')];
    const name = `held-${suffix}`;
    const folder = await flowFolder('held', [name]);
    const held = await acquireFlowsLock(nifi, lockedParent, 'test holder', { ttlMs: 3000 });
    try {
      // Renewed every second: after 4 s (longer than its TTL) the lease is still there, still ours.
      await new Promise((resolve) => setTimeout(resolve, 4000));
      expect((await locksOn(lockedParent)).map((lock) => lock.lockId)).toEqual([held.info.lockId]);
      held.assertHeld();

      const refused = await runCli(['apply', '.', '--parent', lockedParent, '--lock-timeout', '0'], { cwd: folder, env: lockEnv });
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain(`error: Process group ${lockedParent} is locked by `);
      // The holder as it describes itself (", CI" and the run's id follow when the environment names a CI run).
      expect(refused.stderr).toContain(`(pid ${process.pid}, test holder`);
      expect(refused.stderr).toContain(`flows unlock --force ${held.info.lockId}`);
      expect(await listManagedFlows(nifi, lockedParent)).toEqual([]);
      // plan --out (a plan meant to be applied) and destroy wait for the same lock; plain plan reads on.
      for (const command of [['plan', '.', '--out', join(folder, 'plan.json')], ['destroy', name]]) {
        const blocked = await runCli([...command, '--parent', lockedParent, '--lock-timeout', '0', '--json'], { cwd: folder, env: lockEnv });
        expect(blocked.exitCode).toBe(1);
        expect(JSON.parse(blocked.stdout)).toMatchObject({ error: { code: 'FLOWS_LOCKED', details: { lock: { lockId: held.info.lockId } } } });
      }
      expect((await runCli(['plan', '.', '--parent', lockedParent], { cwd: folder, env: lockEnv })).exitCode).toBe(0);

      // Another parent group has its own lock.
      const elsewhere = await runCli(['apply', '.', '--parent', freeParent, '--lock-timeout', '0'], { cwd: folder, env: lockEnv });
      expect(elsewhere.exitCode).toBe(0);

      expect((await runCli(['unlock', held.info.lockId], { cwd: folder, env: lockEnv })).exitCode).toBe(2);
      const unlocked = await runCli(['unlock', '--force', held.info.lockId, '--json'], { cwd: folder, env: lockEnv });
      expect(unlocked.exitCode).toBe(0);
      expect(JSON.parse(unlocked.stdout)).toMatchObject({ unlocked: { lockId: held.info.lockId, parentGroupId: lockedParent, holder: { pid: process.pid } } });
      const again = await runCli(['unlock', '--force', held.info.lockId, '--json'], { cwd: folder, env: lockEnv });
      expect(again.exitCode).toBe(1);
      expect(JSON.parse(again.stdout)).toMatchObject({ error: { code: 'FLOWS_LOCK_NOT_FOUND' } });

      // The old holder's next renewal finds the lease gone: it stops before its next change.
      await pollUntil(
        async () => {
          try {
            held.assertHeld();
            return { done: false };
          } catch (error) {
            return { done: true, value: error };
          }
        },
        { timeoutMs: 10_000, initialIntervalMs: 100, maxIntervalMs: 200, description: 'the holder noticing its lost lease' },
      ).then((error) => expect(error).toMatchObject({ code: 'FLOWS_LOCK_LOST' }));
      expect((await runCli(['apply', '.', '--parent', lockedParent, '--lock-timeout', '0'], { cwd: folder, env: lockEnv })).exitCode).toBe(0);
    } finally {
      await held.release();
    }
    expect(await locksOn(lockedParent)).toEqual([]);
  });

  it('stops an apply interrupted with SIGINT before its next step, with FLOWS_INTERRUPTED, and releases the lock', async () => {
    const parentGroupId = await parent('sigint');
    const names = [`sigint-a-${suffix}`, `sigint-b-${suffix}`, `sigint-c-${suffix}`];
    const folder = await flowFolder('sigint', names);
    // Every NiFi request of the interrupted apply takes 250 ms longer (about 20 s for these flows), so
    // the signal lands while it is applying, never after it ended.
    const slowNifi = await startFaultProxy({ target: new URL(apiUrl).origin, latencyMs: 250, rules: [{ kind: 'latency' }] });
    try {
      // A long TTL: only the release on SIGINT can free the lock within this test.
      const interrupted = spawnCli(['apply', '.', '--parent', parentGroupId, '--json'], folder, { NIFI_URL: `${slowNifi.url}${new URL(apiUrl).pathname}`, FLOWS_LOCK_TTL: '10m' });
      await lockHeldBy(parentGroupId, interrupted.child.pid!);
      interrupted.child.kill('SIGINT');
      const finished = await interrupted.finished;
      expect(finished.code).toBe(130);
      // The apply itself said it was interrupted (an apply that had finished would print its result).
      expect(JSON.parse(finished.stdout)).toMatchObject({ error: { code: 'FLOWS_INTERRUPTED' } });
      expect(finished.stderr).toContain('{"event":"lock-released"');
    } finally {
      await slowNifi.close();
    }
    // Stopped part-way: not every flow was created.
    expect((await listManagedFlows(nifi, parentGroupId)).length).toBeLessThan(names.length);
    expect(await locksOn(parentGroupId)).toEqual([]);
    // What was applied so far converges.
    expect((await runCli(['apply', '.', '--parent', parentGroupId, '--lock-timeout', '0'], { cwd: folder, env: lockEnv })).exitCode).toBe(0);
    expect((await listManagedFlows(nifi, parentGroupId)).map((managed) => managed.flow).sort()).toEqual([...names].sort());
    expect((await runCli(['plan', '.', '--parent', parentGroupId, '--detailed-exitcode'], { cwd: folder, env: lockEnv })).exitCode).toBe(0);
  });

  it('reports hand-made duplicates with each group\'s marker and contents, and the command that resolves them', async () => {
    const parentGroupId = await parent('dup');
    const name = `dup-${suffix}`;
    const folder = await flowFolder('dup', [name]);
    expect((await runCli(['apply', '.', '--parent', parentGroupId], { cwd: folder, env: lockEnv })).exitCode).toBe(0);
    const [original] = await listManagedFlows(nifi, parentGroupId);
    // A hand-made copy that carries the marker (as racing applies left them before the lock): empty.
    const copy = await nifi.processGroups.create(parentGroupId, { name, comments: original!.group.component?.comments ?? '' });

    const planned = await runCli(['plan', '.', '--parent', parentGroupId, '--json'], { cwd: folder, env: lockEnv });
    expect(planned.exitCode).toBe(1);
    const [blocked] = (JSON.parse(planned.stdout) as Plan).blocked ?? [];
    expect(blocked?.groups).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ groupId: original!.groupId, managed: true, processors: 2, connections: 1, queuedFlowFiles: 0 }),
        expect.objectContaining({ groupId: copy.id, managed: true, processors: 0, connections: 0, queuedFlowFiles: 0 }),
      ]),
    );
    expect(blocked!.message).toContain(`  - ${copy.id} "${name}": managed (flow ${name}, no project, definition `);
    expect(blocked!.message).toContain('2 processor(s), 1 connection(s)');
    const command = /flows destroy (\S+) --parent (\S+)/.exec(blocked!.hint)!;
    expect([original!.groupId, copy.id]).toContain(command[1]);
    expect((await runCli(['destroy', command[1]!, '--parent', command[2]!], { cwd: folder, env: lockEnv })).exitCode).toBe(0);
    expect((await runCli(['apply', '.', '--parent', parentGroupId], { cwd: folder, env: lockEnv })).exitCode).toBe(0);
    expect((await runCli(['plan', '.', '--parent', parentGroupId, '--detailed-exitcode'], { cwd: folder, env: lockEnv })).exitCode).toBe(0);
    expect(await nifi.parameterContexts.findByName(lockName(parentGroupId))).toBeUndefined();
  });
});
