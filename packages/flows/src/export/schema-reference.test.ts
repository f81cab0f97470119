// The $schema comment of exported YAML points at a schema file that exists now: relative to the file, like flows/*.yaml.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { schemaReference, shippedSchemaFile } from './schema-reference.ts';

const repositoryRoot = join(import.meta.dirname, '..', '..', '..', '..');

describe('schemaReference', () => {
  const scratch: string[] = [];
  afterAll(async () => {
    for (const directory of scratch) await rm(directory, { recursive: true, force: true });
  });

  it('in the repository, names the same file as the committed flows/*.yaml do', async () => {
    expect(shippedSchemaFile()).toBe(join(repositoryRoot, 'packages', 'flows', 'flow-file.schema.json'));
    const reference = schemaReference(join(repositoryRoot, 'flows'));
    expect(reference).toBe('../packages/flows/flow-file.schema.json');
    expect(await readFile(join(repositoryRoot, 'flows', 'iot-sensors.yaml'), 'utf8')).toMatch(new RegExp(`^# yaml-language-server: \\$schema=${reference.replaceAll('.', '\\.')}\\n`));
    expect(existsSync(resolve(repositoryRoot, 'flows', reference))).toBe(true);
  });

  it('for an installed package, goes through the nearest node_modules/@dataplat/flows above the file', async () => {
    const project = await mkdtemp(join(tmpdir(), 'flows-project-'));
    scratch.push(project);
    const installed = join(project, 'node_modules', '@dataplat', 'flows');
    await mkdir(installed, { recursive: true });
    await writeFile(join(installed, 'flow-file.schema.json'), '{}');
    await mkdir(join(project, 'pipelines', 'flows'), { recursive: true });
    const storeCopy = join(project, 'node_modules', '.pnpm', '@dataplat+flows@1.0.0', 'node_modules', '@dataplat', 'flows', 'flow-file.schema.json');
    expect(schemaReference(join(project, 'pipelines', 'flows'), storeCopy)).toBe('../../node_modules/@dataplat/flows/flow-file.schema.json');
  });

  it('for a package installed where no node_modules is above the file (a global install), the relative path to its schema', () => {
    expect(schemaReference('/srv/flows', '/usr/lib/node_modules/@dataplat/flows/flow-file.schema.json')).toBe('../../usr/lib/node_modules/@dataplat/flows/flow-file.schema.json');
  });
});
