// `pnpm bench`: decoding tpch.sf1.lineitem (6,001,215 rows) with @dataplat/trino and with the npm
// trino-client 0.2.9, side by side in one run against the same real Trino, reported as ratios.
// MB/s is the size of the result as direct-protocol JSON divided by the time (the same for everyone).
// Each contender runs in its own process (peak RSS is per process); the order alternates per round.
// Uses TRINO_URL if set, else starts Trino from @dataplat/stack in .dataplat/bench-stack (and stops it).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, stopStack } from '@dataplat/stack';

const rounds = Number(process.env['BENCH_ROUNDS'] ?? 2);
const fullSql = 'SELECT * FROM tpch.sf1.lineitem';
const smallSql = 'SELECT * FROM tpch.sf1.lineitem LIMIT 600000';
const repositoryRoot = join(import.meta.dirname, '..', '..', '..');

interface Run {
  contender: string;
  rows: number;
  milliseconds: number;
  peakRssBytes: number;
}

function runOne(contender: string, server: string, user: string, sql: string): Run {
  const child = spawnSync(process.execPath, ['--conditions=@dataplat/source', join(import.meta.dirname, 'run-one.ts'), contender, server, user, sql], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`${contender} failed:\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Run;
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
    const bytes = jsonBytes(server, user);
    // dataplat: defaults (spooling negotiated, rows as objects); -tuples: rows as arrays; -direct: no spooling.
    const contenders = ['dataplat', 'dataplat-tuples', 'dataplat-direct', 'trino-client'];
    const runs: Run[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? contenders : [...contenders].reverse();
      for (const contender of order) {
        const run = runOne(contender, server, user, fullSql);
        console.error(`round ${round + 1}: ${contender} ${run.rows} rows in ${(run.milliseconds / 1000).toFixed(1)} s, peak RSS ${(run.peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
        runs.push(run);
      }
    }
    // Peak RSS of the same client at a tenth of the rows: streaming means about the same memory.
    const smallSpooled = runOne('dataplat', server, user, smallSql);
    const smallDirect = runOne('dataplat-direct', server, user, smallSql);

    const best = (contender: string) => runs.filter((run) => run.contender === contender).reduce((fastest, run) => (run.milliseconds < fastest.milliseconds ? run : fastest));
    const summary = contenders.map((contender) => {
      const run = best(contender);
      return {
        contender,
        rows: run.rows,
        seconds: run.milliseconds / 1000,
        rowsPerSecond: Math.round(run.rows / (run.milliseconds / 1000)),
        megabytesPerSecond: Number((bytes / 1e6 / (run.milliseconds / 1000)).toFixed(1)),
        peakRssMiB: Math.round(run.peakRssBytes / 2 ** 20),
      };
    });
    const peer = summary.find((entry) => entry.contender === 'trino-client')!;
    const report = {
      query: fullSql,
      jsonMegabytes: Number((bytes / 1e6).toFixed(0)),
      rounds,
      results: summary.map((entry) => ({ ...entry, throughputVsTrinoClient: Number((entry.rowsPerSecond / peer.rowsPerSecond).toFixed(2)), rssVsTrinoClient: Number((entry.peakRssMiB / peer.peakRssMiB).toFixed(2)) })),
      constantMemory: {
        spooled: { rows600k: mebibytes(smallSpooled.peakRssBytes), rows6M: mebibytes(best('dataplat').peakRssBytes) },
        direct: { rows600k: mebibytes(smallDirect.peakRssBytes), rows6M: mebibytes(best('dataplat-direct').peakRssBytes) },
      },
    };
    console.table(report.results);
    console.log(JSON.stringify(report, null, 2));
    mkdirSync(join(repositoryRoot, '.reports'), { recursive: true });
    writeFileSync(join(repositoryRoot, '.reports', 'bench-trino.json'), `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    if (stackDir) await stopStack({ stateDir: stackDir });
  }
}

await main();
