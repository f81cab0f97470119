// Property names as NiFi 2.3.0 knows them: a flow written with an older key (`record-writer`, which NiFi
// renames to `Record Writer` when it imports the flow) plans clean after apply, and both the plan and
// `validate --live` name the key NiFi uses at its line and column; a case slip gets the right hint.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createNifiClient } from '@dataplat/nifi';
import { runCli } from '../run-cli.ts';

const apiUrl = inject('stackEndpoints').nifi!.apiUrl;
const nifi = createNifiClient({ baseUrl: apiUrl });
const suffix = Date.now().toString(36);
const flowName = `renamed-keys-${suffix}`;
let workdir = '';
let parentGroupId = '';

beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), 'dataplat-flows-property-names-'));
  parentGroupId = (await nifi.processGroups.create('root', { name: `flows-property-names-${suffix}` })).id;
});

afterAll(async () => {
  if (parentGroupId) await nifi.processGroups.delete(parentGroupId).catch(() => undefined);
  for (const context of await nifi.parameterContexts.list()) {
    if (context.component.name === flowName) await nifi.parameterContexts.delete(context.id).catch(() => undefined);
  }
  await nifi.close();
  if (workdir) await rm(workdir, { recursive: true, force: true });
});

const renamedFlow = (writer: string) => `name: ${flowName}
services:
  reader: { type: JsonTreeReader }
  compact: { type: JsonRecordSetWriter, properties: { Pretty Print JSON: "false" } }
  pretty: { type: JsonRecordSetWriter, properties: { Pretty Print JSON: "true" } }
processors:
  update:
    type: UpdateRecord
    state: stopped
    properties:
      Record Reader: service:reader
      record-writer: service:${writer}
      /checked: "true"
    autoTerminate: [success, failure]
`;

const caseSlipFlow = `name: case-slip-${suffix}
processors:
  generate: { type: GenerateFlowFile }
  store:
    type: PutFile
    properties:
      directory: /tmp/out
    autoTerminate: [success, failure]
connections:
  - { from: generate, to: store, relationships: [success] }
`;

async function flows(args: string[]) {
  return runCli([...args, '--parent', parentGroupId], { cwd: workdir, env: { NIFI_URL: apiUrl } });
}

describe('property names as NiFi knows them', () => {
  it('validate --live names the key NiFi renames an older key to, and the right case of a name', async () => {
    await writeFile(join(workdir, 'renamed.yaml'), renamedFlow('compact'));
    await writeFile(join(workdir, 'case-slip.yaml'), caseSlipFlow);
    const validated = await runCli(['validate', '--live', '--json', 'renamed.yaml', 'case-slip.yaml'], { cwd: workdir, env: { NIFI_URL: apiUrl } });
    const report = JSON.parse(validated.stdout) as { diagnostics: Array<{ file: string; code: string; message: string; hint?: string; range?: { start: { line: number; column: number } } }> };
    const found = report.diagnostics.map((diagnostic) => `${diagnostic.file}:${diagnostic.range?.start.line}:${diagnostic.range?.start.column} ${diagnostic.code}`);
    expect(found).toEqual(['case-slip.yaml:7:7 live/unknown-property', 'renamed.yaml:12:7 live/renamed-property']);
    const renamed = report.diagnostics.find((diagnostic) => diagnostic.code === 'live/renamed-property')!;
    expect(renamed.message).toBe(`NiFi renames property "record-writer" of UpdateRecord "update" to "Record Writer" when it imports the flow (an older name of that property).`);
    expect(renamed.hint).toMatch(/^Write "Record Writer"/);
    // `directory` for PutFile's `Directory` is a case slip, not a display name.
    expect(report.diagnostics.find((diagnostic) => diagnostic.code === 'live/unknown-property')!.hint).toBe('Property names are case-sensitive: write "Directory".');
    expect(validated.exitCode).toBe(1);
  });

  it('plans clean after apply, says which name NiFi keeps, and follows a changed value under that name', async () => {
    await writeFile(join(workdir, 'renamed.yaml'), renamedFlow('compact'));
    expect((await flows(['apply', 'renamed.yaml'])).exitCode).toBe(0);

    const settled = await flows(['plan', 'renamed.yaml', '--detailed-exitcode']);
    expect(settled.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 1 unchanged.');
    expect(settled.stderr).toContain('renamed.yaml:12:7: warning [nifi/renamed-property] NiFi stores property "record-writer"');
    expect(settled.stderr).toContain('hint: Write "Record Writer" in the code.');
    expect(settled.exitCode).toBe(0);

    // Point the old key at the other writer: the plan shows the change under NiFi's name, apply makes it, the plan settles again.
    await writeFile(join(workdir, 'renamed.yaml'), renamedFlow('pretty'));
    const changed = await flows(['plan', 'renamed.yaml', '--detailed-exitcode', '--json']);
    expect(changed.exitCode).toBe(2);
    const changes = (JSON.parse(changed.stdout) as { flows: Array<{ components: Array<{ address: string; changes: Array<{ field: string }> }> }> }).flows[0]!.components;
    expect(changes.filter((component) => component.address.endsWith('/update')).flatMap((component) => component.changes.map((change) => change.field))).toEqual(['properties.record-writer']);
    expect((await flows(['apply', 'renamed.yaml'])).exitCode).toBe(0);
    const group = (await nifi.processGroups.flow(parentGroupId)).contents.processGroups.find((candidate) => candidate.component?.name === flowName)!;
    const processor = (await nifi.processGroups.flow(group.id!)).contents.processors.find((candidate) => candidate.component?.name === 'update')!;
    const writers = await nifi.processGroups.controllerServices(group.id!);
    expect(processor.component?.config?.properties?.['Record Writer']).toBe(writers.find((service) => service.component.name === 'pretty')!.id);
    expect(processor.component?.config?.properties).not.toHaveProperty('record-writer');
    expect((await flows(['plan', 'renamed.yaml', '--detailed-exitcode'])).exitCode).toBe(0);
    expect((await flows(['destroy', flowName])).exitCode).toBe(0);
  });
});
