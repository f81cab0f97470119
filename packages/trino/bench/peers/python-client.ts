// The trino-python-client peer of `pnpm bench`: a venv under .dataplat/bench-peers made with the machine's
// python3 and filled from PyPI with --require-hashes (requirements.txt beside this file), reused while the
// requirements are unchanged, and the command that runs python_client_bench.py in it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataplatError } from '@dataplat/core';
import type { ContenderCommand } from './measured-run.ts';

const requirementsFile = join(import.meta.dirname, 'requirements.txt');

function run(command: string, args: string[], what: string): string {
  const child = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (child.error || child.status !== 0) {
    throw new DataplatError({
      code: 'BENCH_PYTHON_SETUP_FAILED',
      message: `${what} failed (${command} ${args.join(' ')}): ${child.error?.message ?? child.stderr.slice(-2000)}`,
      hint: 'The bench needs python3 with its venv module (Debian: apt-get install python3-venv) and access to PyPI; set BENCH_PYTHON to another interpreter.',
    });
  }
  return child.stdout;
}

/** Creates (or reuses) the venv and returns the path of its python. */
export function ensurePythonClientVenv(cacheDir: string): string {
  const venv = join(cacheDir, 'python-venv');
  const python = join(venv, 'bin', 'python');
  const marker = join(venv, 'requirements.sha256');
  const wanted = createHash('sha256').update(readFileSync(requirementsFile)).digest('hex');
  if (existsSync(python) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === wanted) return python;
  const interpreter = process.env['BENCH_PYTHON'] ?? 'python3';
  console.error(`bench: creating the trino-python-client venv in ${venv} (${run(interpreter, ['--version'], 'python3 --version').trim()}) …`);
  run(interpreter, ['-m', 'venv', '--clear', venv], 'python3 -m venv');
  run(python, ['-m', 'pip', 'install', '--quiet', '--require-hashes', '--only-binary=:all:', '-r', requirementsFile], 'pip install --require-hashes');
  writeFileSync(marker, `${wanted}\n`);
  return python;
}

/** `encoding`: undefined = the client's default (spooling), false = the direct protocol, else the encoding to ask for. */
export function pythonClientCommand(python: string, server: string, user: string, sql: string, encoding?: string | false): ContenderCommand {
  const encodingArgument = encoding === undefined ? [] : [encoding === false ? 'direct' : encoding];
  return { contender: 'trino-python-client', command: python, args: [join(import.meta.dirname, 'python_client_bench.py'), server, user, sql, ...encodingArgument], reportsItself: true };
}

/** The installed client's version, for the report. */
export function pythonClientVersion(python: string): string {
  return run(python, ['-c', 'import importlib.metadata as m; print(m.version("trino"))'], 'reading the trino version').trim();
}
