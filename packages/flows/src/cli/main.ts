#!/usr/bin/env node
// The `flows` executable: runs the CLI with the real process streams, terminal and environment.
import { commandDirectory } from './io.ts';
import { runFlowsCli } from './run-flows-cli.ts';

process.exitCode = await runFlowsCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: Boolean(process.stderr.isTTY),
  cwd: commandDirectory(process.env, process.cwd()),
  env: process.env,
});
