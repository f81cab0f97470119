// `flows validate --live` against the real NiFi: mistakes only NiFi's descriptors reveal, each at its
// line and column; the example flows pass; the temporary group used to read descriptors is gone after.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createNifiClient } from '@dataplat/nifi';
import { runFlowsCli } from '../../src/cli/run-flows-cli.ts';

const apiUrl = inject('stackEndpoints').nifi!.apiUrl;
const nifi = createNifiClient({ baseUrl: apiUrl });
const repositoryRoot = join(import.meta.dirname, '..', '..', '..', '..');
let workdir = '';

afterAll(async () => {
  if (workdir) await rm(workdir, { recursive: true, force: true });
  await nifi.close();
});

async function validateLive(cwd: string, paths: string[]) {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exitCode = await runFlowsCli(['validate', ...paths, '--live', '--json'], { stdout, stderr: new PassThrough(), isTTY: false, cwd, env: { NIFI_URL: apiUrl } });
  return { exitCode, report: JSON.parse(out) as { valid: boolean; diagnostics: Array<{ code: string; range?: { start: { line: number; column: number } }; hint?: string }> } };
}

const badFlow = `name: live-check
services:
  reader: { type: JsonTreeReader }
  pool: { type: DBCPConnectionPool }
processors:
  generate:
    type: GenerateFlowFile
    properties:
      Data Format: Yaml
  validate:
    type: ValidateRecord
    properties:
      Record Reader: service:reader
      record-writer: service:pool
      strict-type-checking: "maybe"
    autoTerminate: [failure, invalid]
  route: { type: NoSuchProcessor }
connections:
  - { from: generate, to: validate, relationships: [succes] }
`;

describe('flows validate --live against the real NiFi', () => {
  it('reports what only the target NiFi knows, at its place in the file', async () => {
    workdir = await mkdtemp(join(tmpdir(), 'dataplat-flows-live-'));
    await writeFile(join(workdir, 'bad.yaml'), badFlow);
    const { exitCode, report } = await validateLive(workdir, ['bad.yaml']);
    expect(exitCode).toBe(1);
    expect(report.diagnostics.map((diagnostic) => `${diagnostic.code}@${diagnostic.range?.start.line}:${diagnostic.range?.start.column}`)).toEqual([
      'live/missing-required-property@4:9',
      'live/missing-required-property@4:9',
      'live/unhandled-relationship@6:3',
      'live/value-not-allowed@9:20',
      'live/unhandled-relationship@10:3',
      'live/unknown-property@13:7',
      'live/wrong-service-kind@14:22',
      'live/value-not-allowed@15:29',
      'live/unknown-type@17:18',
      'live/unknown-relationship@19:53',
    ]);
    expect(report.diagnostics.find((diagnostic) => diagnostic.code === 'live/unknown-property')?.hint).toBe('"Record Reader" is the display name of property "record-reader": flows uses property names.');
    // The temporary group that held the probes is gone.
    const root = await nifi.processGroups.flow('root');
    expect(root.contents.processGroups.filter((group) => group.component?.name?.startsWith('flows validate --live'))).toEqual([]);
  });

  it('passes the example flows', async () => {
    const { exitCode, report } = await validateLive(repositoryRoot, ['flows']);
    expect(report.diagnostics).toEqual([]);
    expect(exitCode).toBe(0);
  });
});
