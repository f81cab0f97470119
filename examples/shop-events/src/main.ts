// Usage: pnpm --filter @dataplat-examples/shop-events start [--sessions 600] [--seed 5]
// Runs scenario 3 against the local stack (`./with-node pnpm stack up`).
import { parseArgs } from 'node:util';
import { connectLocalStack } from '@dataplat-examples/shared';
import { runShopEventsScenario } from './scenario.ts';

const { values } = parseArgs({ options: { sessions: { type: 'string', default: '600' }, seed: { type: 'string', default: '5' } } });
const stack = await connectLocalStack();
try {
  const report = await runShopEventsScenario({ stack, data: { sessions: Number(values.sessions), seed: Number(values.seed) }, onProgress: (step) => console.log(`- ${step}`) });
  console.log(`\n${report.generated.events.length} events stored in ${report.ingestMs} ms; ${report.dagRun.dag_id} run ${report.dagRun.dag_run_id}: ${report.dagRun.state}`);
  console.table(report.kpis);
} finally {
  await stack.close();
}
