// The bench's one table from its runs (bench-table.ts): ratios to each peer and to the limit within a source,
// rounded; a peer or limit absent from a source shows as '-'. Pure layout: no timing is run or asserted.
import { describe, expect, it } from 'vitest';
import { type BenchEntry, buildBenchTable, renderBenchTable, roundedRatio } from './bench-table.ts';

const peers = ['trino-client', 'trino-python-client'];
const entries: BenchEntry[] = [
  { source: 'live', contender: 'dataplat', rowsPerSecond: 300_000, megabytesPerSecond: 60.25, peakRssMiB: 90 },
  { source: 'live', contender: 'trino-client', rowsPerSecond: 200_000, megabytesPerSecond: 40, peakRssMiB: 120 },
  { source: 'live', contender: 'trino-python-client', rowsPerSecond: 70_000, megabytesPerSecond: 14, peakRssMiB: undefined },
  { source: 'replay json+zstd', contender: 'dataplat', rowsPerSecond: 400_000, megabytesPerSecond: 80, peakRssMiB: 95 },
  { source: 'replay json+zstd', contender: 'trino-python-client', rowsPerSecond: 120_000, megabytesPerSecond: 24, peakRssMiB: 60 },
  { source: 'replay json+zstd', contender: 'limit', rowsPerSecond: 600_000, megabytesPerSecond: 120, peakRssMiB: undefined },
];

describe('buildBenchTable', () => {
  const rows = buildBenchTable(entries, peers);

  it('gives each row its throughput over each peer on the same source, rounded to two decimals', () => {
    expect(rows[0]!.throughputVs).toEqual({ 'trino-client': 1.5, 'trino-python-client': 4.29 });
    expect(rows[1]!.throughputVs).toEqual({ 'trino-client': 1, 'trino-python-client': 2.86 });
    expect(rows[3]!.throughputVs).toEqual({ 'trino-client': undefined, 'trino-python-client': 3.33 });
  });

  it('gives the ratio to the limit of the same source only, the limit itself 1', () => {
    expect(rows.map((row) => row.limitRatio)).toEqual([undefined, undefined, undefined, 0.67, 0.2, 1]);
  });

  it('keeps the runs in the order given, with their figures', () => {
    expect(rows.map((row) => `${row.source}/${row.contender}`)).toEqual(entries.map((entry) => `${entry.source}/${entry.contender}`));
    expect(rows[0]).toMatchObject(entries[0]!);
  });
});

describe('roundedRatio', () => {
  it('is undefined when a figure is missing or the divisor is 0', () => {
    expect(roundedRatio(undefined, 2)).toBeUndefined();
    expect(roundedRatio(2, undefined)).toBeUndefined();
    expect(roundedRatio(2, 0)).toBeUndefined();
    expect(roundedRatio(1, 3)).toBe(0.33);
  });
});

describe('renderBenchTable', () => {
  const text = renderBenchTable(buildBenchTable(entries, peers), { 'trino-client': 'tc', 'trino-python-client': 'py' }, ['legend line']);
  const lines = text.split('\n');

  it('has abbreviated headers, a row per run, missing figures as "-", and the legend under it', () => {
    expect(lines[0]!.split(/\s{2,}/)).toEqual(['source', 'contender', 'rows/s', 'MB/s', 'RSS MiB', '×tc', '×py', '×limit']);
    expect(lines[2]!.split(/\s{2,}/)).toEqual(['live', 'dataplat', '300,000', '60.3', '90', '1.50', '4.29', '-']);
    expect(lines[4]!.split(/\s{2,}/)).toEqual(['live', 'trino-python-client', '70,000', '14.0', '-', '0.35', '1.00', '-']);
    expect(lines[5]!.split(/\s{2,}/)).toEqual(['replay json+zstd', 'dataplat', '400,000', '80.0', '95', '-', '3.33', '0.67']);
    expect(lines.at(-1)).toBe('legend line');
    expect(lines).toHaveLength(2 + entries.length + 2);
  });

  it('aligns the columns: every row as wide as the header rule', () => {
    const width = lines[1]!.length;
    for (const line of lines.slice(2, 2 + entries.length)) expect(line.length).toBeLessThanOrEqual(width);
    expect(lines[2]!.length).toBe(width);
  });
});
