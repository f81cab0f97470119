// The replay section of `pnpm bench`: isolates each client's decoding from Trino. One query is recorded
// from the real Trino once per protocol (direct pages; spooled segments as json, json+zstd, json+lz4),
// served again from memory by a local replay server (same headers, same nextUri chain), and each client's
// throughput is compared with the limit: Node's native JSON.parse of the same bytes (plus decompression),
// measured in a Node contender's process. Goals (issue 19): rows as arrays ≥ 0.7× the limit, rows as
// objects with exact bigint/decimal ≥ 0.5×. Every peer that can be pointed at an HTTP server takes part:
// trino-client (npm) on the direct replay (it does not speak the spooling protocol), trino-python-client and
// the Trino CLI on every replay, asking for the recorded encoding. Each contender runs in its own process
// (peers/measured-run.ts: peak RSS by GNU time). It also prints issue 19's memory goal (≤150 MB: met/not
// met) from the live section's peak RSS figures. REPLAY_ROWS (default 600000), REPLAY_TRIES (default 3).
//   TRINO_URL=http://127.0.0.1:18081 node --conditions=@dataplat/source bench/replay-bench.ts
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchEntry, benchLegend, benchPeerHeaders, benchPeers, buildBenchTable, renderBenchTable } from './bench-table.ts';
import { nodeRunnerArgs, runMeasured, type Run } from './peers/measured-run.ts';
import { ensurePythonClientVenv, pythonClientCommand } from './peers/python-client.ts';
import { ensureTrinoCli, trinoCliCommand, type TrinoCli } from './peers/trino-cli.ts';
import { recordQuery } from './replay/replay-recording.ts';
import { startReplayServer } from './replay/replay-server.ts';

const repositoryRoot = join(import.meta.dirname, '..', '..', '..');
const reportFile = join(repositoryRoot, '.reports', 'bench-trino.json');
const nodeContenders = new Set(['dataplat', 'dataplat-tuples', 'trino-client']);

export interface ReplayResult {
  protocol: string;
  contender: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  megabytesPerSecond: number;
  peakRssMiB: number | undefined;
  /** rows/s over the limit's on the same recording (the limit row: the fastest of the Node processes'; itself: 1). */
  ratioToLimit: number;
  /** Node contenders: over the limit measured in their own process, alternating with them (what the goals judge). */
  ratioToOwnLimit: number | undefined;
  goal: string;
}

/** The Python client and the CLI, when the live section set them up. */
export interface ReplayPeers {
  python: string | undefined;
  cli: TrinoCli | undefined;
}

/** A Node contender on the replay (replay-run.ts): throughput and, in the same process, the native-parse limit. */
function replayRunCommand(contender: string, origin: string, tries: number, clientOnly: boolean) {
  return {
    contender,
    command: process.execPath,
    args: [...nodeRunnerArgs('replay-run').args, contender, origin, String(tries), ...(clientOnly ? ['client-only'] : [])],
    reportsItself: true,
  };
}

async function measured(run: Promise<Run>, what: string): Promise<Run> {
  try {
    return await run;
  } catch (error) {
    throw new Error(`${what} on the replay failed: ${(error as Error).message}`);
  }
}

interface ReplayMeasurement {
  contender: string;
  rows: number | undefined;
  milliseconds: number;
  peakRssBytes: number | undefined;
  /** Set for the Node contenders: the limit's best time and the JSON bytes it parsed. */
  limitMilliseconds?: number;
  jsonBytes?: number;
}

/**
 * One contender on the loaded recording. Node contenders: best of `tries` in one process (alternating with the
 * limit), then a client-only run for the peak RSS (the limit holds every recorded body in memory). The Python
 * client and the CLI: `tries` runs, the fastest kept with its peak RSS; the CLI's time includes the JVM's start.
 */
async function measureOnReplay(contender: string, origin: string, tries: number, encoding: string | false, peers: ReplayPeers): Promise<ReplayMeasurement> {
  if (nodeContenders.has(contender)) {
    const timed = await measured(runMeasured(replayRunCommand(contender, origin, tries, false)), contender);
    const memory = await measured(runMeasured(replayRunCommand(contender, origin, 1, true)), `${contender} (client only)`);
    const reported = timed.reported as { limitMilliseconds: number; jsonBytes: number };
    return { contender, rows: timed.rows, milliseconds: timed.milliseconds, peakRssBytes: memory.peakRssBytes, limitMilliseconds: reported.limitMilliseconds, jsonBytes: reported.jsonBytes };
  }
  const command =
    contender === 'trino-python-client'
      ? pythonClientCommand(peers.python!, origin, 'replay', 'replay', encoding)
      : trinoCliCommand(peers.cli!, origin, 'replay', 'replay', encoding === false ? undefined : encoding);
  let best: Run | undefined;
  for (let attempt = 0; attempt < tries; attempt++) {
    const run = await measured(runMeasured(command), contender);
    if (!best || run.milliseconds < best.milliseconds) best = run;
  }
  return { contender, rows: best!.rows, milliseconds: best!.milliseconds, peakRssBytes: best!.peakRssBytes };
}

function goalOf(contender: string, ratio: number): string {
  if (contender === 'dataplat-tuples') return `≥0.7×: ${ratio >= 0.7 ? 'met' : 'not met'}`;
  if (contender === 'dataplat') return `≥0.5×: ${ratio >= 0.5 ? 'met' : 'not met'}`;
  return contender === 'limit' ? 'limit' : 'peer';
}

interface MemoryFigures {
  constantMemory?: Record<string, { rows600k: number; rows6M: number }>;
}

/** Issue 19's memory goal from the live section's peak RSS figures: ≤ 150 MB, and 600k vs 6M rows within 10%. */
function memoryGoal(live: MemoryFigures | undefined): Record<string, string> | undefined {
  if (!live?.constantMemory) return undefined;
  const verdicts: Record<string, string> = {};
  for (const [protocol, { rows600k, rows6M }] of Object.entries(live.constantMemory)) {
    const peakMegabytes = Math.round((Math.max(rows600k, rows6M) * 2 ** 20) / 1e6);
    const flat = Math.abs(rows6M - rows600k) / rows600k <= 0.1;
    verdicts[protocol] = `peak ${peakMegabytes} MB — ≤150 MB: ${peakMegabytes <= 150 ? 'met' : 'not met'}; 600k vs 6M rows within 10% (${rows600k} vs ${rows6M} MiB): ${flat ? 'met' : 'not met'}`;
    console.error(`memory (${protocol}): ${verdicts[protocol]}`);
  }
  return verdicts;
}

/**
 * Records, replays and measures. `live` is the live section's report (for the memory goal's verdicts); `peers`
 * the Python client and CLI when set up. Returns the sections to add to the bench's report (`replay`,
 * `memoryGoal`) and the table's entries (source `replay <protocol>`, the limit included).
 */
export async function runReplayBench(options: { server: string; user: string; rows?: number; tries?: number; live?: MemoryFigures; peers?: ReplayPeers }): Promise<{
  replay: unknown;
  memoryGoal: Record<string, string> | undefined;
  entries: BenchEntry[];
}> {
  const rowCount = options.rows ?? Number(process.env['REPLAY_ROWS'] ?? 600_000);
  const tries = options.tries ?? Number(process.env['REPLAY_TRIES'] ?? 3);
  const peers = options.peers ?? { python: undefined, cli: undefined };
  const sql = `SELECT * FROM tpch.sf1.lineitem LIMIT ${rowCount}`;
  const spoolingPeers = [...(peers.python ? ['trino-python-client'] : []), ...(peers.cli ? ['trino-cli'] : [])];
  // trino-client (npm) does not speak the spooling protocol: the direct replay only. The Python client (0.340,
  // `encoding=`) and the CLI (476, `--encoding`) ask for the very encoding that was recorded.
  const protocols: Array<{ protocol: string; encoding: string | false; contenders: string[] }> = [
    { protocol: 'direct', encoding: false, contenders: ['dataplat', 'dataplat-tuples', 'trino-client', ...spoolingPeers] },
    { protocol: 'json', encoding: 'json', contenders: ['dataplat', 'dataplat-tuples', ...spoolingPeers] },
    { protocol: 'json+zstd', encoding: 'json+zstd', contenders: ['dataplat', 'dataplat-tuples', ...spoolingPeers] },
    { protocol: 'json+lz4', encoding: 'json+lz4', contenders: ['dataplat', 'dataplat-tuples', ...spoolingPeers] },
  ];
  const replay = await startReplayServer();
  const results: ReplayResult[] = [];
  try {
    for (const { protocol, encoding, contenders } of protocols) {
      console.error(`replay: recording ${sql} (${protocol}) …`);
      const recording = await recordQuery({ server: options.server, user: options.user, sql, encoding, origin: replay.origin });
      if (encoding !== false && recording.negotiatedEncoding !== encoding) throw new Error(`Trino answered ${encoding} with ${recording.negotiatedEncoding ?? 'direct pages'}: is spooling enabled?`);
      replay.load(recording);
      const measurements: ReplayMeasurement[] = [];
      for (const contender of contenders) {
        const measurement = await measureOnReplay(contender, replay.origin, tries, encoding, peers);
        // The CLI (output NULL) counts no rows; every other contender must have read the whole recording.
        if (measurement.rows !== undefined && measurement.rows !== recording.rows) throw new Error(`${contender} read ${measurement.rows} rows of the replay, the recording holds ${recording.rows}`);
        measurements.push(measurement);
        console.error(`replay ${protocol}: ${contender} ${(measurement.milliseconds / 1000).toFixed(2)} s`);
      }
      // The limit: the fastest native parse any Node contender's process measured on this recording.
      const limit = measurements.filter((measurement) => measurement.limitMilliseconds !== undefined).reduce((fastest, measurement) => (measurement.limitMilliseconds! < fastest.limitMilliseconds! ? measurement : fastest));
      const jsonBytes = limit.jsonBytes!;
      for (const measurement of [...measurements, { contender: 'limit', rows: recording.rows, milliseconds: limit.limitMilliseconds!, peakRssBytes: undefined } as ReplayMeasurement]) {
        const seconds = measurement.milliseconds / 1000;
        const ratio = Math.round((limit.limitMilliseconds! / measurement.milliseconds) * 100) / 100;
        const ownRatio = measurement.limitMilliseconds === undefined ? undefined : Math.round((measurement.limitMilliseconds / measurement.milliseconds) * 100) / 100;
        results.push({
          protocol,
          contender: measurement.contender,
          rows: recording.rows,
          seconds: Number(seconds.toFixed(2)),
          rowsPerSecond: Math.round(recording.rows / seconds),
          megabytesPerSecond: Number((jsonBytes / 1e6 / seconds).toFixed(1)),
          peakRssMiB: measurement.peakRssBytes === undefined ? undefined : Math.round(measurement.peakRssBytes / 2 ** 20),
          ratioToLimit: ratio,
          ratioToOwnLimit: ownRatio,
          goal: goalOf(measurement.contender, ownRatio ?? ratio),
        });
      }
    }
  } finally {
    await replay.close();
  }
  for (const result of results) if (result.goal.startsWith('≥')) console.error(`goal (replay ${result.protocol}, ${result.contender}): ${result.ratioToOwnLimit}× the limit in its own process, ${result.goal}`);
  const replaySection = {
    query: sql,
    tries,
    runner: nodeRunnerArgs('replay-run').runner,
    limit: "Node's JSON.parse of the same bytes, plus zstd/lz4 decompression for segments, in a Node contender's process (best of the tries, fastest process)",
    megabytes: 'JSON bytes of the recording (pages, and segments decompressed) over the time',
    peakRss: 'GNU time of a client-only run for the Node contenders (the limit holds the recording in memory), of the fastest run for the Python client and the CLI',
    notReplayed: 'trino-client (npm) does not speak the spooling protocol, so it runs on the direct replay only',
    results,
  };
  const entries: BenchEntry[] = results.map((result) => ({
    source: `replay ${result.protocol}`,
    contender: result.contender,
    rowsPerSecond: result.rowsPerSecond,
    megabytesPerSecond: result.megabytesPerSecond,
    peakRssMiB: result.peakRssMiB,
  }));
  return { replay: replaySection, memoryGoal: memoryGoal(options.live), entries };
}

// Alone: adds its sections and its table (replay rows only) to the existing .reports/bench-trino.json (or starts
// one). The Python client and the CLI take part unless BENCH_PEERS=node (set up as the live section does).
if (import.meta.main) {
  const server = process.env['TRINO_URL'];
  if (!server) throw new Error('Set TRINO_URL (e.g. http://127.0.0.1:18081) to run the replay section alone.');
  const report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as Record<string, unknown> & MemoryFigures) : {};
  const peersCacheDir = join(repositoryRoot, '.dataplat', 'bench-peers');
  const withPeers = process.env['BENCH_PEERS'] !== 'node';
  const peers = { python: withPeers ? ensurePythonClientVenv(peersCacheDir) : undefined, cli: withPeers ? await ensureTrinoCli(peersCacheDir) : undefined };
  const { entries, ...sections } = await runReplayBench({ server, user: process.env['TRINO_USER'] ?? 'dataplat', live: report, peers });
  const table = buildBenchTable(entries, benchPeers);
  console.log(renderBenchTable(table, benchPeerHeaders, benchLegend));
  Object.assign(report, sections, { replayTable: table });
  mkdirSync(join(repositoryRoot, '.reports'), { recursive: true });
  writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
}
