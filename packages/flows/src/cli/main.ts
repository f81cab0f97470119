#!/usr/bin/env node
// The `flows` executable: runs the CLI with the real process streams, terminal and environment. On
// SIGINT/SIGTERM a command that holds the apply lock is interrupted: it stops before its next step and
// releases the lock; if it hasn't ended a few seconds later (a long NiFi request), or on a second
// signal, the locks are released here and the process exits. Without a lock held, it exits at once.
import { DataplatError } from '@dataplat/core/errors';
import { holdsLocks, releaseHeldLocks } from '../deploy/held-locks.ts';
import { commandDirectory } from './io.ts';
import { runFlowsCli } from './run-flows-cli.ts';

const interrupt = new AbortController();
const exitCodes = { SIGINT: 130, SIGTERM: 143 } as const;
const gracePeriodMs = 5000;

let received: keyof typeof exitCodes | undefined;

function onSignal(signal: keyof typeof exitCodes): void {
  const exitNow = () => void releaseHeldLocks().finally(() => process.exit(exitCodes[signal]));
  if (received || !holdsLocks()) return exitNow();
  received = signal;
  interrupt.abort(new DataplatError({ code: 'FLOWS_INTERRUPTED', message: `Interrupted (${signal}): stopped before the next step; the apply lock is released.`, hint: 'Run the command again: what was applied so far converges.' }));
  setTimeout(exitNow, gracePeriodMs).unref();
}
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));

const exitCode = await runFlowsCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: Boolean(process.stderr.isTTY),
  cwd: commandDirectory(process.env, process.cwd()),
  env: process.env,
  stdin: () => process.stdin,
  signal: interrupt.signal,
});
await releaseHeldLocks();
process.exitCode = received ? exitCodes[received] : exitCode;
