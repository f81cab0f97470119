import { describe, expect, it } from 'vitest';
import { questionsUnderASecond, renderChart, renderReportHtml } from './report-html.ts';

describe('the demo HTML report', () => {
  it('is one self-contained page: tables, inline SVG charts, escaped text, no scripts', () => {
    const html = renderReportHtml({
      generatedAt: '2026-11-21T15:00:00.000Z',
      timings: [{ step: 'boot the stack', ms: 45_200 }],
      facts: [{ scenario: 'IoT <sensors>', fact: 'measurements stored', value: '2208' }],
      dagRuns: [{ dag: 'dataplat_daily_kpis', run: 'asset_triggered__x', state: 'success', seconds: 2.345 }],
      queries: [
        { scenario: 'Warehouse', name: 'revenue by month', coldMs: 1480, warmMs: 212 },
        { scenario: 'E-commerce', name: 'daily KPIs', coldMs: 640, warmMs: undefined },
      ],
      charts: [{ title: 'PM2.5 by zone type', unit: 'µg/m³', bars: [{ label: 'park', value: 7.1 }, { label: 'traffic', value: 38.2 }], threshold: { value: 35, label: 'WHO' } }],
      tables: [{ title: 'Daily shop KPIs', columns: ['day', 'orders'], rows: [['2026-11-20', '47']] }],
    });
    expect(html).toContain('<td>IoT &lt;sensors&gt;</td>');
    expect(html).toContain('<svg viewBox=');
    expect(html).toContain('<td>2.3 s</td>');
    expect(html).toContain('<td>45.2</td>');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it('shows each question cold and warm, and how many answered under a second', () => {
    const queries = [
      { scenario: 'IoT sensors', name: 'sensors per location', coldMs: 1480, warmMs: 212 },
      { scenario: 'IoT sensors', name: 'hourly PM2.5', coldMs: 870, warmMs: 1005 },
      { scenario: 'E-commerce', name: 'daily KPIs', coldMs: 640, warmMs: undefined },
    ];
    expect(questionsUnderASecond(queries)).toEqual({ cold: { under: 2, of: 3 }, warm: { under: 1, of: 2 } });
    const html = renderReportHtml({ generatedAt: '2026-11-21T15:00:00.000Z', timings: [], facts: [], dagRuns: [], queries, charts: [], tables: [] });
    expect(html).toContain('<th>cold ms</th><th>warm ms</th>');
    expect(html).toContain('<tr><td>IoT sensors</td><td>sensors per location</td><td>1480</td><td>212</td></tr>');
    expect(html).toContain('<tr><td>E-commerce</td><td>daily KPIs</td><td>640</td><td></td></tr>');
    expect(html).toContain('Under 1 s: 1 of 2 warm, 2 of 3 cold.');
  });

  it('draws bars above the threshold in red, with the reference line', () => {
    const svg = renderChart({ title: 'PM2.5', unit: 'µg/m³', bars: [{ label: 'a', value: 10 }, { label: 'b', value: 40 }], threshold: { value: 35, label: 'WHO' } });
    expect(svg.match(/fill="#d9534f"/g)).toHaveLength(1);
    expect(svg.match(/fill="#4a7fc1"/g)).toHaveLength(1);
    expect(svg).toContain('stroke-dasharray');
  });
});
