// How the code's property keys relate to the names NiFi gives a component's properties: NiFi 2 renames
// older keys when it imports a flow (UpdateRecord's `record-writer` becomes `Record Writer`), shows a
// display name beside each name, and keeps any other key as a dynamic property. One owner for matching
// a key to NiFi's name, used by `validate --live` (hints) and by the plan (keys NiFi stores renamed).

/** A property name without case and punctuation: `record-writer`, `Record Writer` and `RECORD_WRITER` are one. */
export function normalizedPropertyName(text: string | undefined): string {
  return (text ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * The one name among `candidates` that `key` looks like an older spelling of: equal once normalized
 * (`record-writer` → `Record Writer`), or else ending in it (`put-db-record-record-reader` → `Record
 * Reader`). Undefined when none or several match equally well.
 */
export function resemblingPropertyName(key: string, candidates: Iterable<string>): string | undefined {
  const wanted = normalizedPropertyName(key);
  const names = [...candidates].filter((candidate) => candidate !== key);
  const equal = names.filter((candidate) => normalizedPropertyName(candidate) === wanted);
  if (equal.length > 0) return equal.length === 1 ? equal[0] : undefined;
  const suffixes = names.filter((candidate) => {
    const normalized = normalizedPropertyName(candidate);
    return normalized.length >= 4 && wanted.endsWith(normalized);
  });
  const longest = Math.max(0, ...suffixes.map((candidate) => normalizedPropertyName(candidate).length));
  const best = suffixes.filter((candidate) => normalizedPropertyName(candidate).length === longest);
  return best.length === 1 ? best[0] : undefined;
}

/**
 * The name NiFi keeps the value of `key` under, once it renamed the key on import: the name `key`
 * resembles when it holds exactly `value`, or else the one name equal to `key` but for case and
 * punctuation (its value may then differ: drift). Names the code sets itself are never taken. Undefined
 * when NiFi dropped the key, as far as can be told.
 */
export function renamedPropertyName(key: string, value: string, live: Readonly<Record<string, string | null>>, setInCode: Readonly<Record<string, unknown>>): string | undefined {
  const candidates = Object.keys(live).filter((candidate) => !Object.hasOwn(setInCode, candidate));
  const resembling = resemblingPropertyName(key, candidates);
  if (resembling !== undefined && live[resembling] === value) return resembling;
  const equal = candidates.filter((candidate) => normalizedPropertyName(candidate) === normalizedPropertyName(key));
  return equal.length === 1 ? equal[0] : undefined;
}

/** A property the code names by a key NiFi doesn't keep: it stores the value under `nifiName`, or drops the key. */
export interface PropertyNameNote {
  flow: string;
  /** The component as the plan addresses it, e.g. `iot-sensors/processors/enrich`. */
  address: string;
  /** Where the component is in the flow: nested group names, then the component's kind and name. */
  location: { groups: string[]; kind: 'processors' | 'services'; name: string };
  inCode: string;
  /** The name NiFi keeps the value under; absent when NiFi drops the key altogether. */
  nifiName?: string | undefined;
}

/** The sentence a note becomes, with the fix: one wording for plan, apply and their JSON. */
export function describePropertyNameNote(note: PropertyNameNote): { message: string; hint: string } {
  return note.nifiName
    ? {
        message: `NiFi stores property "${note.inCode}" of ${note.address} as "${note.nifiName}" (it renames this older name when it imports the flow); the plan compares it under that name.`,
        hint: `Write "${note.nifiName}" in the code.`,
      }
    : {
        message: `NiFi does not keep property "${note.inCode}" of ${note.address}: it dropped or renamed the key when it imported the flow, so every plan shows it again.`,
        hint: 'Run flows validate --live: it names the property NiFi uses instead.',
      };
}
