// Identifiers NiFi sees for the components flows creates: UUIDs derived from each component's address,
// so compiling again gives the same ids and apply updates components in place.
import { createHash } from 'node:crypto';

// The namespace of every identifier the flows compiler produces (a fixed random UUID).
const flowsNamespace = Buffer.from('6f0b9f3e4c2a4d7e9b1a2c3d4e5f6a7b', 'hex');

/**
 * A name-based UUID (version 5, SHA-1) for a component's logical address, e.g. `iot-sensors/processors/receive`:
 * the same code yields the same identifiers on every compile, so NiFi updates components in place.
 */
export function deterministicId(address: string): string {
  const hash = createHash('sha1').update(flowsNamespace).update(address, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
