#!/usr/bin/env node
// dataplat-stack up|down|status|logs [service…]: real NiFi, Airflow, Trino and PostgreSQL on localhost.
import { runStackCli } from './run-stack-cli.ts';

process.exitCode = await runStackCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: Boolean(process.stdout.isTTY),
});
