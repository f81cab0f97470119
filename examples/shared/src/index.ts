// What the example scenarios share: seeded randomness, clients for the local stack, applying the
// flows of flows/, posting data to NiFi, and waiting on Airflow.
export { dagRunIds, waitForDag, waitForNewRun } from './airflow-runs.ts';
export { askTwice, type DashboardQuestion } from './dashboard-question.ts';
export { applyExampleFlow, flowsDir, httpPortOf, loadExampleContexts, loadExampleFlow, sharedContextsFile, type ApplyExampleOptions } from './example-flows.ts';
export { postBatch } from './post-batch.ts';
export { createScratchDatabase, openFlowTestTarget, type FlowTestTarget, type ScratchDatabase } from './scratch-database.ts';
export { seededRandom } from './seeded-random.ts';
export { connectLocalStack, connectStack, freePort, registerTrinoInAirflow, removeExampleFlow, type StackClients } from './stack-clients.ts';
