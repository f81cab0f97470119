// Which process groups belong to flows, without a state file: each managed flow is a process group
// whose comments end with a marker naming the flow and the hashes of what was applied. Groups without
// a valid marker are never touched (unless adopted explicitly).
import { createHash } from 'node:crypto';
import { deterministicId } from '../compile/deterministic-id.ts';

const markerLine = 'managed-by: dataplat-flows';

export interface OwnershipMarker {
  formatVersion: 1;
  flow: string;
  /** Recomputed from the flow name on read: a copied marker can't make another group "ours". */
  id: string;
  /** SHA-256 of the applied definition (without secrets). */
  definitionHash: string;
  /** SHA-256 over the sensitive parameter values applied (never the values themselves). */
  sensitiveHash: string;
}

export function renderComments(description: string | undefined, marker: OwnershipMarker): string {
  return `${description ? `${description}\n\n` : ''}${markerLine}\n${JSON.stringify(marker)}`;
}

/** The marker in a group's comments, or undefined when the group is not (validly) managed. */
export function readMarker(comments: string | undefined): OwnershipMarker | undefined {
  if (!comments) return undefined;
  const lines = comments.split('\n');
  const at = lines.lastIndexOf(markerLine);
  if (at < 0 || at + 1 >= lines.length) return undefined;
  try {
    const marker = JSON.parse(lines[at + 1]!) as OwnershipMarker;
    if (marker.formatVersion !== 1 || typeof marker.flow !== 'string' || marker.id !== flowId(marker.flow)) return undefined;
    return marker;
  } catch {
    return undefined;
  }
}

export function flowId(flowName: string): string {
  return deterministicId(flowName);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Changes when a sensitive value changes; reveals nothing about the values (salted with the flow id). */
export function sensitiveHash(flowName: string, values: Record<string, string>): string {
  const sorted = Object.keys(values)
    .sort()
    .map((name) => [name, values[name]]);
  return sha256(`${flowId(flowName)}\n${JSON.stringify(sorted)}`);
}
