// Shared parameter contexts in flow files, offline: the schema of `parameterContexts:` and `inherits:`,
// and the checks that span files (duplicates, unknown contexts, cycles, parameters defined nowhere), each
// at its file:line:col — read through the same loader the CLI uses.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFlowFiles, type LoadedFiles } from '../cli/load-files.ts';
import { loadFlowFile } from '../parse/load-flow-file.ts';
import { inheritanceOrder } from './check-contexts.ts';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

/** Writes the files into a new folder and loads it as `flows validate` would. */
async function loadProject(files: Record<string, string>): Promise<LoadedFiles> {
  const folder = await mkdtemp(join(tmpdir(), 'flows-contexts-'));
  folders.push(folder);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(folder, name, '..'), { recursive: true });
    await writeFile(join(folder, name), text);
  }
  const loaded = await loadFlowFiles([], folder);
  if ('missing' in loaded) throw new Error(`missing ${loaded.missing}`);
  return loaded;
}

const located = (loaded: LoadedFiles) => loaded.diagnostics.map((diagnostic) => `${diagnostic.code}@${diagnostic.file}:${diagnostic.range?.start.line ?? 0}:${diagnostic.range?.start.column ?? 0}`);

const dbFile = `parameterContexts:
  db:
    description: The shop's database
    inherits: [defaults]
    parameters:
      jdbc_url: { value: "jdbc:postgresql://127.0.0.1:15432/examples" }
      db_password: { fromEnv: SHOP_DB_PASSWORD, sensitive: true }
  defaults:
    parameters:
      batch: { value: "5" }
`;

const flowFile = (inherits: string, property = '#{jdbc_url} #{batch} #{own}') => `name: orders
inherits: ${inherits}
parameters:
  own: { value: "x" }
processors:
  tag: { type: UpdateAttribute, properties: { url: "${property}" }, autoTerminate: [success] }
`;

describe('shared parameter contexts in flow files', () => {
  it('loads contexts declared in a file of their own and a flow that inherits them, with no diagnostics', async () => {
    const loaded = await loadProject({ 'flows/shared/db.yaml': dbFile, 'flows/orders.yaml': flowFile('[db]') });
    expect(located(loaded)).toEqual([]);
    expect(loaded.flows.map((flow) => [flow.name, flow.inherits])).toEqual([['orders', ['db']]]);
    expect(loaded.parameterContexts.map((context) => [context.name, context.inherits, Object.keys(context.parameters)])).toEqual([
      ['db', ['defaults'], ['jdbc_url', 'db_password']],
      ['defaults', [], ['batch']],
    ]);
    // Apply creates a context after those it inherits.
    expect(inheritanceOrder(loaded.parameterContexts).map((context) => context.name)).toEqual(['defaults', 'db']);
  });

  it('accepts contexts beside a single flow and beside `flows:`, and refuses unknown keys in them', () => {
    const single = loadFlowFile('single.yaml', `${flowFile('[db]', '#{jdbc_url}')}parameterContexts:\n  db:\n    parameters:\n      jdbc_url: { value: "u" }\n`);
    expect(single.diagnostics).toEqual([]);
    expect(single.parameterContexts.map((entry) => entry.context.name)).toEqual(['db']);
    const several = loadFlowFile('several.yaml', 'flows:\n  - name: a\nparameterContexts:\n  db:\n    parameter: {}\n');
    expect(several.diagnostics.map((diagnostic) => `${diagnostic.code}@${diagnostic.range?.start.line}:${diagnostic.range?.start.column}`)).toEqual(['schema/unrecognized_keys@5:5']);
  });

  it('reports an unknown inherited context at the flow\'s inherits entry, with the declared ones in the hint', async () => {
    const loaded = await loadProject({ 'flows/shared/db.yaml': dbFile, 'flows/orders.yaml': flowFile('[db, dbb]') });
    expect(located(loaded)).toEqual(['context/unknown@flows/orders.yaml:2:16']);
    expect(loaded.diagnostics[0]!.message).toContain('"dbb"');
    expect(loaded.diagnostics[0]!.hint).toContain('db, defaults');
  });

  it('names an inheritance cycle at the inherits entry that closes it', async () => {
    const cyclic = 'parameterContexts:\n  a:\n    inherits: [b]\n  b:\n    inherits: [c]\n  c:\n    inherits: [a]\n';
    const loaded = await loadProject({ 'flows/contexts.yaml': cyclic });
    expect(located(loaded)).toEqual(['context/cycle@flows/contexts.yaml:3:16']);
    expect(loaded.diagnostics[0]!.message).toContain('a → b → c → a');
    expect(loaded.diagnostics[0]!.hint).toMatch(/Remove one/);
  });

  it('reports a parameter used by a flow but defined nowhere in its chain, and accepts one from a grandparent context', async () => {
    const loaded = await loadProject({ 'flows/shared/db.yaml': dbFile, 'flows/orders.yaml': flowFile('[db]', '#{batch} #{jdbc_urll}') });
    expect(located(loaded)).toEqual(['parameter/undeclared@flows/orders.yaml:6:52']);
    expect(loaded.diagnostics[0]!.message).toContain('"jdbc_urll"');
    expect(loaded.diagnostics[0]!.message).toContain('db, defaults');
  });

  it('reports a context declared in two files, and one named like a flow\'s own context', async () => {
    const loaded = await loadProject({
      'flows/a.yaml': dbFile,
      'flows/b.yaml': 'parameterContexts:\n  db:\n    parameters: {}\n  orders:\n    parameters: {}\n',
      'flows/orders.yaml': flowFile('[db]', '#{jdbc_url}'),
    });
    expect(located(loaded)).toEqual(['context/duplicate@flows/b.yaml:2:3', 'context/name-taken@flows/b.yaml:4:3']);
    expect(loaded.diagnostics[0]!.message).toContain('first at flows/a.yaml:2:3');
  });

  it('applies the parameter rules to a shared context: a secret written in the file, an override of an undeclared parameter', async () => {
    const loaded = await loadProject({
      'flows/db.yaml': 'parameterContexts:\n  db:\n    parameters:\n      password: { value: "hunter2", sensitive: true }\n    environments:\n      prod:\n        parameters:\n          pasword: { value: "x" }\n',
    });
    expect(located(loaded)).toEqual(['parameter/sensitive-in-file@flows/db.yaml:4:26', 'environment/unknown-parameter@flows/db.yaml:8:11']);
  });

  it('checks local asset files offline: a missing file, a checksum mismatch, an asset that also has a value', async () => {
    const loaded = await loadProject({
      'flows/files/lookup.csv': 'sku,price\n',
      'flows/db.yaml': [
        'parameterContexts:',
        '  db:',
        '    parameters:',
        '      present: { asset: { file: ./files/lookup.csv, sha256: 3f7c1b1e8d3b0e1f7b1c8a09b7e0c6b1a2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7 } }',
        '      absent: { asset: { file: ./files/nothing.jar } }',
        '      both: { value: "x", asset: { maven: "org.postgresql:postgresql:42.7.8", sha256: 2a32a9dcbc42d67a50ad3a0de5efd102c8d2be46720045f2cbd6689f160ab7c7 } }',
        '',
      ].join('\n'),
      'flows/unpinned.yaml': 'parameterContexts:\n  jars:\n    parameters:\n      driver: { asset: { maven: "org.postgresql:postgresql:42.7.8" } }\n',
    });
    expect(located(loaded)).toEqual([
      'asset/checksum-mismatch@flows/db.yaml:4:61',
      'asset/missing-file@flows/db.yaml:5:32',
      'parameter/asset-exclusive@flows/db.yaml:6:27',
      // A Maven asset without its checksum is refused: a download is never used unchecked.
      'schema/invalid_union@flows/unpinned.yaml:4:24',
    ]);
    expect(loaded.diagnostics[0]!.message).toMatch(/lookup\.csv has SHA-256 [0-9a-f]{64}, not the one declared/);
  });

  it('finds a trigger\'s Airflow parameters in the inherited contexts, and wants the password sensitive there', async () => {
    const loaded = await loadProject({
      'flows/airflow.yaml': 'parameterContexts:\n  airflow:\n    parameters:\n      airflow_url: { value: "http://airflow:8080" }\n      airflow_username: { value: admin }\n      airflow_password: { fromEnv: AIRFLOW_PASSWORD }\n',
      'flows/orders.yaml': [
        'name: orders',
        'inherits: [airflow]',
        'processors:',
        '  tag: { type: UpdateAttribute, autoTerminate: [success] }',
        'triggers:',
        '  - { name: done, when: "tag:success", dagRun: { dag: orders_loaded } }',
        '',
      ].join('\n'),
    });
    expect(located(loaded)).toEqual(['trigger/password-not-sensitive@flows/airflow.yaml:6:25']);
  });
});
