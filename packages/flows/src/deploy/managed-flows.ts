import type { NifiClient, NifiSchemas } from '@dataplat/nifi';
import { readMarker, type OwnershipMarker } from './ownership.ts';

export interface ManagedFlow {
  flow: string;
  groupId: string;
  marker: OwnershipMarker;
  group: NifiSchemas['ProcessGroupEntity'];
}

/** The process groups under `parentGroupId` that carry a valid ownership marker. */
export async function listManagedFlows(nifi: NifiClient, parentGroupId = 'root'): Promise<ManagedFlow[]> {
  const parent = await nifi.processGroups.flow(parentGroupId);
  return parent.contents.processGroups.flatMap((group) => {
    const marker = readMarker(group.component?.comments);
    return marker && group.id ? [{ flow: marker.flow, groupId: group.id, marker, group }] : [];
  });
}
