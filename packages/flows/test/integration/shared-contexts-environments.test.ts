// `--env` with shared contexts, through the CLI against the real NiFi: an environment's override may name an asset
// of its own (checked offline at its place, relative to its file), and a context that has environments but not the
// one asked for is refused (a typo such as prd, or an environment only the flow knows, must not deploy the base values) before anything is read or written.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.ts';
import { nifiWorkspace } from '../nifi-workspace.ts';

const workspace = nifiWorkspace('shared-env');
const { apiUrl, scratch } = workspace;
const context = `settings-${scratch.suffix}`;

const sharedFile = [
  'parameterContexts:',
  `  ${context}:`,
  '    parameters:',
  '      lookup: { asset: { file: ./dev-lookup.csv } }',
  '    environments:',
  '      prod:',
  '        parameters:',
  '          lookup: { asset: { file: ./prod-lookup.csv } }',
  '',
].join('\n');
const flowFile = [
  `name: tagger-${scratch.suffix}`,
  `inherits: [${context}]`,
  'processors:',
  '  tag: { type: UpdateAttribute, properties: { lookup: "#{lookup}" }, autoTerminate: [success] }',
  // The flow knows staging (nothing of its own to change there); the shared context does not.
  'environments:',
  '  staging: {}',
  '',
].join('\n');

describe('--env with shared contexts', () => {
  it("checks an environment's asset at its own place, and refuses an environment a context doesn't have", async () => {
    await writeFile(join(workspace.workdir, 'shared.yaml'), sharedFile);
    await writeFile(join(workspace.workdir, 'tagger.yaml'), flowFile);
    await writeFile(join(workspace.workdir, 'dev-lookup.csv'), 'sensor,zone\ns-1,urban\n');

    const missing = await runCli(['validate', 'shared.yaml', 'tagger.yaml'], { cwd: workspace.workdir });
    expect(missing.exitCode).toBe(1);
    // The prod override's file, at its own line (8), not the base's.
    expect(missing.stdout + missing.stderr).toMatch(/shared\.yaml:8:\d+: error \[asset\/missing-file\] Asset file .*prod-lookup\.csv does not exist/);

    await writeFile(join(workspace.workdir, 'prod-lookup.csv'), 'sensor,zone\ns-1,rural\n');
    expect((await runCli(['validate', 'shared.yaml', 'tagger.yaml'], { cwd: workspace.workdir })).exitCode).toBe(0);

    const parentGroupId = await scratch.parent('env');
    const unknown = await runCli(['plan', 'shared.yaml', 'tagger.yaml', '--env', 'staging', '--parent', parentGroupId], { cwd: workspace.workdir, env: { NIFI_URL: apiUrl } });
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain(`Shared parameter context "${context}" has no environment "staging".`);
  });
});
