// The security suite's secret scan for the flows CLI, against the real NiFi: every command (validate,
// plan, plan --out, apply, status, run, export, dag) runs with distinctive secret values, and none of them
// may appear in stdout, stderr, JSON output, the plan file, the exported YAML, the generated DAG or NiFi's
// group comments — not even in a form a dictionary can recover (issue 14, findings 2 and 12). Also: the
// marker's secrets under FLOWS_SECRETS_KEY (no-op applies stay no-ops), without it (--push-secrets), the
// migration of an old-format marker, and a value applied from the environment that the code then makes literal.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createNifiClient, type NifiClient } from '@dataplat/nifi';
import { applyFlows, loadFlowFile, planFlows, readMarker, type Flow } from '@dataplat/flows';
import { deterministicId } from '../../src/compile/deterministic-id.ts';
import { runCli, type CliRun } from '../run-cli.ts';
import { scratchGroups } from '../scratch-groups.ts';

const apiUrl = inject('stackEndpoints').nifi!.apiUrl;
const mutating = { count: 0 };
const nifi: NifiClient = createNifiClient({ baseUrl: apiUrl, onRequest: ({ method }) => void (method !== 'GET' && mutating.count++) });
const scratch = scratchGroups(nifi, 'flows-secret-scan');
const { suffix } = scratch;
const flowName = `scan-${suffix}`;
let workdir = '';

afterAll(async () => {
  await scratch.cleanUp();
  if (workdir) await rm(workdir, { recursive: true, force: true });
  await nifi.close();
});

// Distinctive values: any of them (or an obvious transformation) in any output is a leak.
const secrets = {
  dbPassword: `db-pw-${suffix}-Qz7`,
  dbPasswordChanged: `db-pw2-${suffix}-Jk4`,
  endpoint: `endpoint-token-${suffix}-Vr5`,
  endpointChanged: `endpoint-token2-${suffix}-Lp2`,
  nifiPassword: `nifi-pw-${suffix}-Wx3`,
  key: `flows-secrets-key-${suffix}-0123456789abcdef0123`,
};

const flowFile = `name: ${flowName}
parameters:
  db_password: { fromEnv: SCAN_DB_PASSWORD, sensitive: true }
  endpoint_token: { fromEnv: SCAN_ENDPOINT }
processors:
  generate: { type: GenerateFlowFile, properties: { Batch Size: "2", Custom Text: "#{endpoint_token}" }, schedule: { period: 1 hour }, state: stopped }
  tag: { type: UpdateAttribute, properties: { source: scan }, autoTerminate: [success] }
connections:
  - { from: generate, to: tag, relationships: [success] }
`;

/** Every byte the commands wrote, to scan at the end. */
const written: string[] = [];
function keep(run: CliRun): CliRun {
  written.push(run.stdout, run.stderr);
  return run;
}

function legacyHash(values: Record<string, string>): string {
  const sorted = Object.keys(values).sort().map((name) => [name, values[name]]);
  return createHash('sha256').update(`${deterministicId(flowName)}\n${JSON.stringify(sorted)}`).digest('hex');
}

/** The review's attack: guesses tested offline against the marker with only what NiFi shows. */
function recoverable(comments: string): boolean {
  const guesses = ['admin', 'password', secrets.dbPassword, secrets.dbPasswordChanged];
  return guesses.some((guess) => comments.includes(legacyHash({ db_password: guess }))) || Object.values(secrets).some((value) => comments.includes(value));
}

async function managedGroup(parentGroupId: string) {
  const flow = await nifi.processGroups.flow(parentGroupId);
  const group = flow.contents.processGroups.find((entry) => entry.component?.name === flowName)!;
  return nifi.processGroups.get(group.id);
}

describe('secret scan of the flows CLI, against the real NiFi', () => {
  it('prints, writes and stores no secret in any command, with FLOWS_SECRETS_KEY', async () => {
    const parentGroupId = await scratch.parent('cli');
    workdir = await mkdtemp(join(tmpdir(), 'dataplat-flows-secret-scan-'));
    await writeFile(join(workdir, 'scan.yaml'), flowFile);
    const env = { NIFI_URL: apiUrl, NIFI_PASSWORD: secrets.nifiPassword, SCAN_DB_PASSWORD: secrets.dbPassword, SCAN_ENDPOINT: secrets.endpoint, FLOWS_SECRETS_KEY: secrets.key };
    const cli = (args: string[], overrides: NodeJS.ProcessEnv = {}) => runCli(args, { cwd: workdir, env: { ...env, ...overrides } }).then(keep);
    const common = ['scan.yaml', '--parent', parentGroupId];

    expect((await cli(['validate', 'scan.yaml'])).exitCode).toBe(0);
    expect((await cli(['plan', ...common])).exitCode).toBe(0);
    expect((await cli(['plan', ...common, '--json', '--out', 'plan.json'])).exitCode).toBe(0);
    written.push(await readFile(join(workdir, 'plan.json'), 'utf8'));
    expect((await cli(['apply', ...common, '--plan', 'plan.json', '--json'])).exitCode).toBe(0);
    // With the key, nothing changed means nothing to do.
    expect((await cli(['plan', ...common, '--detailed-exitcode'])).exitCode).toBe(0);
    expect((await cli(['status', flowName, '--parent', parentGroupId, '--bulletins', '--json'])).exitCode).toBe(0);
    expect((await cli(['run', flowName, '--parent', parentGroupId, '--json'])).exitCode).toBe(0);
    expect((await cli(['export', flowName, '--parent', parentGroupId, '--out', 'exported.yaml'])).exitCode).toBe(0);
    const exported = await readFile(join(workdir, 'exported.yaml'), 'utf8');
    written.push(exported);
    // Both values from the environment are written back as where they come from, not as values.
    expect(loadFlowFile('exported.yaml', exported).flows[0]!.parameters).toMatchObject({ db_password: { fromEnv: 'SCAN_DB_PASSWORD', sensitive: true }, endpoint_token: { fromEnv: 'SCAN_ENDPOINT' } });
    expect((await cli(['dag', flowName, 'scan.yaml', '--out', 'dag.py'])).exitCode).toBe(0);
    written.push(await readFile(join(workdir, 'dag.py'), 'utf8'));

    // Changed values: the plan says what changes, never the values (the non-sensitive one is masked too).
    const changed = await cli(['plan', ...common, '--json', '--out', 'changed.json'], { SCAN_DB_PASSWORD: secrets.dbPasswordChanged, SCAN_ENDPOINT: secrets.endpointChanged });
    written.push(await readFile(join(workdir, 'changed.json'), 'utf8'));
    const changedPlan = JSON.parse(changed.stdout) as { flows: Array<{ parameters: Array<{ field: string; before: unknown; after: unknown }> }> };
    expect(changedPlan.flows[0]!.parameters).toEqual(
      expect.arrayContaining([
        { field: 'parameters.endpoint_token', before: '(masked: from the environment)', after: '(masked: from the environment)' },
        { field: 'parameters.db_password', before: '(sensitive)', after: '(sensitive)' },
      ]),
    );
    const text = await cli(['plan', ...common], { SCAN_DB_PASSWORD: secrets.dbPasswordChanged, SCAN_ENDPOINT: secrets.endpointChanged });
    expect(text.stdout).toContain('parameters.endpoint_token: "(masked: from the environment)" → "(masked: from the environment)"');

    const group = await managedGroup(parentGroupId);
    const comments = group.component.comments ?? '';
    written.push(comments);
    expect(readMarker(comments)?.sensitiveHash).toMatch(/^hmac-sha256:[0-9a-f]{12}:[0-9a-f]{64}$/);
    expect(recoverable(comments)).toBe(false);

    const everything = written.join('\n');
    for (const [name, value] of Object.entries(secrets)) expect(everything.includes(value), `${name} leaked`).toBe(false);
    expect(everything).not.toContain(legacyHash({ db_password: secrets.dbPassword }));
  });

  it('without FLOWS_SECRETS_KEY: says the values can\'t be compared, keeps NiFi\'s, and pushes them with --push-secrets', async () => {
    const parentGroupId = await scratch.parent('no-key');
    const directory = await mkdtemp(join(tmpdir(), 'dataplat-flows-no-key-'));
    try {
      await writeFile(join(directory, 'scan.yaml'), flowFile);
      const env = { NIFI_URL: apiUrl, SCAN_DB_PASSWORD: secrets.dbPassword, SCAN_ENDPOINT: 'plain-endpoint' };
      const cli = (args: string[], overrides: NodeJS.ProcessEnv = {}) => runCli(args, { cwd: directory, env: { ...env, ...overrides } }).then(keep);
      const common = ['scan.yaml', '--parent', parentGroupId];
      expect((await cli(['apply', ...common])).exitCode).toBe(0);
      const stored = (await managedGroup(parentGroupId)).component.comments ?? '';
      expect(readMarker(stored)?.sensitiveHash).toBe('unverified');

      const uncompared = await cli(['plan', ...common, '--detailed-exitcode'], { SCAN_DB_PASSWORD: secrets.dbPasswordChanged });
      expect(uncompared.exitCode).toBe(0);
      expect(uncompared.stdout).toContain("! sensitive values can't be compared without FLOWS_SECRETS_KEY");
      const pushed = await cli(['plan', ...common, '--push-secrets', '--json'], { SCAN_DB_PASSWORD: secrets.dbPasswordChanged });
      expect((JSON.parse(pushed.stdout) as { flows: Array<{ parameters: unknown[] }> }).flows[0]!.parameters).toEqual([{ field: 'parameters.db_password', before: '(sensitive)', after: '(sensitive)' }]);
      const applied = await cli(['apply', ...common, '--push-secrets', '--json'], { SCAN_DB_PASSWORD: secrets.dbPasswordChanged });
      expect((JSON.parse(applied.stdout) as { applied: Array<{ action: string }> }).applied).toEqual([expect.objectContaining({ action: 'update' })]);
      expect(written.join('\n')).not.toContain(secrets.dbPasswordChanged);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('replaces an old-format marker without pushing unchanged values, and keeps the no-op apply at zero mutating requests', async () => {
    const parentGroupId = await scratch.parent('migrate');
    const flow: Flow = loadFlowFile('scan.yaml', flowFile).flows[0]!;
    const env = { SCAN_DB_PASSWORD: secrets.dbPassword, SCAN_ENDPOINT: 'plain-endpoint', FLOWS_SECRETS_KEY: secrets.key };
    await applyFlows(nifi, [flow], { parentGroupId, env });
    // What a marker written before this change looked like: SHA-256 salted with the public flow id.
    const group = await managedGroup(parentGroupId);
    const oldComments = (group.component.comments ?? '').replace(/"sensitiveHash":"[^"]+"/, `"sensitiveHash":"${legacyHash({ db_password: secrets.dbPassword })}"`);
    await nifi.processGroups.update(group, { comments: oldComments });
    expect(recoverable(oldComments)).toBe(true);

    const migration = await planFlows(nifi, [flow], { parentGroupId, env });
    expect(migration.plan.flows[0]).toMatchObject({ action: 'update', components: [], parameters: [], runState: [], markerChanged: true });
    await applyFlows(nifi, [flow], { parentGroupId, env });
    const migrated = (await managedGroup(parentGroupId)).component.comments ?? '';
    expect(readMarker(migrated)?.sensitiveHash).toMatch(/^hmac-sha256:/);
    expect(recoverable(migrated)).toBe(false);

    mutating.count = 0;
    const again = await applyFlows(nifi, [flow], { parentGroupId, env });
    expect(again.plan.flows[0]!.action).toBe('no-op');
    expect(mutating.count).toBe(0);
    // A changed secret is seen with the key, and pushed.
    const changed = await planFlows(nifi, [flow], { parentGroupId, env: { ...env, SCAN_DB_PASSWORD: secrets.dbPasswordChanged } });
    expect(changed.plan.flows[0]!.parameters).toEqual([{ field: 'parameters.db_password', before: '(sensitive)', after: '(sensitive)' }]);
  });

  it('never prints a value the last apply read from the environment, after the code makes it literal or drops it (flow and shared context)', async () => {
    const parentGroupId = await scratch.parent('was-env');
    const directory = await mkdtemp(join(tmpdir(), 'dataplat-flows-was-env-'));
    const values = { endpoint: `deploy-endpoint-${suffix}-Hn8`, host: `deploy-host-${suffix}-Tb6`, gone: `deploy-gone-${suffix}-Mc1` };
    const shared = `shared-env-${suffix}`;
    const write = (endpoint: string, sharedParameters: string[]) =>
      writeFile(
        join(directory, 'flow.yaml'),
        [
          `name: was-env-${suffix}`,
          `inherits: [${shared}]`,
          'parameters:',
          `  endpoint: ${endpoint}`,
          'processors:',
          '  tag: { type: UpdateAttribute, properties: { endpoint: "#{endpoint}", host: "#{host}" }, autoTerminate: [success], state: stopped }',
          'parameterContexts:',
          `  ${shared}:`,
          '    parameters:',
          ...sharedParameters.map((line) => `      ${line}`),
          '',
        ].join('\n'),
      );
    try {
      const cli = (args: string[]) => runCli([...args, 'flow.yaml', '--parent', parentGroupId], { cwd: directory, env: { NIFI_URL: apiUrl, WAS_ENDPOINT: values.endpoint, WAS_HOST: values.host, WAS_GONE: values.gone } }).then(keep);
      await write('{ fromEnv: WAS_ENDPOINT }', ['host: { fromEnv: WAS_HOST }', 'gone: { fromEnv: WAS_GONE }']);
      const applied = await cli(['apply']);
      expect(applied.stderr).toBe('');
      expect(applied.exitCode).toBe(0);
      // Exported, the shared context's values from the environment are written back as where they come from (its marker names the variables).
      const exported = await runCli(['export', `was-env-${suffix}`, '--parent', parentGroupId, '--out', 'exported.yaml'], { cwd: directory, env: { NIFI_URL: apiUrl } }).then(keep);
      expect(exported.exitCode).toBe(0);
      const exportedText = await readFile(join(directory, 'exported.yaml'), 'utf8');
      for (const value of Object.values(values)) expect(exportedText).not.toContain(value);
      expect(loadFlowFile('exported.yaml', exportedText).parameterContexts.map((placed) => placed.context.parameters)).toEqual([{ gone: { fromEnv: 'WAS_GONE' }, host: { fromEnv: 'WAS_HOST' } }]);

      // The code now gives literals (and drops one): NiFi still holds the environment's values, which the plan must not show.
      await write('{ value: "https://literal.example" }', ['host: { value: literal-host }']);
      const text = await cli(['plan']);
      expect(text.exitCode).toBe(0);
      expect(text.stdout).toContain('~ parameters.endpoint: "(masked: from the environment)" → "https://literal.example"');
      expect(text.stdout).toContain('~ parameters.host: "(masked: from the environment)" → "literal-host"');
      expect(text.stdout).toContain('~ parameters.gone: "(masked: from the environment)" → "(removed)"');
      const json = await cli(['plan', '--json']);
      expect(json.exitCode).toBe(0);
      const plan = JSON.parse(json.stdout) as { flows: Array<{ parameters: unknown[] }>; parameterContexts: Array<{ changes: unknown[] }> };
      expect(plan.flows[0]!.parameters).toEqual([{ field: 'parameters.endpoint', before: '(masked: from the environment)', after: 'https://literal.example' }]);
      expect(plan.parameterContexts[0]!.changes).toEqual([
        { field: 'parameters.host', before: '(masked: from the environment)', after: 'literal-host' },
        { field: 'parameters.gone', before: '(masked: from the environment)', after: '(removed)' },
      ]);
      for (const output of [text, json]) for (const [name, value] of Object.entries(values)) expect(`${output.stdout}${output.stderr}`.includes(value), `${name} printed`).toBe(false);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
