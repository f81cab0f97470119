// `dataplat-stack up --load-dags <folder>` (startStack's `loadDags`): copies folders of DAG files into the
// stack's Airflow DAG folder, then waits until Airflow has parsed the DAGs they define, so the next command
// (`flows plan` looking up an asset, a client triggering a DAG) finds them. The DAG folder stays the stack's
// own (in the state folder): files written there later, such as `flows dag --out`, never land in the source folder.
import { cp, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import type { StackConfig } from '../../config/stack-config.ts';
import { StackError } from '../../errors.ts';
import { httpProbe } from '../../readiness/http-probe.ts';
import { waitUntil } from '../../readiness/wait-until.ts';
import { logFile } from '../service.ts';

export interface LoadedDagFolder {
  /** The folder the files came from (absolute). */
  source: string;
  /** Files copied, relative to the DAG folder (Python bytecode is left out). */
  files: string[];
  /** Top-level files among them that define a DAG (`DAG(` or `@dag`): what `up` waits for Airflow to parse. */
  dagFiles: string[];
}

/** What Airflow reports for the DAG files waited for. */
export interface ParsedDagFiles {
  /** DAG ids by file (relative to the DAG folder). */
  dagIds: Record<string, string[]>;
}

/** Copies each folder's files into the DAG folder (same names are overwritten, nothing is deleted). */
export async function copyDagFolders(sources: readonly string[], dagsFolder: string): Promise<LoadedDagFolder[]> {
  const loaded: LoadedDagFolder[] = [];
  for (const given of sources) {
    const source = resolve(given);
    const isFolder = await stat(source).then((entry) => entry.isDirectory(), () => false);
    if (!isFolder) {
      throw new StackError({
        code: 'STACK_CONFIG_INVALID',
        service: 'airflow',
        message: `--load-dags ${given}: ${source} is not a folder.`,
        hint: 'Name a folder of Airflow DAG files, e.g. --load-dags examples/dags.',
      });
    }
    const files = await listDagFolderFiles(source);
    // A folder that is the DAG folder itself (`--dags x --load-dags x`) is already where Airflow reads.
    if ((await realpath(source)) !== (await realpath(dagsFolder).catch(() => dagsFolder))) {
      await cp(source, dagsFolder, { recursive: true, force: true, filter: (path) => !isBytecode(path) });
    }
    const dagFiles: string[] = [];
    for (const file of files.filter((candidate) => !candidate.includes(sep) && candidate.endsWith('.py'))) {
      if (definesDag(await readFile(join(source, file), 'utf8'))) dagFiles.push(file);
    }
    loaded.push({ source, files, dagFiles });
  }
  return loaded;
}

/** Airflow's own test for DAG files is a parse; this is the cheap look the wait needs: a `DAG(` call or an `@dag` decorator. */
export function definesDag(python: string): boolean {
  return /\bDAG\s*\(|@dag\b/.test(python);
}

/**
 * Waits until Airflow lists a DAG from each of `dagFiles` (relative to the DAG folder). An import error of one
 * of them recorded since `copiedAt` fails at once with Airflow's stack trace (STACK_DAG_IMPORT_FAILED); the DAG
 * processor rereads the folder every few seconds, so this normally takes seconds.
 */
export async function waitForParsedDags(config: StackConfig, dagFiles: readonly string[], copiedAt: Date): Promise<ParsedDagFiles> {
  const baseUrl = `http://127.0.0.1:${config.ports.airflow}`;
  const wanted = new Set(dagFiles);
  let missing = [...wanted];
  const outcome = await waitUntil(
    async (): Promise<{ dagIds: Record<string, string[]> } | { importError: { file: string; stackTrace: string } } | undefined> => {
      const headers = { authorization: `Bearer ${await accessToken(config)}` };
      const importErrors = await listAll<{ filename: string; stack_trace: string; timestamp: string }>(`${baseUrl}/api/v2/importErrors`, 'import_errors', headers);
      // An error recorded before the copy is about the file's previous content; a new parse replaces or clears it.
      const failed = importErrors.find((error) => wanted.has(relativeToDagsFolder(config, error.filename)) && Date.parse(error.timestamp) >= copiedAt.getTime());
      if (failed) return { importError: { file: relativeToDagsFolder(config, failed.filename), stackTrace: failed.stack_trace.trim() } };
      const dagIds: Record<string, string[]> = {};
      for (const dag of await listAll<{ dag_id: string; fileloc: string; relative_fileloc?: string | null }>(`${baseUrl}/api/v2/dags`, 'dags', headers)) {
        const file = dag.relative_fileloc ?? relativeToDagsFolder(config, dag.fileloc);
        if (wanted.has(file)) (dagIds[file] ??= []).push(dag.dag_id);
      }
      missing = [...wanted].filter((file) => !dagIds[file]?.length);
      return missing.length === 0 ? { dagIds } : undefined;
    },
    {
      service: 'airflow',
      description: 'Airflow lists a DAG from each loaded DAG file',
      timeoutMs: Math.min(config.readinessTimeoutMs, 180_000),
      intervalMs: 1000,
      logFile: logFile(config, 'airflow', 'dag-processor'),
    },
  ).catch((error: unknown) => {
    if (!(StackError.isInstance(error) && error.code === 'STACK_READINESS_TIMEOUT')) throw error;
    throw new StackError({
      code: 'STACK_READINESS_TIMEOUT',
      service: 'airflow',
      message: `Airflow listed no DAG from ${missing.join(', ')} in ${config.dagsFolder} after ${Math.round(Math.min(config.readinessTimeoutMs, 180_000) / 1000)} s.`,
      hint: 'Each of these files calls DAG( or uses @dag; check that it defines a DAG when imported, and read the DAG processor log below.',
      logFile: error.logFile,
      logTail: error.logTail,
      cause: error,
    });
  });
  if ('importError' in outcome) {
    throw new StackError({
      code: 'STACK_DAG_IMPORT_FAILED',
      service: 'airflow',
      message: `Airflow could not import the loaded DAG file ${outcome.importError.file}:\n${outcome.importError.stackTrace}`,
      hint: `Fix the file in its folder and run \`up --load-dags\` again (the copy Airflow reads is in ${config.dagsFolder}).`,
    });
  }
  return outcome;
}

async function accessToken(config: StackConfig): Promise<string> {
  const { username, password } = config.credentials.airflow.admin;
  const response = await httpProbe(`http://127.0.0.1:${config.ports.airflow}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 201) throw new Error(`POST /auth/token answered ${response.status}`);
  return (JSON.parse(response.body) as { access_token: string }).access_token;
}

async function listAll<Item>(url: string, key: string, headers: Record<string, string>): Promise<Item[]> {
  const items: Item[] = [];
  for (let offset = 0; ; offset += 100) {
    const response = await httpProbe(`${url}?limit=100&offset=${offset}`, { headers });
    if (response.status !== 200) throw new Error(`GET ${new URL(url).pathname} answered ${response.status}`);
    const page = JSON.parse(response.body) as Record<string, unknown> & { total_entries: number };
    const pageItems = (page[key] ?? []) as Item[];
    items.push(...pageItems);
    if (pageItems.length === 0 || items.length >= page.total_entries) return items;
  }
}

function relativeToDagsFolder(config: StackConfig, file: string): string {
  return file.startsWith(sep) ? relative(config.dagsFolder, file) : file;
}

/** Files of a DAG folder, relative to it, without Python bytecode. */
async function listDagFolderFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)))
    .filter((file) => !isBytecode(file))
    .sort();
}

function isBytecode(path: string): boolean {
  return basename(path) === '__pycache__' || path.split(sep).includes('__pycache__') || path.endsWith('.pyc');
}
