// `dataplat-stack up --load-dags <folder>` against the running stack: the folder's DAGs are copied into the
// stack's DAG folder and `up` returns once Airflow lists them; a DAG file that does not import fails `up` with Airflow's error.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runCaptured } from '../run-captured.ts';

describe('dataplat-stack up --load-dags', () => {
  const stateDir = inject('stackStateDir');
  const airflow = inject('stackEndpoints').airflow!;
  const suffix = randomBytes(4).toString('hex');
  const dagId = `dataplat_load_dags_probe_${suffix}`;
  const brokenFile = `dataplat_load_dags_broken_${suffix}.py`;
  let sourceDir: string | undefined;

  afterAll(async () => {
    await rm(join(airflow.dagsFolder, `${dagId}.py`), { force: true });
    await rm(join(airflow.dagsFolder, brokenFile), { force: true });
    if (sourceDir) await rm(sourceDir, { recursive: true, force: true });
    // The file is gone, so Airflow would only mark the DAG stale: remove it from Airflow too.
    const response = await fetch(`${airflow.url}/api/v2/dags/${dagId}`, { method: 'DELETE', headers: { authorization: `Bearer ${await airflowToken()}` } });
    expect([204, 404]).toContain(response.status);
  });

  async function airflowToken(): Promise<string> {
    const response = await fetch(`${airflow.url}/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(airflow.admin) });
    return ((await response.json()) as { access_token: string }).access_token;
  }

  it('copies a folder of DAGs into the stack and returns when Airflow lists them', async () => {
    sourceDir = await mkdtemp(join(tmpdir(), 'dataplat-dags-'));
    await writeFile(join(sourceDir, `${dagId}.py`), `from airflow.sdk import DAG\n\nwith DAG(dag_id="${dagId}", schedule=None):\n    pass\n`);

    const result = await runCaptured(['up', 'airflow', '--dir', stateDir, '--load-dags', sourceDir]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain(`airflow     loaded 1 file(s) from ${sourceDir}; Airflow lists ${dagId}`);
    const dag = await fetch(`${airflow.url}/api/v2/dags/${dagId}`, { headers: { authorization: `Bearer ${await airflowToken()}` } });
    expect(dag.status).toBe(200);
    expect(((await dag.json()) as { fileloc: string }).fileloc).toBe(join(airflow.dagsFolder, `${dagId}.py`));
  });

  it('fails with STACK_DAG_IMPORT_FAILED and Airflow\'s stack trace when a loaded DAG file does not import', async () => {
    sourceDir ??= await mkdtemp(join(tmpdir(), 'dataplat-dags-'));
    await rm(join(sourceDir, `${dagId}.py`), { force: true });
    await writeFile(join(sourceDir, brokenFile), 'from airflow.sdk import DAG\n\nraise RuntimeError("broken on purpose")\nwith DAG(dag_id="never", schedule=None):\n    pass\n');

    const result = await runCaptured(['up', 'airflow', '--dir', stateDir, '--load-dags', sourceDir, '--json']);

    expect(result.exitCode).toBe(1);
    const { error } = JSON.parse(result.stdout) as { error: { code: string; message: string } };
    expect(error.code).toBe('STACK_DAG_IMPORT_FAILED');
    expect(error.message).toContain(`Airflow could not import the loaded DAG file ${brokenFile}`);
    expect(error.message).toContain('RuntimeError: broken on purpose');
  });
});
