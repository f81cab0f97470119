// Usage: pnpm --filter @dataplat-examples/warehouse start [--orders 5000] [--seed 11]
// Runs scenario 2 against the local stack (`./with-node pnpm stack up`).
import { parseArgs } from 'node:util';
import { connectLocalStack } from '@dataplat-examples/shared';
import { runWarehouseScenario } from './scenario.ts';

const { values } = parseArgs({ options: { orders: { type: 'string', default: '5000' }, seed: { type: 'string', default: '11' } } });
const stack = await connectLocalStack();
try {
  const report = await runWarehouseScenario({ stack, data: { orders: Number(values.orders), seed: Number(values.seed) }, onProgress: (step) => console.log(`- ${step}`) });
  console.log(`\n${report.dagRun.dag_id}: ${report.dagRun.state}; counts ${JSON.stringify(report.counts)}`);
  for (const query of report.dashboard) {
    console.log(`\n${query.name} (cold ${query.coldMs} ms, warm ${query.warmMs} ms)\n  ${query.columns.join(' | ')}`);
    for (const row of query.rows.slice(0, 6)) console.log(`  ${row.map(String).join(' | ')}`);
  }
} finally {
  await stack.close();
}
