// For the flows tests of `flows run --per-node` on the NiFi cluster: one small flow whose source is triggered once
// on every node and whose queue drains at a set pace (ControlRate), so a run lasts long enough to lose a node in it.
export function pacedFlow(name: string, { batchSize, perSecond }: { batchSize: number; perSecond: number }): string {
  return [
    `name: ${name}`,
    'processors:',
    `  generate: { type: GenerateFlowFile, properties: { "Batch Size": "${batchSize}", "File Size": "10B" }, schedule: { period: 1 hour }, state: stopped }`,
    `  pace: { type: ControlRate, properties: { "Rate Control Criteria": "flowfile count", "Maximum Rate": "${perSecond}", "Time Duration": "1 sec" }, autoTerminate: [failure] }`,
    '  sink: { type: UpdateAttribute, autoTerminate: [success] }',
    'connections:',
    '  - { from: generate, to: pace, relationships: [success] }',
    '  - { from: pace, to: sink, relationships: [success] }',
    '',
  ].join('\n');
}

/** What `flows run --json --per-node` prints. */
export interface PerNodeRunOutput {
  flow: string;
  ok: boolean;
  flowFilesIn: number;
  lostNodes: string[];
  nodes: Array<{ name: string; apiPort: number; flowFilesIn: number; flowFilesOut: number; lost: boolean; processors: Array<{ name: string; flowFilesIn: number }> }>;
}
