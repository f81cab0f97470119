// Lookups by a user-chosen name in the DSL's records (processors, services, parameters, environments):
// `name in record` and `record[name]` also find Object.prototype's keys, so a component named by a flow
// file as `toString` or `constructor` would be "found" where none exists (issue 14, finding 11).

/** The record's own entry for `key`, never one inherited from Object.prototype. */
export function ownEntry<Value>(record: Readonly<Record<string, Value>>, key: string): Value | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Whether the record itself has `key` (an inherited prototype key does not count). */
export function hasOwnKey(record: Readonly<Record<string, unknown>>, key: string): boolean {
  return Object.hasOwn(record, key);
}
