// `up --load-dags` copies a folder of DAG files into the stack's DAG folder: what it copies, what it waits for, what it refuses.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyDagFolders, definesDag } from './load-dags.ts';

describe('copyDagFolders', () => {
  let workDir: string;
  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'dataplat-load-dags-'));
  });
  afterEach(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('copies files and helper packages without bytecode, keeps what the DAG folder already had, and names the files that define DAGs', async () => {
    const source = join(workDir, 'dags');
    const dagsFolder = join(workDir, 'stack-dags');
    await mkdir(join(source, 'helpers', '__pycache__'), { recursive: true });
    await writeFile(join(source, 'daily.py'), 'from airflow.sdk import DAG\nwith DAG(dag_id="daily"):\n    pass\n');
    await writeFile(join(source, 'decorated.py'), 'from airflow.sdk import dag\n@dag(schedule=None)\ndef decorated():\n    pass\ndecorated()\n');
    await writeFile(join(source, 'constants.py'), 'TIMEOUT = 30\n');
    await writeFile(join(source, 'helpers', 'sql.py'), 'def build(dag_id):\n    return DAG(dag_id)\n');
    await writeFile(join(source, 'helpers', '__pycache__', 'sql.cpython-312.pyc'), 'bytecode');
    await mkdir(dagsFolder);
    await writeFile(join(dagsFolder, 'nifi_flow_hello.py'), 'written by flows dag\n');
    await writeFile(join(dagsFolder, 'daily.py'), 'an older copy\n');

    const [loaded] = await copyDagFolders([source], dagsFolder);

    expect(loaded).toEqual({ source, files: ['constants.py', 'daily.py', 'decorated.py', join('helpers', 'sql.py')], dagFiles: ['daily.py', 'decorated.py'] });
    expect((await readdir(dagsFolder, { recursive: true })).sort()).toEqual(['constants.py', 'daily.py', 'decorated.py', 'helpers', join('helpers', 'sql.py'), 'nifi_flow_hello.py']);
    expect(await readFile(join(dagsFolder, 'daily.py'), 'utf8')).toContain('with DAG(dag_id="daily")');
  });

  it('refuses a path that is not a folder, before copying anything', async () => {
    await expect(copyDagFolders([join(workDir, 'missing')], join(workDir, 'stack-dags'))).rejects.toMatchObject({
      code: 'STACK_CONFIG_INVALID',
      message: expect.stringContaining('is not a folder'),
    });
    await expect(readdir(join(workDir, 'stack-dags'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('leaves a folder that already is the DAG folder as it is', async () => {
    const dagsFolder = join(workDir, 'dags');
    await mkdir(dagsFolder);
    await writeFile(join(dagsFolder, 'daily.py'), 'with DAG("daily"):\n    pass\n');
    expect(await copyDagFolders([dagsFolder], dagsFolder)).toEqual([{ source: dagsFolder, files: ['daily.py'], dagFiles: ['daily.py'] }]);
  });
});

describe('definesDag', () => {
  it('sees DAG( calls and @dag decorators, not modules that only mention DAGs', () => {
    expect(definesDag('with DAG(\n  dag_id="x"):')).toBe(true);
    expect(definesDag('dag = DAG ("x")')).toBe(true);
    expect(definesDag('@dag(schedule=None)\ndef x(): ...')).toBe(true);
    expect(definesDag('"""Helpers for the dags."""\nfrom airflow.sdk import Variable\n')).toBe(false);
    expect(definesDag('MY_DAG_ID = "x"\n')).toBe(false);
  });
});
