// The flows CLI as a CI job uses it, against the real NiFi: plan (exit 2 = changes), apply, plan again
// (exit 0), status, run once, destroy.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createNifiClient } from '@dataplat/nifi';
import { runCli } from '../run-cli.ts';

const apiUrl = inject('stackEndpoints').nifi!.apiUrl;
const nifi = createNifiClient({ baseUrl: apiUrl });
const suffix = Date.now().toString(36);
let workdir = '';
let parentGroupId = '';

afterAll(async () => {
  if (parentGroupId) await nifi.processGroups.delete(parentGroupId).catch(() => undefined);
  await nifi.close();
  if (workdir) await rm(workdir, { recursive: true, force: true });
});

async function flows(args: string[], cwd = workdir) {
  return runCli([...args, '--parent', parentGroupId], { cwd, env: { NIFI_URL: apiUrl } });
}

describe('the flows CLI against the real NiFi', () => {
  it('plans, applies, re-plans with no changes, reports status, runs once and destroys', async () => {
    workdir = await mkdtemp(join(tmpdir(), 'dataplat-flows-'));
    parentGroupId = (await nifi.processGroups.create('root', { name: `flows-cli-${suffix}` })).id;
    const name = `clicks-${suffix}`;
    await writeFile(
      join(workdir, 'clicks.yaml'),
      [
        `name: ${name}`,
        'processors:',
        '  generate: { type: GenerateFlowFile, properties: { Batch Size: "3" }, schedule: { period: 1 hour }, state: stopped }',
        '  tag: { type: UpdateAttribute, properties: { kind: click }, autoTerminate: [success] }',
        'connections:',
        '  - { from: generate, to: tag, relationships: [success] }',
        '',
      ].join('\n'),
    );

    const firstPlan = await flows(['plan', 'clicks.yaml', '--detailed-exitcode', '--out', 'plan.json']);
    expect(firstPlan.exitCode).toBe(2);
    expect(firstPlan.stdout).toContain(`+ flow ${name} (create)`);
    expect(firstPlan.stdout).toContain('Plan: 1 to create, 0 to update, 0 to delete, 0 unchanged.');
    expect(JSON.parse(await readFile(join(workdir, 'plan.json'), 'utf8'))).toMatchObject({ formatVersion: '1', flows: [{ flow: name, action: 'create' }] });

    const applied = await flows(['apply', 'clicks.yaml', '--plan', 'plan.json']);
    expect(applied.exitCode).toBe(0);
    expect(applied.stdout).toContain('Apply complete: 1 flow(s) changed.');

    const again = await flows(['plan', 'clicks.yaml', '--detailed-exitcode', '--json']);
    expect(again.exitCode).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ flows: [{ flow: name, action: 'no-op' }] });

    const status = await flows(['status', '--json']);
    const rows = JSON.parse(status.stdout) as unknown[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ flow: name, running: 1, stopped: 1, invalid: 0, queued: 0 });

    const run = await flows(['run', name, '--json']);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ flowFilesIn: 3, sources: ['generate'] });

    const destroyed = await flows(['destroy', name]);
    expect(destroyed.exitCode).toBe(0);
    expect(destroyed.stdout).toContain(`- flow ${name} deleted`);
    expect(JSON.parse((await flows(['status', '--json'])).stdout)).toEqual([]);
    expect((await flows(['destroy', name])).exitCode).toBe(1);
  });

  it('applies exactly the files a saved plan was made from, from any folder, and shows bulletin text in status', async () => {
    const name = (label: string) => `${label}-${suffix}`;
    await mkdir(join(workdir, 'flows'), { recursive: true });
    await mkdir(join(workdir, 'plans'), { recursive: true });
    const flowFile = (label: string, deliver: string) =>
      [
        `name: ${name(label)}`,
        'processors:',
        '  generate: { type: GenerateFlowFile, properties: { Batch Size: "2" }, schedule: { period: 1 hour }, state: stopped }',
        `  deliver: ${deliver}`,
        'connections:',
        '  - { from: generate, to: deliver, relationships: [success] }',
        '',
      ].join('\n');
    await writeFile(join(workdir, 'flows', 'reviewed.yaml'), flowFile('reviewed', '{ type: UpdateAttribute, autoTerminate: [success] }'));
    // Posts to a closed port: every run raises ERROR bulletins.
    const broken = '{ type: InvokeHTTP, properties: { HTTP Method: POST, HTTP URL: "http://127.0.0.1:9/closed" }, autoTerminate: [Original, Response, Retry, No Retry, Failure] }';
    await writeFile(join(workdir, 'flows', 'unreviewed.yaml'), flowFile('unreviewed', broken));

    const planned = await flows(['plan', 'flows/reviewed.yaml', '--out', 'plans/plan.json']);
    expect(planned.exitCode).toBe(0);
    expect(JSON.parse(await readFile(join(workdir, 'plans', 'plan.json'), 'utf8'))).toMatchObject({ files: ['../flows/reviewed.yaml'] });
    // Paths that name other files than the plan's are refused before anything is sent.
    const mismatch = await flows(['apply', 'flows', '--plan', 'plans/plan.json']);
    expect(mismatch.exitCode).toBe(2);
    expect(mismatch.stderr).toContain('the saved plan was made from ../flows/reviewed.yaml');
    // From another folder, without paths: exactly the reviewed file (the default ./flows there would be both).
    const applied = await flows(['apply', '--plan', 'plan.json', '--json'], join(workdir, 'plans'));
    expect(applied.exitCode).toBe(0);
    expect((JSON.parse(applied.stdout) as { applied: Array<{ flow: string }> }).applied.map((entry) => entry.flow)).toEqual([name('reviewed')]);

    expect((await flows(['apply', 'flows/unreviewed.yaml'])).exitCode).toBe(0);
    expect((await flows(['run', name('unreviewed')])).exitCode).toBe(1);
    const status = await flows(['status', name('unreviewed'), '--bulletins', '--json']);
    const [row] = JSON.parse(status.stdout) as Array<{ flow: string; bulletinMessages: Array<{ level: string; source: string; message: string }> }>;
    expect(row?.flow).toBe(name('unreviewed'));
    expect(row?.bulletinMessages.length).toBeGreaterThan(0);
    expect(row?.bulletinMessages[0]).toMatchObject({ level: 'ERROR', source: 'deliver', message: expect.stringContaining('127.0.0.1:9') });
    const text = await flows(['status', name('unreviewed'), '--bulletins']);
    expect(text.stdout).toMatch(new RegExp(`^${name('unreviewed')}: .*bulletin\\(s\\)\\n  .* ERROR deliver: `));
    expect((await flows(['status', `missing-${suffix}`])).exitCode).toBe(1);
  });
});
