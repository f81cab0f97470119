// docs/getting-started.md, executed: its ```sh blocks run in order in bash, as written, against the test stack
// (each block in the environment the blocks before it exported, as in one terminal), and the files it tells
// you to write (```yaml and ```ts blocks that open with their path) are written where it says. So the guide
// and the stack cannot drift apart. Blocks that cannot run here are listed below, each with its reason.
import { spawn } from 'node:child_process';
import { access, mkdir, mkdtemp, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAirflowClient } from '@dataplat/airflow';
import { DataplatError, pollUntil } from '@dataplat/core';
import { createNifiClient } from '@dataplat/nifi';

const repositoryRoot = join(import.meta.dirname, '..', '..');
const guide = 'docs/getting-started.md';

/** The guide's blocks that are not run, by their first line, and why: the test asserts exactly these are skipped. */
const notRun: Record<string, string> = {
  './with-node pnpm demo --keep':
    'boots a stack in .dataplat/stack on the ports the shared test stack holds; the test stack (started by the integration setup with examples/dags in its DAG folder) stands in for it',
  './with-node pnpm stack up --load-dags examples/dags':
    'would restart any test-stack service that is busy or unhealthy under the other test files; packages/stack/test/integration/load-dags.test.ts runs `up airflow --load-dags` against the test stack instead',
};

interface Block {
  language: string;
  /** 1-based line of the block's first line of code. */
  line: number;
  code: string;
}

/** The fenced code blocks of a markdown text, in order. */
function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const opening = /^```(\w+)\s*$/.exec(lines[index]!);
    if (!opening) continue;
    let end = index + 1;
    while (end < lines.length && lines[end] !== '```') end++;
    blocks.push({ language: opening[1]!, line: index + 2, code: lines.slice(index + 1, end).join('\n') });
    index = end;
  }
  return blocks;
}

/** `# flows/hello.yaml` or `// scripts/x.ts` on a block's first line: the file the guide tells you to write. */
function fileOf(block: Block): string | undefined {
  return /^(?:#|\/\/)\s*([\w./-]+\.(?:ya?ml|ts))\b/.exec(block.code.split('\n')[0]!)?.[1];
}

interface BlockRun {
  block: Block;
  exitCode: number;
  stdout: string;
  stderr: string;
}

const endpoints = inject('stackEndpoints');
const stackStateDir = inject('stackStateDir');
const nifi = createNifiClient({ baseUrl: endpoints.nifi!.apiUrl });
const airflow = createAirflowClient({ baseUrl: endpoints.airflow!.url, auth: endpoints.airflow!.admin });
const blocks = fencedBlocks(await readFile(join(repositoryRoot, guide), 'utf8'));
const written: string[] = [];
const runs: BlockRun[] = [];
let shellDir = '';

/**
 * Runs one ```sh block with `set -euo pipefail` in the repository root, after sourcing what the earlier blocks
 * exported (so `eval "$(… stack env)"` in one block serves the next), and saves its exports for the next.
 */
async function runBlock(block: Block): Promise<BlockRun> {
  const exportsFile = join(shellDir, 'exports.sh');
  const script = `[ -f ${exportsFile} ] && source ${exportsFile}\nset -euo pipefail\n${block.code}\nexport -p > ${exportsFile}\n`;
  const child = spawn('bash', ['-c', script], {
    cwd: repositoryRoot,
    // The guide's reader has a shell of their own; the stack it finds is the test stack (stack env reads DATAPLAT_STACK_DIR).
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? shellDir, DATAPLAT_STACK_DIR: stackStateDir, ...cacheDirectory() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  return { block, exitCode, ...output };
}

/** with-node finds its toolchain where this process found it. */
function cacheDirectory(): Record<string, string> {
  return Object.fromEntries(['DATAPLAT_CACHE_DIR', 'XDG_CACHE_HOME'].flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

async function managedGroupNamed(name: string): Promise<boolean> {
  const root = await nifi.processGroups.flow('root');
  return root.contents.processGroups.some((group) => group.component?.name === name);
}

function runOf(firstLine: string): BlockRun {
  const run = runs.find((candidate) => candidate.block.code.split('\n').some((line) => line.startsWith(firstLine)));
  if (!run) throw new Error(`No block of ${guide} ran a line starting with "${firstLine}"; ran: ${runs.map((candidate) => candidate.block.line).join(', ')}`);
  return run;
}

describe(`${guide}, run as written against the test stack`, () => {
  const skipped: string[] = [];

  beforeAll(async () => {
    shellDir = await mkdtemp(join(tmpdir(), 'dataplat-getting-started-'));
    for (const block of blocks) {
      const file = fileOf(block);
      if (file && (block.language === 'yaml' || block.language === 'ts')) {
        const path = join(repositoryRoot, file);
        // Never overwrite a reader's own file of that name (left from following the guide, say).
        if (await exists(path)) throw new Error(`${file} exists; ${guide} tells the reader to write it and this test writes it too: move it away first.`);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, `${block.code}\n`);
        written.push(path);
        continue;
      }
      if (block.language !== 'sh') continue;
      const firstLine = block.code.split('\n')[0]!;
      if (notRun[firstLine]) {
        skipped.push(firstLine);
        continue;
      }
      const run = await runBlock(block);
      runs.push(run);
      if (run.exitCode !== 0) break;
      if (run.block.code.includes('flows dag hello')) await dagParsedByAirflow('nifi_flow_hello', run);
    }
  }, 600_000);

  // What Airflow said about the DAG file while it existed (the guide removes it at the end).
  let dagSeen: { dagId: string; fileloc: string } | undefined;
  async function dagParsedByAirflow(dagId: string, run: BlockRun): Promise<void> {
    dagSeen = await pollUntil(
      async () => {
        try {
          const dag = await airflow.getDag(dagId);
          return { done: true, value: { dagId: dag.dag_id, fileloc: dag.fileloc } };
        } catch (error) {
          if (DataplatError.isInstance(error) && error.code === 'NOT_FOUND') return { done: false };
          throw error;
        }
      },
      { timeoutMs: 90_000, initialIntervalMs: 1000, maxIntervalMs: 2000, description: `Airflow to list ${dagId} (written by the block at ${guide}:${run.block.line})` },
    );
  }

  afterAll(async () => {
    // Whatever a failed run left behind: the flows the guide applies, the DAG it writes, the files it has you write.
    const destroyed = spawn('bash', ['-c', './with-node pnpm --silent flows destroy hello; ./with-node pnpm --silent flows destroy iot-sensors'], {
      cwd: repositoryRoot,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NIFI_URL: endpoints.nifi!.apiUrl, ...cacheDirectory() },
      stdio: 'ignore',
    });
    await new Promise((resolve) => destroyed.on('close', resolve));
    await rm(join(endpoints.airflow!.dagsFolder, 'nifi_flow_hello.py'), { force: true });
    await airflow.api.delete('/api/v2/dags/{dag_id}', { path: { dag_id: 'nifi_flow_hello' } }).catch(() => undefined);
    for (const path of written) {
      await rm(path, { force: true });
      await rmdir(dirname(path)).catch(() => undefined); // a folder the test made (scripts/), when now empty
    }
    if (shellDir) await rm(shellDir, { recursive: true, force: true });
    const helloLeft = await managedGroupNamed('hello');
    await Promise.all([nifi.close(), airflow.close()]);
    expect(helloLeft).toBe(false);
  }, 120_000);

  it('runs every ```sh block but the listed ones, each exiting 0', () => {
    expect(skipped.sort()).toEqual(Object.keys(notRun).sort());
    const failed = runs.find((run) => run.exitCode !== 0);
    expect(failed && `${guide}:${failed.block.line} exited ${failed.exitCode}\n${failed.block.code}\n--- stdout\n${failed.stdout}\n--- stderr\n${failed.stderr}`).toBeUndefined();
    expect(runs.length + skipped.length).toBe(blocks.filter((block) => block.language === 'sh').length);
  });

  it('step 2: the stack env, validation offline and against NiFi, a plan, an apply, and an apply that writes nothing', () => {
    // Offline, then --live: the three example flows and their shared context are valid.
    expect(runOf('eval "$(./with-node pnpm --silent stack env)"').stderr.match(/^4 file\(s\): 0 error\(s\), 0 warning\(s\)\.$/gm)).toHaveLength(2);
    const step2 = runOf('export SENSORS_DB_PASSWORD');
    // The second apply finds nothing to change, and the plan after it exits 0 (set -e) saying so.
    expect(step2.stdout).toContain('Apply complete: nothing to change.');
    expect(step2.stdout.trimEnd()).toMatch(/parameter context examples-db \(no changes\)\n {2}flow iot-sensors \(no changes\)\nParameter contexts: 0 to create, 0 to update, 0 to delete, 1 unchanged, 0 kept\.\nPlan: 0 to create, 0 to update, 0 to delete, 1 unchanged\.$/);
    expect(`${step2.stdout}${step2.stderr}`).not.toContain(endpoints.postgres!.password);
  });

  it('step 3: your own flow is applied, run once, turned into a DAG Airflow lists, and destroyed', () => {
    const step3 = runOf('./with-node pnpm flows apply flows/hello.yaml');
    expect(step3.stdout).toContain('+ flow hello (create)');
    // flows run: the run-once report; GenerateFlowFile's batch of 3 reached the tag processor.
    expect(step3.stdout).toMatch(/^hello: \d+ flowfile\(s\) in, \d+ out, \d+ ms, 0 bulletin\(s\)$/m);
    expect(step3.stdout).toMatch(/^ {2}tag: in 3, /m);
    expect(dagSeen).toEqual({ dagId: 'nifi_flow_hello', fileloc: join(endpoints.airflow!.dagsFolder, 'nifi_flow_hello.py') });
    expect(runOf('./with-node pnpm flows destroy hello').stdout).toContain('- flow hello deleted');
  });

  it('after the clean-up block, neither the flow nor its DAG file is left', async () => {
    expect(await managedGroupNamed('hello')).toBe(false);
    expect(await exists(join(endpoints.airflow!.dagsFolder, 'nifi_flow_hello.py'))).toBe(false);
  });

  it('step 4: a script in a folder of the repository imports @dataplat/nifi and @dataplat/trino and talks to the stack', () => {
    expect(runOf('./with-node node --conditions=@dataplat/source scripts/stack-summary.ts').stdout).toMatch(/^NiFi 2\.\d+\.\d+; Trino counts 25 nations in tpch\.tiny$/m);
  });
});
