// Runs one bench contender as a child process and measures it the same way for every contender: peak RSS is
// the terminated child's ru_maxrss as GNU time reports it (%M), when /usr/bin/time is GNU time; otherwise
// what the contender reports about itself (Node's resourceUsage, Python's getrusage; the Java CLI reports nothing).
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataplatError } from '@dataplat/core';

export interface Run {
  contender: string;
  /** Rows the contender counted; undefined when it cannot count them (the CLI with --output-format NULL). */
  rows: number | undefined;
  milliseconds: number;
  peakRssBytes: number | undefined;
  /** How peakRssBytes was measured. */
  rssSource: 'gnu-time' | 'self-reported' | 'unmeasured';
  /** The contender's own JSON line, whole (a replay run adds its limit's time and bytes). */
  reported: Record<string, unknown> | undefined;
}

export interface ContenderCommand {
  contender: string;
  command: string;
  args: string[];
  cwd?: string | undefined;
  /**
   * Whether the child prints its own JSON line { rows, milliseconds, peakRssBytes }; when not, the wall time
   * of the whole process is taken (start-up included) and rows stay unknown.
   */
  reportsItself: boolean;
}

let gnuTimeAvailable: boolean | undefined;

/** GNU time's `-f %M` is the child's peak RSS in KiB; BSD time (macOS) has no -f. */
export function hasGnuTime(): boolean {
  gnuTimeAvailable ??= spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;
  return gnuTimeAvailable;
}

/**
 * Runs the contender to its end without blocking this process (the replay server answering the contender may
 * run in it).
 */
export async function runMeasured(contender: ContenderCommand): Promise<Run> {
  const scratch = mkdtempSync(join(tmpdir(), 'dataplat-bench-'));
  const rssFile = join(scratch, 'peak-rss-kib');
  const wrapped = hasGnuTime() ? { command: '/usr/bin/time', args: ['-f', '%M', '-o', rssFile, contender.command, ...contender.args] } : contender;
  try {
    const started = performance.now();
    let stdout: string;
    try {
      ({ stdout } = await promisify(execFile)(wrapped.command, wrapped.args, { encoding: 'utf8', maxBuffer: 16 << 20, cwd: contender.cwd }));
    } catch (error) {
      const failure = error as { code?: number | string; signal?: string; stderr?: string; message: string };
      throw new DataplatError({
        code: 'BENCH_CONTENDER_FAILED',
        message: `${contender.contender} exited with ${failure.code ?? failure.signal}:\n${(failure.stderr ?? failure.message).slice(-4000)}`,
        hint: 'Run the command by hand to see the whole output; the bench needs the Trino (or replay server) it was given to answer.',
      });
    }
    const wallMilliseconds = performance.now() - started;
    const measuredRss = hasGnuTime() ? Number(readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)) * 1024 : undefined;
    if (!contender.reportsItself) {
      return { contender: contender.contender, rows: undefined, milliseconds: wallMilliseconds, peakRssBytes: measuredRss, rssSource: measuredRss === undefined ? 'unmeasured' : 'gnu-time', reported: undefined };
    }
    const reported = JSON.parse(stdout.trim().split('\n').at(-1)!) as { rows: number; milliseconds: number; peakRssBytes: number } & Record<string, unknown>;
    return {
      contender: contender.contender,
      rows: reported.rows,
      milliseconds: reported.milliseconds,
      peakRssBytes: measuredRss ?? reported.peakRssBytes,
      rssSource: measuredRss === undefined ? 'self-reported' : 'gnu-time',
      reported,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Node's arguments for one of the bench's Node runners (`run-one`, `replay-run`): the plain-JavaScript runner
 * of the built package (dist/, as users run it; no --conditions, no type stripping to measure).
 */
export function nodeRunnerArgs(name: 'run-one' | 'replay-run'): { args: string[]; runner: string } {
  return { args: [join(import.meta.dirname, '..', `${name}.mjs`)], runner: `${name}.mjs (built dist/)` };
}
