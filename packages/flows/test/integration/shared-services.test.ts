// Shared controller services through the CLI against the real NiFi (issue 18): two flows use one JSON
// reader and one writer declared under `parent:`; apply creates them once in the parent group, enabled
// and marked, and both flows' ConvertRecord run against them; the next plan changes nothing; a changed
// shared property (and an edit made in NiFi) is an update of the service alone, applied by stopping and
// restarting the processors that use it; destroying a flow keeps the services; removed from the code they
// are kept without --prune, kept while something else references them, and deleted after the last flow.
// Also: the parent bound to a shared context, a hand-made namesake refused or adopted, a shared schema cache
// under a flow's own reader updated (the reader and its processor stopped and back), validate --live.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readServiceMarker } from '../../src/deploy/shared-services.ts';
import { nifiWorkspace } from '../nifi-workspace.ts';
import { runCli } from '../run-cli.ts';

// Its folder is made before any test: a test run alone (-t) must never resolve `join(workdir, 'flows')` against the repository.
const workspace = nifiWorkspace('shared-services');
const { apiUrl, nifi, scratch } = workspace;
const flowA = `orders-a-${scratch.suffix}`;
const flowB = `orders-b-${scratch.suffix}`;
let parentGroupId = '';

const sharedFile = (dateFormat: string) =>
  [
    'parent:',
    '  services:',
    '    json-in:',
    '      type: JsonTreeReader',
    `      properties: { Date Format: "${dateFormat}" }`,
    '    json-out: { type: JsonRecordSetWriter }',
    '',
  ].join('\n');

/** A flow whose ConvertRecord reads json-in and writes json-out: the shared ones, or `services` of its own (YAML lines). */
const flowFile = (name: string, services: string[] = []) =>
  [
    `name: ${name}`,
    ...services,
    'processors:',
    '  generate: { type: GenerateFlowFile, schedule: { period: 1 hour } }',
    '  convert:',
    '    type: ConvertRecord',
    '    properties: { Record Reader: "service:json-in", Record Writer: "service:json-out" }',
    '    autoTerminate: [success, failure]',
    'connections:',
    '  - { from: generate, to: convert, relationships: [success] }',
    '',
  ].join('\n');

async function flows(args: string[]) {
  return runCli([...args, '--parent', parentGroupId], { cwd: workspace.workdir, env: { NIFI_URL: apiUrl } });
}

/** The controller services defined in the parent group itself (not in the flows' groups). */
async function parentServices() {
  return (await nifi.processGroups.controllerServices(parentGroupId)).filter((service) => service.component.parentGroupId === parentGroupId);
}

/** Each flow's ConvertRecord: run state, validation and the reader/writer ids it uses. */
async function converters() {
  const groups = (await nifi.processGroups.flow(parentGroupId)).contents.processGroups;
  const found = new Map<string, { state: string | undefined; validation: string | undefined; reader: unknown; writer: unknown }>();
  for (const group of groups) {
    const processor = (await nifi.processGroups.flow(group.id!)).contents.processors.find((candidate) => candidate.component?.name === 'convert')!;
    const properties = processor.component?.config?.properties ?? {};
    found.set(group.component!.name!, { state: processor.component?.state, validation: processor.component?.validationStatus, reader: properties['Record Reader'], writer: properties['Record Writer'] });
  }
  return found;
}

describe('shared controller services against the real NiFi', () => {
  it('creates one service for two flows, plans no change, updates it alone, keeps it for the remaining flow and prunes it last', async () => {
    await mkdir(join(workspace.workdir, 'flows'));
    parentGroupId = await scratch.parent('cli');
    await writeFile(join(workspace.workdir, 'flows', 'shared.yaml'), sharedFile('yyyy-MM-dd'));
    await writeFile(join(workspace.workdir, 'flows', 'a.yaml'), flowFile(flowA));
    await writeFile(join(workspace.workdir, 'flows', 'b.yaml'), flowFile(flowB));

    expect(await runCli(['validate'], { cwd: workspace.workdir })).toMatchObject({ exitCode: 0, stderr: expect.stringContaining('0 error(s), 0 warning(s)') });

    const firstPlan = await flows(['plan', '--detailed-exitcode']);
    expect(firstPlan.exitCode).toBe(2);
    expect(firstPlan.stdout).toContain('+ shared service json-in (create)');
    expect(firstPlan.stdout).toContain('+ shared service json-out (create)');
    expect(firstPlan.stdout.indexOf('shared service json-in')).toBeLessThan(firstPlan.stdout.indexOf(`flow ${flowA}`));

    const applied = await flows(['apply']);
    expect(applied.stderr).toBe('');
    expect(applied.exitCode).toBe(0);
    const services = await parentServices();
    expect(services.map((service) => service.component.name).sort()).toEqual(['json-in', 'json-out']);
    for (const service of services) {
      expect(service.component.state).toBe('ENABLED');
      expect(readServiceMarker(service.component.comments)).toMatchObject({ formatVersion: 1, sharedService: service.component.name });
    }
    const reader = services.find((service) => service.component.name === 'json-in')!;
    const writer = services.find((service) => service.component.name === 'json-out')!;
    // Both flows' processors were bound by NiFi to the parent's services (by name, on upload), valid and running.
    const running = await converters();
    expect([...running.keys()].sort()).toEqual([flowA, flowB].sort());
    for (const converter of running.values()) expect(converter).toEqual({ state: 'RUNNING', validation: 'VALID', reader: reader.id, writer: writer.id });

    const unchanged = await flows(['plan', '--detailed-exitcode']);
    expect(unchanged.stdout).toContain('  shared service json-in (no changes)');
    expect(unchanged.exitCode).toBe(0);

    // A changed shared property: only the service is updated, and what uses it runs again afterwards.
    await writeFile(join(workspace.workdir, 'flows', 'shared.yaml'), sharedFile('dd/MM/yyyy'));
    const changedPlan = await flows(['plan', '--detailed-exitcode', '--json']);
    expect(changedPlan.exitCode).toBe(2);
    const changed = JSON.parse(changedPlan.stdout) as { sharedServices: Array<{ service: string; action: string; changes: unknown[] }>; flows: Array<{ action: string }> };
    expect(changed.sharedServices).toEqual([
      { service: 'json-in', action: 'update', serviceId: reader.id, changes: [{ field: 'properties.Date Format', before: 'yyyy-MM-dd', after: 'dd/MM/yyyy' }] },
      { service: 'json-out', action: 'no-op', serviceId: writer.id, changes: [] },
    ]);
    expect(changed.flows.map((flowPlan) => flowPlan.action)).toEqual(['no-op', 'no-op']);
    const updateApplied = await flows(['apply']);
    expect(updateApplied.exitCode).toBe(0);
    expect(updateApplied.stdout).toContain('Apply complete: 0 flow(s) and 1 shared service(s) changed.');
    const updated = await nifi.controllerServices.get(reader.id);
    expect(updated.component.properties?.['Date Format']).toBe('dd/MM/yyyy');
    expect(updated.component.state).toBe('ENABLED');
    for (const converter of (await converters()).values()) expect(converter).toMatchObject({ state: 'RUNNING', reader: reader.id });
    expect((await flows(['plan', '--detailed-exitcode'])).exitCode).toBe(0);

    // Drift: a property edited in NiFi (which needs the service disabled, so its users stopped) shows as an
    // update of the service; apply puts the code's value back, enables it and starts the processors again.
    for (const id of await converterIds()) await nifi.processors.setRunState(id, 'STOPPED');
    await nifi.controllerServices.disable(reader.id);
    await nifi.controllerServices.update(reader.id, { properties: { 'Date Format': 'MM-dd' } } as never);
    const drift = await flows(['plan', '--detailed-exitcode']);
    expect(drift.exitCode).toBe(2);
    expect(drift.stdout).toContain('~ shared service json-in (update)');
    expect(drift.stdout).toContain('~ properties.Date Format: "MM-dd" → "dd/MM/yyyy"');
    expect(drift.stdout).toContain('~ state: "DISABLED" → "ENABLED"');
    expect(drift.stdout).toContain('~ processors.convert.state: "STOPPED" → "RUNNING"');
    expect((await flows(['apply'])).exitCode).toBe(0);
    const restored = await nifi.controllerServices.get(reader.id);
    expect(restored.component).toMatchObject({ state: 'ENABLED', properties: expect.objectContaining({ 'Date Format': 'dd/MM/yyyy' }) });
    for (const converter of (await converters()).values()) expect(converter).toMatchObject({ state: 'RUNNING', reader: reader.id });
    expect((await flows(['plan', '--detailed-exitcode'])).exitCode).toBe(0);

    // Destroying one flow keeps the services the other flow still uses.
    expect((await flows(['destroy', flowB])).exitCode).toBe(0);
    expect((await parentServices()).length).toBe(2);

    // Out of the code with the last flow: kept without --prune, kept while something else references it, deleted after the flow.
    await rm(join(workspace.workdir, 'flows', 'b.yaml'));
    await writeFile(join(workspace.workdir, 'flows', 'shared.yaml'), 'parent:\n  services: {}\n');
    await rm(join(workspace.workdir, 'flows', 'a.yaml'));
    const kept = await flows(['plan']);
    expect(kept.exitCode).toBe(0);
    expect(kept.stdout).toContain('! shared service json-in kept: no longer in the code (use --prune to delete it)');
    const manual = await nifi.processors.create(parentGroupId, { name: `manual-${scratch.suffix}`, type: 'ConvertRecord', config: { properties: { 'Record Reader': reader.id } } } as never);
    const stillUsed = await flows(['plan', '--prune']);
    expect(stillUsed.stdout).toContain(`! shared service json-in kept: no longer in the code but still referenced; referenced by processor manual-${scratch.suffix}`);
    expect(stillUsed.stdout).toContain('- shared service json-out (delete)');
    expect(stillUsed.stdout).toContain(`- flow ${flowA} (delete)`);
    await nifi.processors.delete(manual.id);
    const pruned = await flows(['apply', '--prune']);
    expect(pruned.stderr).toBe('');
    expect(pruned.exitCode).toBe(0);
    expect(await parentServices()).toEqual([]);
    expect((await nifi.processGroups.flow(parentGroupId)).contents.processGroups).toEqual([]);
  });

  it('binds the parent group to parent.parameterContext, so a shared service\'s #{parameter} resolves', async () => {
    const context = `formats-${scratch.suffix}`;
    const flowC = `orders-c-${scratch.suffix}`;
    await rm(join(workspace.workdir, 'flows'), { recursive: true, force: true });
    await mkdir(join(workspace.workdir, 'flows'));
    parentGroupId = await scratch.parent('bound');
    await writeFile(
      join(workspace.workdir, 'flows', 'shared.yaml'),
      [
        'parameterContexts:',
        `  ${context}:`,
        '    parameters:',
        '      date_format: { value: "yyyy-MM-dd" }',
        'parent:',
        `  parameterContext: ${context}`,
        '  services:',
        '    json-in: { type: JsonTreeReader, properties: { Date Format: "#{date_format}" } }',
        '    json-out: { type: JsonRecordSetWriter }',
        '',
      ].join('\n'),
    );
    await writeFile(join(workspace.workdir, 'flows', 'c.yaml'), flowFile(flowC));
    expect(await runCli(['validate'], { cwd: workspace.workdir })).toMatchObject({ exitCode: 0 });

    const plan = await flows(['plan']);
    expect(plan.stdout).toContain(`~ parent group parameter context: null → "${context}"`);
    const applied = await flows(['apply']);
    expect(applied.stderr).toBe('');
    expect(applied.exitCode).toBe(0);
    expect((await nifi.processGroups.get(parentGroupId)).component?.parameterContext?.component?.name).toBe(context);
    const reader = (await parentServices()).find((service) => service.component.name === 'json-in')!;
    expect(reader.component).toMatchObject({ state: 'ENABLED', properties: expect.objectContaining({ 'Date Format': '#{date_format}' }) });
    expect((await converters()).get(flowC)).toEqual({ state: 'RUNNING', validation: 'VALID', reader: reader.id, writer: expect.any(String) });
    const again = await flows(['plan', '--detailed-exitcode']);
    expect(again.stdout).not.toContain('parent group parameter context');
    expect(again.exitCode).toBe(0);
  });

  it('refuses a same-named service it does not own, and takes it over with --adopt', async () => {
    const flowD = `orders-d-${scratch.suffix}`;
    await rm(join(workspace.workdir, 'flows'), { recursive: true, force: true });
    await mkdir(join(workspace.workdir, 'flows'));
    parentGroupId = await scratch.parent('adopt');
    const handMade = await nifi.controllerServices.create(parentGroupId, { name: 'json-in', type: 'JsonTreeReader' } as never);
    await writeFile(join(workspace.workdir, 'flows', 'shared.yaml'), sharedFile('yyyy-MM-dd'));
    await writeFile(join(workspace.workdir, 'flows', 'd.yaml'), flowFile(flowD));

    const refused = await flows(['plan']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(`A controller service named "json-in" (${handMade.id}) exists in the parent group ${parentGroupId} but is not managed by flows.`);
    expect(refused.stderr).toContain('--adopt');
    expect((await flows(['apply'])).exitCode).toBe(1);
    expect((await nifi.processGroups.flow(parentGroupId)).contents.processGroups).toEqual([]);

    const adopting = await flows(['plan', '--adopt']);
    expect(adopting.stdout).toContain('~ shared service json-in (update)');
    expect(adopting.stdout).toContain('~ properties.Date Format: null → "yyyy-MM-dd"');
    expect((await flows(['apply', '--adopt'])).exitCode).toBe(0);
    const adopted = await nifi.controllerServices.get(handMade.id);
    expect(adopted.component.state).toBe('ENABLED');
    expect(readServiceMarker(adopted.component.comments)).toMatchObject({ sharedService: 'json-in' });
    expect((await converters()).get(flowD)).toMatchObject({ state: 'RUNNING', validation: 'VALID', reader: handMade.id });
    expect((await flows(['plan', '--detailed-exitcode'])).exitCode).toBe(0);
  });

  it('updates a shared schema cache that a flow\'s own reader uses: the reader is disabled and its processor stopped meanwhile, both back afterwards', async () => {
    const flowF = `orders-f-${scratch.suffix}`;
    const writeShared = (size: string) =>
      writeFile(join(workspace.workdir, 'flows', 'shared.yaml'), ['parent:', '  services:', '    schemas:', '      type: VolatileSchemaCache', `      properties: { max-cache-size: "${size}" }`, ''].join('\n'));
    await rm(join(workspace.workdir, 'flows'), { recursive: true, force: true });
    await mkdir(join(workspace.workdir, 'flows'));
    parentGroupId = await scratch.parent('cache');
    await writeShared('100');
    await writeFile(
      join(workspace.workdir, 'flows', 'f.yaml'),
      flowFile(flowF, ['services:', '  json-in: { type: JsonTreeReader, properties: { schema-inference-cache: "service:schemas" } }', '  json-out: { type: JsonRecordSetWriter }']),
    );
    const applied = await flows(['apply']);
    expect(applied.stderr).toBe('');
    expect(applied.exitCode).toBe(0);
    const cache = (await parentServices()).find((service) => service.component.name === 'schemas')!;
    const groupId = (await nifi.processGroups.flow(parentGroupId)).contents.processGroups[0]!.id!;
    const flowReader = (await nifi.processGroups.controllerServices(groupId)).find((service) => service.component.name === 'json-in')!;
    expect(flowReader.component).toMatchObject({ state: 'ENABLED', properties: expect.objectContaining({ 'schema-inference-cache': cache.id }) });
    expect((await converters()).get(flowF)).toMatchObject({ state: 'RUNNING', validation: 'VALID' });
    expect((await flows(['plan', '--detailed-exitcode'])).exitCode).toBe(0);

    await writeShared('200');
    const changed = await flows(['plan', '--json']);
    const plan = JSON.parse(changed.stdout) as { sharedServices: Array<{ action: string }>; flows: Array<{ action: string }> };
    expect(plan.sharedServices.map((servicePlan) => servicePlan.action)).toEqual(['update']);
    expect(plan.flows.map((flowPlan) => flowPlan.action)).toEqual(['no-op']);
    const updated = await flows(['apply']);
    expect(updated.stderr).toBe('');
    expect(updated.exitCode).toBe(0);
    expect((await nifi.controllerServices.get(cache.id)).component).toMatchObject({ state: 'ENABLED', properties: expect.objectContaining({ 'max-cache-size': '200' }) });
    expect((await nifi.controllerServices.get(flowReader.id)).component.state).toBe('ENABLED');
    expect((await converters()).get(flowF)).toMatchObject({ state: 'RUNNING', validation: 'VALID' });
    expect((await flows(['plan', '--detailed-exitcode'])).exitCode).toBe(0);
  });

  it('never prints a sensitive literal, and with FLOWS_SECRETS_KEY tells a changed one (masked) from an unchanged one', async () => {
    const key = 'shared-services-test-key-0123456789abcdef';
    const writeProvider = (secret: string) =>
      writeFile(
        join(workspace.workdir, 'flows', 'shared.yaml'),
        [
          'parent:',
          '  services:',
          '    token:',
          '      type: StandardOauth2AccessTokenProvider',
          `      properties: { authorization-server-url: "http://127.0.0.1:9/token", grant-type: client_credentials, client-id: flows, client-secret: "${secret}" }`,
          '',
        ].join('\n'),
      );
    const withKey = (args: string[]) => runCli([...args, '--parent', parentGroupId], { cwd: workspace.workdir, env: { NIFI_URL: apiUrl, FLOWS_SECRETS_KEY: key } });
    await rm(join(workspace.workdir, 'flows'), { recursive: true, force: true });
    await mkdir(join(workspace.workdir, 'flows'));
    parentGroupId = await scratch.parent('secrets');
    await writeProvider('first-secret-value');
    const created = await withKey(['apply']);
    expect(created.stderr).toBe('');
    expect(created.exitCode).toBe(0);
    expect(created.stdout).not.toContain('first-secret-value');
    const [service] = await parentServices();
    expect(service!.component.state).toBe('ENABLED');
    expect(service!.component.properties?.['client-secret']).toBe('********');
    expect(readServiceMarker(service!.component.comments)?.sensitiveHash).toMatch(/^hmac-sha256:/);
    expect(service!.component.comments).not.toContain('first-secret-value');
    expect((await withKey(['plan', '--detailed-exitcode'])).exitCode).toBe(0);

    await writeProvider('second-secret-value');
    // Without the key the change can't be seen: NiFi keeps what it has, and the plan says so.
    const blind = await flows(['plan', '--detailed-exitcode']);
    expect(blind.exitCode).toBe(0);
    expect(blind.stdout).toContain("! sensitive values can't be compared without FLOWS_SECRETS_KEY (shared service token)");
    const changed = await withKey(['plan', '--detailed-exitcode', '--json']);
    expect(changed.exitCode).toBe(2);
    expect(changed.stdout).not.toContain('second-secret-value');
    const plan = JSON.parse(changed.stdout) as { sharedServices: Array<{ action: string; changes: Array<{ field: string }> }> };
    expect(plan.sharedServices[0]!.action).toBe('update');
    expect(plan.sharedServices[0]!.changes).toContainEqual({ field: 'properties.client-secret', before: '(sensitive)', after: '(sensitive)' });
    const applied = await withKey(['apply']);
    expect(applied.exitCode).toBe(0);
    expect(applied.stdout + applied.stderr).not.toContain('second-secret-value');
    expect((await nifi.controllerServices.get(service!.id)).component.state).toBe('ENABLED');
    expect((await withKey(['plan', '--detailed-exitcode'])).exitCode).toBe(0);
  });

  it('validate --live checks the shared services against NiFi\'s types and descriptors, at their place in parent:', async () => {
    await rm(join(workspace.workdir, 'flows'), { recursive: true, force: true });
    await mkdir(join(workspace.workdir, 'flows'));
    await writeFile(
      join(workspace.workdir, 'flows', 'shared.yaml'),
      ['parent:', '  services:', '    json-in: { type: JsonTreeReeder }', '    json-out:', '      type: JsonRecordSetWriter', '      properties: { Pretty Print JSON: "maybe" }', ''].join('\n'),
    );
    await writeFile(join(workspace.workdir, 'flows', 'e.yaml'), flowFile(`orders-e-${scratch.suffix}`));
    const checked = await runCli(['validate', '--live', '--json'], { cwd: workspace.workdir, env: { NIFI_URL: apiUrl } });
    expect(checked.exitCode).toBe(1);
    const report = JSON.parse(checked.stdout) as { diagnostics: Array<{ code: string; file: string; range?: { start: { line: number; column: number } } }> };
    expect(report.diagnostics.map((diagnostic) => `${diagnostic.code}@${diagnostic.file}:${diagnostic.range?.start.line}:${diagnostic.range?.start.column}`)).toEqual([
      'live/unknown-type@flows/shared.yaml:3:22',
      'live/value-not-allowed@flows/shared.yaml:6:40',
    ]);
  });
});

async function converterIds(): Promise<string[]> {
  const groups = (await nifi.processGroups.flow(parentGroupId)).contents.processGroups;
  const ids: string[] = [];
  for (const group of groups) ids.push((await nifi.processGroups.flow(group.id!)).contents.processors.find((candidate) => candidate.component?.name === 'convert')!.id!);
  return ids;
}
