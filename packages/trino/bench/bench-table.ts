// The one table `pnpm bench` prints and writes: a row per contender and source (the live Trino, the replay
// server per protocol, and the limit of each replay), with throughput as a multiple of each peer's on the same
// source and of the limit. Pure functions (runs in, rows and text out), so the layout is unit-tested.

/** One contender's best run on one source. */
export interface BenchEntry {
  /** `live`, `replay direct`, `replay json+zstd`, … */
  source: string;
  /** A client, or `limit` (native JSON.parse of the same bytes, plus decompression). */
  contender: string;
  rowsPerSecond: number;
  megabytesPerSecond: number;
  peakRssMiB: number | undefined;
}

export interface BenchTableRow extends BenchEntry {
  /** rows/s over each peer's on the same source (> 1 is faster); undefined when the peer did not run there. */
  throughputVs: Record<string, number | undefined>;
  /** rows/s over the limit's on the same source; undefined where there is no limit (the live Trino). */
  limitRatio: number | undefined;
}

export const limitContender = 'limit';

/** `value / to`, rounded to two decimals; undefined when either is missing (or `to` is 0). */
export function roundedRatio(value: number | undefined, to: number | undefined): number | undefined {
  if (value === undefined || to === undefined || to === 0) return undefined;
  return Math.round((value / to) * 100) / 100;
}

/** The table's rows, in the order given, each with its ratios to the peers and to the limit of its own source. */
export function buildBenchTable(entries: readonly BenchEntry[], peers: readonly string[]): BenchTableRow[] {
  const find = (source: string, contender: string) => entries.find((entry) => entry.source === source && entry.contender === contender);
  return entries.map((entry) => ({
    ...entry,
    throughputVs: Object.fromEntries(peers.map((peer) => [peer, roundedRatio(entry.rowsPerSecond, find(entry.source, peer)?.rowsPerSecond)])),
    limitRatio: roundedRatio(entry.rowsPerSecond, find(entry.source, limitContender)?.rowsPerSecond),
  }));
}

function cell(value: number | string | undefined, decimals?: number): string {
  if (value === undefined) return '-';
  if (typeof value === 'string') return value;
  return decimals === undefined ? value.toLocaleString('en-US') : value.toFixed(decimals);
}

/**
 * The rows as text columns (first two left-aligned, numbers right-aligned), headers abbreviated by
 * `peerHeaders` (peer → short name), then the legend lines. Missing figures are `-`.
 */
export function renderBenchTable(rows: readonly BenchTableRow[], peerHeaders: Readonly<Record<string, string>>, legend: readonly string[] = []): string {
  const peers = Object.keys(peerHeaders);
  const header = ['source', 'contender', 'rows/s', 'MB/s', 'RSS MiB', ...peers.map((peer) => `×${peerHeaders[peer]}`), '×limit'];
  const body = rows.map((row) => [
    row.source,
    row.contender,
    cell(row.rowsPerSecond),
    cell(row.megabytesPerSecond, 1),
    cell(row.peakRssMiB),
    ...peers.map((peer) => cell(row.throughputVs[peer], 2)),
    cell(row.limitRatio, 2),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((line) => line[column]!.length)));
  const format = (line: readonly string[]) =>
    line
      .map((text, column) => (column < 2 ? text.padEnd(widths[column]!) : text.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  return [format(header), rule, ...body.map(format), rule, ...legend].join('\n');
}

/** The peers of `pnpm bench`, with their short column headers. */
export const benchPeerHeaders: Readonly<Record<string, string>> = { 'trino-client': 'tc', 'trino-python-client': 'py', 'trino-cli': 'cli' };
export const benchPeers = Object.keys(benchPeerHeaders);

export const benchLegend = [
  'rows/s, MB/s: best run; MB/s = result as JSON (live: direct-protocol pages; replay: pages + unpacked segments) / time.',
  'RSS MiB: peak RSS of the contender\'s process (GNU time). ×tc ×py ×cli: rows/s over trino-client / trino-python-client /',
  'trino-cli\'s on the same source (>1 = faster; - = not run there). ×limit: over native JSON.parse (+ decompression) of the',
  'same bytes. trino-cli: wall time incl. JVM start-up, rows not counted (output NULL); others: from connect to last row.',
];
