// The demo's static HTML report: the numbers of the three scenarios and a few charts of their KPIs, as
// one self-contained file (inline SVG, no scripts, nothing fetched) that a person can open anywhere.

export interface DemoReportData {
  generatedAt: string;
  timings: Array<{ step: string; ms: number }>;
  facts: Array<{ scenario: string; fact: string; value: string }>;
  dagRuns: Array<{ dag: string; run: string; state: string; seconds: number | undefined }>;
  /** Each Trino question's latency in the client: the first run (cold) and the second (warm; absent when asked once). */
  queries: Array<{ scenario: string; name: string; coldMs: number; warmMs: number | undefined }>;
  charts: Chart[];
  tables: Array<{ title: string; columns: string[]; rows: string[][] }>;
}

export interface Chart {
  title: string;
  unit: string;
  bars: Array<{ label: string; value: number }>;
  /** A horizontal reference line, e.g. the WHO PM2.5 guideline. */
  threshold?: { value: number; label: string } | undefined;
}

export function renderReportHtml(report: DemoReportData): string {
  const table = (columns: string[], rows: string[][]) =>
    `<table><thead><tr>${columns.map((column) => `<th>${escape(column)}</th>`).join('')}</tr></thead><tbody>${rows
      .map((row) => `<tr>${row.map((cell) => `<td>${escape(cell)}</td>`).join('')}</tr>`)
      .join('')}</tbody></table>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>dataplat demo report</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1d2330; }
  h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
  table { border-collapse: collapse; margin: .5rem 0 1rem; } th, td { border: 1px solid #d5d9e2; padding: .25rem .6rem; text-align: left; }
  th { background: #f2f4f8; } .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(30rem, 1fr)); gap: 1.5rem; }
  figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: .3rem; } svg text { font-size: 11px; fill: #444; }
</style>
</head>
<body>
<h1>dataplat demo — NiFi, Airflow and Trino on the local stack</h1>
<p>Generated ${escape(report.generatedAt)}. Every number below came from the real servers.</p>
<h2>What happened</h2>
${table(['scenario', 'fact', 'value'], report.facts.map((fact) => [fact.scenario, fact.fact, fact.value]))}
<h2>Charts</h2>
<div class="charts">${report.charts.map(renderChart).join('\n')}</div>
${report.tables.map((entry) => `<h2>${escape(entry.title)}</h2>\n${table(entry.columns, entry.rows)}`).join('\n')}
<h2>Airflow runs</h2>
${table(['DAG', 'run', 'state', 'duration'], report.dagRuns.map((run) => [run.dag, run.run, run.state, run.seconds === undefined ? '' : `${run.seconds.toFixed(1)} s`]))}
<h2>Trino query latencies</h2>
<p>Each dashboard question ran twice: cold is the first run (Trino reads the catalog's metadata and compiles the query), warm the second (what a refresh sees). ${escape(underASecondSentence(report.queries))}</p>
${table(['scenario', 'query', 'cold ms', 'warm ms'], report.queries.map((query) => [query.scenario, query.name, String(query.coldMs), query.warmMs === undefined ? '' : String(query.warmMs)]))}
<h2>Timings</h2>
${table(['step', 'seconds'], report.timings.map((timing) => [timing.step, (timing.ms / 1000).toFixed(1)]))}
</body>
</html>
`;
}

/** How many questions answered in under a second, warm (those asked twice) and cold. */
export function questionsUnderASecond(queries: DemoReportData['queries']): { cold: { under: number; of: number }; warm: { under: number; of: number } } {
  const warm = queries.flatMap((query) => (query.warmMs === undefined ? [] : [query.warmMs]));
  const cold = queries.map((query) => query.coldMs);
  return { cold: { under: cold.filter((ms) => ms < 1000).length, of: cold.length }, warm: { under: warm.filter((ms) => ms < 1000).length, of: warm.length } };
}

function underASecondSentence(queries: DemoReportData['queries']): string {
  const { cold, warm } = questionsUnderASecond(queries);
  return `Under 1 s: ${warm.under} of ${warm.of} warm, ${cold.under} of ${cold.of} cold.`;
}

/** A bar chart as inline SVG, with an optional reference line. */
export function renderChart(chart: Chart): string {
  const width = 560;
  const height = 240;
  const margin = { top: 12, right: 12, bottom: 48, left: 56 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const max = Math.max(1e-9, ...chart.bars.map((bar) => bar.value), chart.threshold?.value ?? 0) * 1.1;
  const step = plotWidth / Math.max(1, chart.bars.length);
  const y = (value: number) => margin.top + plotHeight - (value / max) * plotHeight;
  const labelEvery = Math.ceil(chart.bars.length / 12);
  const bars = chart.bars
    .map((bar, index) => {
      const x = margin.left + index * step;
      const top = y(bar.value);
      const label = index % labelEvery === 0 ? `<text x="${(x + step / 2).toFixed(1)}" y="${height - margin.bottom + 14}" text-anchor="end" transform="rotate(-35 ${(x + step / 2).toFixed(1)} ${height - margin.bottom + 14})">${escape(bar.label)}</text>` : '';
      return `<rect x="${(x + step * 0.12).toFixed(1)}" y="${top.toFixed(1)}" width="${(step * 0.76).toFixed(1)}" height="${(margin.top + plotHeight - top).toFixed(1)}" fill="${chart.threshold && bar.value > chart.threshold.value ? '#d9534f' : '#4a7fc1'}"><title>${escape(bar.label)}: ${formatNumber(bar.value)} ${escape(chart.unit)}</title></rect>${label}`;
    })
    .join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((share) => `<text x="${margin.left - 6}" y="${(y(max * share) + 4).toFixed(1)}" text-anchor="end">${formatNumber(max * share)}</text><line x1="${margin.left}" x2="${width - margin.right}" y1="${y(max * share).toFixed(1)}" y2="${y(max * share).toFixed(1)}" stroke="#eceff4"/>`)
    .join('');
  const threshold = chart.threshold
    ? `<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(chart.threshold.value).toFixed(1)}" y2="${y(chart.threshold.value).toFixed(1)}" stroke="#d9534f" stroke-dasharray="5 4"/><text x="${width - margin.right}" y="${(y(chart.threshold.value) - 4).toFixed(1)}" text-anchor="end">${escape(chart.threshold.label)}</text>`
    : '';
  return `<figure><figcaption>${escape(chart.title)} (${escape(chart.unit)})</figcaption><svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escape(chart.title)}">${ticks}${bars}${threshold}</svg></figure>`;
}

function formatNumber(value: number): string {
  return Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : String(Math.round(value * 10) / 10);
}

function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
