// A component's address inside its flow, e.g. `iot-sensors/processors/receive`: what its deterministic
// identifier is derived from, and the key of `identifiers` (relative to the flow) for adopted components.
import type { ConnectionModel } from '../model/flow-schema.ts';

export const componentAddress = {
  group: (parent: string, name: string) => `${parent}/groups/${name}`,
  processor: (group: string, name: string) => `${group}/processors/${name}`,
  service: (group: string, name: string) => `${group}/services/${name}`,
  port: (group: string, kind: 'INPUT_PORT' | 'OUTPUT_PORT', name: string) => `${group}/${kind === 'INPUT_PORT' ? 'inputPorts' : 'outputPorts'}/${name}`,
  funnel: (group: string, name: string) => `${group}/funnels/${name}`,
};

/**
 * Connection addresses depend on their endpoints (and their name, or order when several join the same
 * pair), not on their relationships: changing relationships updates a connection and keeps its queue.
 */
export function connectionAddresses(group: string, connections: ReadonlyArray<Pick<ConnectionModel, 'from' | 'to' | 'name'>>): string[] {
  const seen = new Map<string, number>();
  return connections.map((connection) => {
    const pair = `${connection.from}->${connection.to}${connection.name ? `#${connection.name}` : ''}`;
    const occurrence = seen.get(pair) ?? 0;
    seen.set(pair, occurrence + 1);
    return `${group}/connections/${pair}${occurrence ? `~${occurrence}` : ''}`;
  });
}
