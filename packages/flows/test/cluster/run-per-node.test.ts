// `flows run --per-node` on the 3-node NiFi cluster through the CLI, as the generated Airflow DAGs would call it:
// the totals, and each node's own figures, in --json and in the human report.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterWorkspace, pacedFlow, type PerNodeRunOutput } from '../cluster-flows.ts';
import { runCli } from '../run-cli.ts';

const workspace = clusterWorkspace('cluster-run');

describe('flows run --per-node on the NiFi cluster', () => {
  it("reports the cluster's totals and each node's figures, in JSON and for people", async () => {
    const { scratch, workdir, nodeUrls } = workspace;
    const parentGroupId = await scratch.parent('run');
    const name = `paced-${scratch.suffix}`;
    await writeFile(join(workdir, 'paced.yaml'), pacedFlow(name, { batchSize: 4, perSecond: 100 }));
    const flows = (args: string[]) => runCli([...args, '--parent', parentGroupId], { cwd: workdir, env: { NIFI_URL: nodeUrls[1]! } });
    const applied = await flows(['apply', 'paced.yaml', '--json']);
    expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);

    const run = await flows(['run', name, '--per-node', '--json']);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const output = JSON.parse(run.stdout) as PerNodeRunOutput;
    expect(output).toMatchObject({ flow: name, ok: true, flowFilesIn: 12, lostNodes: [] });
    const ports = nodeUrls.map((url) => Number(new URL(url).port)).sort();
    expect(output.nodes.map((node) => node.apiPort)).toEqual(ports);
    for (const node of output.nodes) {
      expect(node).toMatchObject({ name: `127.0.0.1:${node.apiPort}`, flowFilesIn: 4, lost: false });
      expect(node.processors.find((processor) => processor.name === 'sink')?.flowFilesIn).toBe(4);
    }

    const human = await flows(['run', name, '--per-node']);
    expect(human.exitCode, human.stderr).toBe(0);
    expect(human.stdout).toContain(`${name}: 12 flowfile(s) in, 0 out`);
    for (const port of ports) expect(human.stdout).toContain(`node 127.0.0.1:${port}: in 4, out 0, 40 bytes in, 0 bytes out`);
    expect(human.stdout).not.toContain('lost');

    // Without --per-node, the totals only.
    const plain = await flows(['run', name, '--json']);
    expect(JSON.parse(plain.stdout)).not.toHaveProperty('nodes');
  });
});
