// For the flows tests that kill something mid-apply: one file of small flows, each with a secret from the
// environment (SHOP_TOKEN), a controller service, a processor that stays stopped and one that runs —
// everything whose state a converged apply must get right.
export function shopFlowsFile(names: readonly string[]): string {
  const flows = names.map(
    (name) => `  - name: ${name}
    parameters:
      token: { fromEnv: SHOP_TOKEN, sensitive: true }
      batch: { value: "2" }
    services:
      reader: { type: JsonTreeReader }
    processors:
      generate: { type: GenerateFlowFile, properties: { Batch Size: "#{batch}" }, schedule: { period: 1 hour }, state: stopped }
      tag: { type: UpdateAttribute, properties: { shop: "#{batch}" }, autoTerminate: [success] }
    connections:
      - { from: generate, to: tag, relationships: [success] }`,
  );
  return `flows:\n${flows.join('\n')}\n`;
}
