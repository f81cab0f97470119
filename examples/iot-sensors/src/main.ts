// Usage: pnpm --filter @dataplat-examples/iot-sensors start [--sensors 24] [--readings 96] [--seed 42]
// Runs scenario 1 against the local stack (`./with-node pnpm stack up`): applies flows/iot-sensors.yaml,
// posts seeded readings, waits for NiFi and Airflow, and prints Trino's answers.
import { parseArgs } from 'node:util';
import { connectLocalStack } from '@dataplat-examples/shared';
import { runIotScenario } from './scenario.ts';

const { values } = parseArgs({ options: { sensors: { type: 'string', default: '24' }, readings: { type: 'string', default: '96' }, seed: { type: 'string', default: '42' } } });
const stack = await connectLocalStack();
try {
  const report = await runIotScenario({
    stack,
    data: { sensors: Number(values.sensors), readingsPerSensor: Number(values.readings), seed: Number(values.seed) },
    onProgress: (step) => console.log(`- ${step}`),
  });
  console.log(`\n${report.posted.readings} readings in ${report.posted.batches} batches → ${report.stored.measurements} stored (${report.stored.aboveWho} above the WHO PM2.5 guideline), ${report.stored.quarantined} quarantined, ${report.stored.sensors} sensors, in ${report.ingestMs} ms`);
  console.log(`Airflow ${report.dagRun.dag_id} run ${report.dagRun.dag_run_id}: ${report.dagRun.state}`);
  for (const query of report.queries) {
    console.log(`\n${query.name} (cold ${query.coldMs} ms, warm ${query.warmMs} ms)\n  ${query.columns.join(' | ')}`);
    for (const row of query.rows.slice(0, 8)) console.log(`  ${row.map((value) => (value instanceof Date ? value.toISOString() : String(value))).join(' | ')}`);
    if (query.rows.length > 8) console.log(`  … ${query.rows.length - 8} more`);
  }
} finally {
  await stack.close();
}
