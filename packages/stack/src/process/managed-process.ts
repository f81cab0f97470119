// Starting, recording and stopping the stack's server processes (process groups, PID files that survive restarts) and reading their logs.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sleep } from '@dataplat/core';

/** What a PID file records: enough to tell our process from an unrelated one that reused the PID. */
export interface PidRecord {
  pid: number;
  /** Start time of the process in clock ticks since boot (/proc/<pid>/stat), checked before signalling. */
  startTicks: number | undefined;
  /** For people reading the file: which server this is (some rename themselves, e.g. Airflow's api-server). */
  marker: string;
  command: string;
  startedAt: string;
}

export interface StartProcessOptions {
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  pidFile: string;
  /** Names the server in the PID file; see PidRecord.marker. */
  marker: string;
  /** Run as this user (PostgreSQL refuses to run as root). */
  uid?: number | undefined;
  gid?: number | undefined;
}

export interface StartedProcess {
  pid: number;
  /** Resolves with the exit code when the process ends, in this Node process only. */
  exited: Promise<number | null>;
  hasExited(): boolean;
}

/**
 * Starts a long-running server process in its own process group, detached from this Node process
 * (so `dataplat-stack up` can return and the stack keeps running), appending its output to a log file.
 */
export async function startProcess(options: StartProcessOptions): Promise<StartedProcess> {
  await mkdir(dirname(options.logFile), { recursive: true });
  await mkdir(dirname(options.pidFile), { recursive: true });
  const logDescriptor = openSync(options.logFile, 'a');
  let exitedFlag = false;
  try {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', logDescriptor, logDescriptor],
      ...(options.uid !== undefined ? { uid: options.uid } : {}),
      ...(options.gid !== undefined ? { gid: options.gid } : {}),
    });
    const exited = new Promise<number | null>((resolvePromise) => {
      child.once('exit', (code, signal) => {
        exitedFlag = true;
        resolvePromise(code ?? (signal ? 128 : null));
      });
      child.once('error', () => {
        exitedFlag = true;
        resolvePromise(127);
      });
    });
    child.unref();
    if (child.pid === undefined) {
      await exited;
      throw new Error(`could not start ${options.command}`);
    }
    const record: PidRecord = {
      pid: child.pid,
      startTicks: await processStartTicks(child.pid),
      marker: options.marker,
      command: [options.command, ...options.args].join(' '),
      startedAt: new Date().toISOString(),
    };
    await writeFile(options.pidFile, `${JSON.stringify(record, null, 2)}\n`);
    return { pid: child.pid, exited, hasExited: () => exitedFlag };
  } finally {
    closeSync(logDescriptor);
  }
}

export async function readPidFile(pidFile: string): Promise<PidRecord | undefined> {
  try {
    return JSON.parse(await readFile(pidFile, 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}

/** Whether the process in the PID file is alive and still ours (same PID and same start time). */
export async function isRecordedProcessAlive(record: PidRecord | undefined): Promise<boolean> {
  if (!record) return false;
  try {
    process.kill(record.pid, 0);
  } catch (error) {
    // EPERM: alive but owned by another user (e.g. postgres); still compare start times below.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const startTicks = await processStartTicks(record.pid);
  // Without /proc (macOS) the PID answering signal 0 is the best evidence we have.
  if (startTicks === undefined || record.startTicks === undefined) return process.platform !== 'linux' || startTicks !== undefined;
  return startTicks === record.startTicks;
}

/** Field 22 of /proc/<pid>/stat: when the process started, immune to renamed command lines. */
export async function processStartTicks(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: count fields after it.
    const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(afterName[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

export interface StopProcessOptions {
  /** First signal; PostgreSQL wants SIGINT for a fast shutdown. */
  signal?: NodeJS.Signals;
  /** Time to wait before SIGKILL. */
  graceMs?: number;
}

/** Stops the recorded process and its whole process group; returns whether anything was running. */
export async function stopRecordedProcess(pidFile: string, options: StopProcessOptions = {}): Promise<boolean> {
  const record = await readPidFile(pidFile);
  const alive = await isRecordedProcessAlive(record);
  if (record && alive) {
    signalGroup(record.pid, options.signal ?? 'SIGTERM');
    const deadline = Date.now() + (options.graceMs ?? 30_000);
    while (Date.now() < deadline && (await isRecordedProcessAlive(record))) await sleep(200);
    if (await isRecordedProcessAlive(record)) {
      signalGroup(record.pid, 'SIGKILL');
      const killDeadline = Date.now() + 10_000;
      while (Date.now() < killDeadline && (await isRecordedProcessAlive(record))) await sleep(100);
    }
  }
  // Children that outlived their group leader (e.g. an Airflow worker) share its process group.
  if (record) signalGroup(record.pid, 'SIGKILL');
  await rm(pidFile, { force: true });
  return alive;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** The last `lines` lines of a log file, for error messages. */
export async function tailFile(path: string, lines = 40): Promise<string> {
  try {
    const text = await readFile(path, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log written)';
  }
}
