#!/usr/bin/env node
import { runFlowsCli } from './run-flows-cli.ts';

process.exitCode = await runFlowsCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
  env: process.env,
});
