// `pnpm bench`: decoding tpch.sf1.lineitem (6,001,215 rows) with @dataplat/trino (spooled, tuples, direct) and
// with every peer — the npm trino-client 0.2.9, trino-python-client (PyPI, pinned, fetchmany loop) and Trino's
// CLI 476 (Maven Central jar, --output-format NULL) — side by side in one run against the same real Trino,
// then each of them again on the replay server (replay-bench.ts: a recording served from memory, per
// protocol, beside the limit: native JSON.parse of the same bytes). It ends with ONE table (bench-table.ts): a
// row per contender and source, rows/s, MB/s, peak RSS, and throughput as a multiple of each peer's and of the
// limit; the same rows in .reports/bench-trino.json. Live MB/s is the size of the result as direct-protocol JSON
// divided by the time (the same for everyone). Each contender runs in its own process, measured alike
// (peers/measured-run.ts: peak RSS of the process); the order alternates per round. Live, the peers use their
// own defaults (both ask for spooling). Not a test: nothing here asserts a timing.
// Uses TRINO_URL (and TRINO_USER) if set, else starts Trino from @dataplat/stack in .dataplat/bench-stack (and
// stops it) — never let it start its own while another stack runs: same ports. Caches the CLI jar and the
// Python venv in .dataplat/bench-peers. BENCH_ROUNDS (default 2); BENCH_PEERS=node skips the Python and Java peers.
// On a loaded machine one round of all six contenders takes a quarter of an hour or more: BENCH_ROUNDS=1.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { startStack, stopStack } from '@dataplat/stack';
import { type BenchEntry, benchLegend, benchPeerHeaders, benchPeers, buildBenchTable, renderBenchTable, roundedRatio } from './bench-table.ts';
import { nodeRunnerArgs, runMeasured, type Run } from './peers/measured-run.ts';
import { ensurePythonClientVenv, pythonClientCommand, pythonClientVersion } from './peers/python-client.ts';
import { ensureTrinoCli, trinoCliCommand, type TrinoCli } from './peers/trino-cli.ts';

const rounds = Number(process.env['BENCH_ROUNDS'] ?? 2);
// BENCH_QUERY: another query for a quick check of the bench itself (the figures in the docs are the lineitem's).
const fullSql = process.env['BENCH_QUERY'] ?? 'SELECT * FROM tpch.sf1.lineitem';
const smallSql = process.env['BENCH_QUERY'] ? `SELECT * FROM (${fullSql}) LIMIT 1000` : 'SELECT * FROM tpch.sf1.lineitem LIMIT 600000';
const repositoryRoot = join(import.meta.dirname, '..', '..', '..');

const peersCacheDir = join(repositoryRoot, '.dataplat', 'bench-peers');
const nodeContenders = ['dataplat', 'dataplat-tuples', 'dataplat-direct', 'trino-client'];

interface Peers {
  python: string | undefined;
  cli: TrinoCli | undefined;
}

function runOne(contender: string, server: string, user: string, sql: string, peers?: Peers): Promise<Run> {
  if (contender === 'trino-python-client') return runMeasured(pythonClientCommand(peers!.python!, server, user, sql));
  if (contender === 'trino-cli') return runMeasured(trinoCliCommand(peers!.cli!, server, user, sql));
  return runMeasured({
    contender,
    command: process.execPath,
    args: [...nodeRunnerArgs('run-one').args, contender, server, user, sql],
    reportsItself: true,
  });
}

/** Size of the result as Trino's JSON (the same bytes every contender receives), measured once. */
function jsonBytes(server: string, user: string): number {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', `
    import { request } from 'undici';
    let bytes = 0;
    let response = await request(${JSON.stringify(server)} + '/v1/statement', { method: 'POST', body: ${JSON.stringify(fullSql)}, headers: { 'x-trino-user': ${JSON.stringify(user)} } });
    for (;;) {
      const text = await response.body.text();
      bytes += Buffer.byteLength(text);
      const next = JSON.parse(text).nextUri;
      if (!next) break;
      response = await request(next);
    }
    console.log(bytes);
  `], { encoding: 'utf8', cwd: join(repositoryRoot, 'packages', 'trino') });
  if (child.status !== 0) throw new Error(child.stderr);
  return Number(child.stdout.trim());
}

function mebibytes(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}

async function main(): Promise<void> {
  let server = process.env['TRINO_URL'];
  const user = process.env['TRINO_USER'] ?? 'dataplat';
  let stackDir: string | undefined;
  if (!server) {
    stackDir = join(repositoryRoot, '.dataplat', 'bench-stack');
    console.error('starting Trino from @dataplat/stack …');
    const stack = await startStack({ services: ['trino'], stateDir: stackDir });
    server = stack.endpoints.trino!.url;
  }
  try {
    const withPeers = process.env['BENCH_PEERS'] !== 'node';
    const peers: Peers = {
      python: withPeers ? ensurePythonClientVenv(peersCacheDir) : undefined,
      cli: withPeers ? await ensureTrinoCli(peersCacheDir) : undefined,
    };
    // The CLI's time includes starting the JVM and loading its classes from the jar: measured alone here.
    const cliStartup = peers.cli ? await runOne('trino-cli', server, user, 'SELECT 1', peers) : undefined;
    const bytes = jsonBytes(server, user);
    // dataplat: defaults (spooling negotiated, rows as objects); -tuples: rows as arrays; -direct: no spooling.
    const contenders = [...nodeContenders, ...(withPeers ? ['trino-python-client', 'trino-cli'] : [])];
    const runs: Run[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? contenders : [...contenders].reverse();
      for (const contender of order) {
        const run = await runOne(contender, server, user, fullSql, peers);
        const rss = run.peakRssBytes === undefined ? 'unmeasured' : `${(run.peakRssBytes / 2 ** 20).toFixed(0)} MiB`;
        console.error(`round ${round + 1}: ${contender} ${run.rows ?? '(uncounted)'} rows in ${(run.milliseconds / 1000).toFixed(1)} s, peak RSS ${rss}`);
        runs.push(run);
      }
    }
    // Every contender that counts rows must have read the whole result; the CLI (output NULL) counts none,
    // so its rows/s uses that same count.
    const counted = new Set(runs.flatMap((run) => (run.rows === undefined ? [] : [run.rows])));
    if (counted.size !== 1) throw new Error(`contenders disagree on the row count: ${[...counted].join(', ')}`);
    const resultRows = [...counted][0]!;
    // Peak RSS of the same client at a tenth of the rows: streaming means about the same memory.
    const smallSpooled = await runOne('dataplat', server, user, smallSql);
    const smallDirect = await runOne('dataplat-direct', server, user, smallSql);

    const best = (contender: string) => runs.filter((run) => run.contender === contender).reduce((fastest, run) => (run.milliseconds < fastest.milliseconds ? run : fastest));
    const summary = contenders.map((contender) => {
      const run = best(contender);
      return {
        contender,
        rows: run.rows ?? resultRows,
        seconds: Number((run.milliseconds / 1000).toFixed(2)),
        rowsPerSecond: Math.round((run.rows ?? resultRows) / (run.milliseconds / 1000)),
        megabytesPerSecond: Number((bytes / 1e6 / (run.milliseconds / 1000)).toFixed(1)),
        peakRssMiB: run.peakRssBytes === undefined ? undefined : Math.round(run.peakRssBytes / 2 ** 20),
        rssSource: run.rssSource,
      };
    });
    const peerNames = contenders.filter((contender) => !contender.startsWith('dataplat'));
    const results = summary.map((entry) => ({
      ...entry,
      // Throughput (rows/s) and peak RSS as a multiple of each peer's: > 1 is faster, resp. more memory.
      throughputVs: Object.fromEntries(peerNames.map((peer) => [peer, roundedRatio(entry.rowsPerSecond, summary.find((other) => other.contender === peer)!.rowsPerSecond)])),
      rssVs: Object.fromEntries(peerNames.map((peer) => [peer, roundedRatio(entry.peakRssMiB, summary.find((other) => other.contender === peer)!.peakRssMiB)])),
    }));
    const require = createRequire(join(import.meta.dirname, '..', 'package.json'));
    const report = {
      query: fullSql,
      server,
      runner: nodeRunnerArgs('run-one').runner,
      jsonMegabytes: Number((bytes / 1e6).toFixed(0)),
      rounds,
      peers: {
        'trino-client': (JSON.parse(readFileSync(require.resolve('trino-client/package.json'), 'utf8')) as { version: string }).version,
        ...(peers.python ? { 'trino-python-client': pythonClientVersion(peers.python) } : {}),
        ...(peers.cli ? { 'trino-cli': `476 on Java ${peers.cli.javaVersion} (wall time includes JVM start-up; rows not counted by the CLI)` } : {}),
      },
      // Wall time of the CLI answering SELECT 1: its start-up, included in its lineitem time.
      ...(cliStartup ? { trinoCliStartupSeconds: Number((cliStartup.milliseconds / 1000).toFixed(2)) } : {}),
      results,
      constantMemory: {
        spooled: { rows600k: mebibytes(smallSpooled.peakRssBytes!), rows6M: mebibytes(best('dataplat').peakRssBytes!) },
        direct: { rows600k: mebibytes(smallDirect.peakRssBytes!), rows6M: mebibytes(best('dataplat-direct').peakRssBytes!) },
      },
    };
    if (cliStartup) console.error(`trino-cli start-up (SELECT 1, included in its time): ${(cliStartup.milliseconds / 1000).toFixed(1)} s`);

    // The replay section (the same result served from a recording to every client that can be pointed at it,
    // and "the limit": native JSON.parse of the same bytes) adds its sections to `report` and its rows to the table.
    const { entries: replayEntries, ...replaySections } = await (await import('./replay-bench.ts')).runReplayBench({ server, user, live: report, peers });
    const liveEntries: BenchEntry[] = summary.map((entry) => ({ source: 'live', contender: entry.contender, rowsPerSecond: entry.rowsPerSecond, megabytesPerSecond: entry.megabytesPerSecond, peakRssMiB: entry.peakRssMiB }));
    const table = buildBenchTable([...liveEntries, ...replayEntries], benchPeers);
    Object.assign(report, replaySections, { table });

    mkdirSync(join(repositoryRoot, '.reports'), { recursive: true });
    // A quick check with BENCH_QUERY leaves the lineitem report alone.
    const reportPath = join(repositoryRoot, '.reports', process.env['BENCH_QUERY'] ? 'bench-trino-check.json' : 'bench-trino.json');
    writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    // The one table: every contender on every source, the limits included.
    console.log(`\n${fullSql} live (${rounds} round${rounds === 1 ? '' : 's'}); replay: ${(report as { replay?: { query?: string } }).replay?.query ?? ''}`);
    console.log(renderBenchTable(table, benchPeerHeaders, benchLegend));
    if (cliStartup) console.log(`trino-cli start-up (SELECT 1 on the live Trino), included in each of its times: ${(cliStartup.milliseconds / 1000).toFixed(1)} s`);
    for (const line of Object.entries((report as { memoryGoal?: Record<string, string> }).memoryGoal ?? {})) console.log(`memory goal (${line[0]}): ${line[1]}`);
    console.log(`report: ${reportPath}`);
  } finally {
    if (stackDir) await stopStack({ stateDir: stackDir });
  }
}

await main();
