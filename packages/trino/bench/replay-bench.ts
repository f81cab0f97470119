// The replay section of `pnpm bench`: isolates each client's decoding from Trino. One query is recorded
// from the real Trino once per protocol (direct pages; spooled segments as json, json+zstd, json+lz4),
// served again from memory by a local replay server (same headers, same nextUri chain), and each client's
// throughput is compared with the limit: Node's native JSON.parse of the same bytes (plus decompression),
// measured in the same process as the client. Goals (issue 19): rows as arrays ≥ 0.7× the limit, rows as
// objects with exact bigint/decimal ≥ 0.5×. Peers that can be pointed at an HTTP server take part:
// trino-client (npm) on the direct replay (it does not speak the spooling protocol). The Trino CLI and
// trino-python-client can be pointed at the replay origin too (http, host, port); they run only where
// installed, which the live section's peers set up. It also prints issue 19's memory goal (≤150 MB: met/not
// met) from the live section's peak RSS figures. REPLAY_ROWS (default 600000), REPLAY_TRIES (default 3).
//   TRINO_URL=http://127.0.0.1:18081 node --conditions=@dataplat/source bench/replay-bench.ts
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordQuery } from './replay/replay-recording.ts';
import { startReplayServer } from './replay/replay-server.ts';

const repositoryRoot = join(import.meta.dirname, '..', '..', '..');
const reportFile = join(repositoryRoot, '.reports', 'bench-trino.json');

interface ReplayRun {
  contender: string;
  rows: number;
  milliseconds: number;
  limitMilliseconds: number;
  jsonBytes: number;
}

export interface ReplayResult {
  protocol: string;
  contender: string;
  rows: number;
  rowsPerSecond: number;
  megabytesPerSecond: number;
  limitRowsPerSecond: number;
  limitMegabytesPerSecond: number;
  ratioToLimit: number;
  goal: string;
}

/** In a child process, asynchronously: the replay server runs in this one and must keep answering. */
async function runContender(contender: string, origin: string, tries: number): Promise<ReplayRun> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=@dataplat/source', join(import.meta.dirname, 'replay-run.ts'), contender, origin, String(tries)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as ReplayRun;
  } catch (error) {
    throw new Error(`${contender} on the replay failed:\n${(error as { stderr?: string }).stderr ?? String(error)}`);
  }
}

function goalOf(contender: string, ratio: number): string {
  if (contender === 'dataplat-tuples') return `≥0.7×: ${ratio >= 0.7 ? 'met' : 'not met'}`;
  if (contender === 'dataplat') return `≥0.5×: ${ratio >= 0.5 ? 'met' : 'not met'}`;
  return 'peer';
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
 * Records, replays and measures. `live` is the live section's report (for the memory goal's verdicts).
 * Returns the sections to add to the bench's report: `replay` and `memoryGoal`.
 */
export async function runReplayBench(options: { server: string; user: string; rows?: number; tries?: number; live?: MemoryFigures }): Promise<{ replay: unknown; memoryGoal: Record<string, string> | undefined }> {
  const rowCount = options.rows ?? Number(process.env['REPLAY_ROWS'] ?? 600_000);
  const tries = options.tries ?? Number(process.env['REPLAY_TRIES'] ?? 3);
  const sql = `SELECT * FROM tpch.sf1.lineitem LIMIT ${rowCount}`;
  const protocols: Array<{ protocol: string; encoding: string | false; contenders: string[] }> = [
    { protocol: 'direct', encoding: false, contenders: ['dataplat', 'dataplat-tuples', 'trino-client'] },
    { protocol: 'spooled json', encoding: 'json', contenders: ['dataplat', 'dataplat-tuples'] },
    { protocol: 'spooled json+zstd', encoding: 'json+zstd', contenders: ['dataplat', 'dataplat-tuples'] },
    { protocol: 'spooled json+lz4', encoding: 'json+lz4', contenders: ['dataplat', 'dataplat-tuples'] },
  ];
  const replay = await startReplayServer();
  const results: ReplayResult[] = [];
  try {
    for (const { protocol, encoding, contenders } of protocols) {
      console.error(`replay: recording ${sql} (${protocol}) …`);
      const recording = await recordQuery({ server: options.server, user: options.user, sql, encoding, origin: replay.origin });
      if (encoding !== false && recording.negotiatedEncoding !== encoding) throw new Error(`Trino answered ${encoding} with ${recording.negotiatedEncoding ?? 'direct pages'}: is spooling enabled?`);
      replay.load(recording);
      for (const contender of contenders) {
        const run = await runContender(contender, replay.origin, tries);
        const seconds = run.milliseconds / 1000;
        const limitSeconds = run.limitMilliseconds / 1000;
        const ratio = Number((run.limitMilliseconds / run.milliseconds).toFixed(2));
        results.push({
          protocol,
          contender,
          rows: run.rows,
          rowsPerSecond: Math.round(run.rows / seconds),
          megabytesPerSecond: Number((run.jsonBytes / 1e6 / seconds).toFixed(1)),
          limitRowsPerSecond: Math.round(run.rows / limitSeconds),
          limitMegabytesPerSecond: Number((run.jsonBytes / 1e6 / limitSeconds).toFixed(1)),
          ratioToLimit: ratio,
          goal: goalOf(contender, ratio),
        });
        console.error(`replay ${protocol}: ${contender} ${results.at(-1)!.rowsPerSecond} rows/s, ${ratio}× the native-parse limit (${results.at(-1)!.goal})`);
      }
    }
  } finally {
    await replay.close();
  }
  console.table(results);
  const replaySection = {
    query: sql,
    tries,
    limit: "Node's JSON.parse of the same bytes, plus zstd/lz4 decompression for segments, in the client's process (best of the tries)",
    notReplayed: 'trino-client (npm) does not speak the spooling protocol, so it runs on the direct replay only; the Trino CLI and trino-python-client could be pointed at the replay origin (http, host, port) but are not run here',
    results,
  };
  return { replay: replaySection, memoryGoal: memoryGoal(options.live) };
}

// Alone: adds its sections to the existing .reports/bench-trino.json (or starts one).
if (import.meta.main) {
  const server = process.env['TRINO_URL'];
  if (!server) throw new Error('Set TRINO_URL (e.g. http://127.0.0.1:18081) to run the replay section alone.');
  const report = existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as Record<string, unknown> & MemoryFigures) : {};
  Object.assign(report, await runReplayBench({ server, user: process.env['TRINO_USER'] ?? 'dataplat', live: report }));
  mkdirSync(join(repositoryRoot, '.reports'), { recursive: true });
  writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
}
