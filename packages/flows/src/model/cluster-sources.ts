// Which NiFi processor types list or poll one shared source, so that on a cluster they belong on the primary
// node (and which of them NiFi already pins there): the one table behind the offline warning
// `processor/listing-on-all-nodes`, the compiler's execution node and the export's.
//
// Where it comes from. NiFi 2.3.0's own annotations, read from the bytecode of nifi-standard-processors-2.3.0.jar
// (inside nifi-standard-nar-2.3.0.nar of the stack's NiFi; `javap -v` of each processor class; NiFi's
// /flow/runtime-manifest leaves that NAR out): a type that is `@TriggerSerially` and `@Stateful` and does not
// require input keeps one cursor over a source every node would see — a listing. Those that are also
// `@PrimaryNodeOnly` NiFi runs on the primary node whatever the flow says (`executionNodeRestricted`).
// `tools/scan-listing-sources.ts <NiFi home>` re-derives this from a NiFi's NARs and says where the table disagrees.
// Types of NARs the stack doesn't install carry the same annotations in apache/nifi's sources (ListHDFS,
// ListS3: `@TriggerSerially`, `@Stateful(scopes = Scope.CLUSTER)`, `INPUT_FORBIDDEN`); they are listed as
// plain listing sources, since whether 2.3.0 marks them `@PrimaryNodeOnly` was not checked on a server.
// GetSFTP and GetFTP carry none of these annotations but poll a shared remote directory: on every node, the
// nodes race for the same files (or each takes a copy, when they are not deleted).
export interface ClusterSourceTraits {
  /** `@PrimaryNodeOnly` in NiFi 2.3.0: NiFi runs it on the primary node only, whatever `executionNode` says. */
  primaryNodeOnly: boolean;
}

/** Short type name → traits. Short names, because the DSL takes `ListSFTP` as well as the fully-qualified name. */
const listingSources: Readonly<Record<string, ClusterSourceTraits>> = {
  // nifi-standard-processors 2.3.0, @TriggerSerially + @Stateful + @PrimaryNodeOnly:
  ListDatabaseTables: { primaryNodeOnly: true },
  ListFTP: { primaryNodeOnly: true },
  ListSFTP: { primaryNodeOnly: true },
  QueryDatabaseTable: { primaryNodeOnly: true },
  QueryDatabaseTableRecord: { primaryNodeOnly: true },
  // nifi-standard-processors 2.3.0, @TriggerSerially + @Stateful, input not required:
  ListFile: { primaryNodeOnly: false },
  GenerateTableFetch: { primaryNodeOnly: false },
  TailFile: { primaryNodeOnly: false },
  // Other NARs (apache/nifi sources; not installed in the stack):
  ListHDFS: { primaryNodeOnly: false },
  ListS3: { primaryNodeOnly: false },
  // Pollers of a shared remote directory without state:
  GetSFTP: { primaryNodeOnly: false },
  GetFTP: { primaryNodeOnly: false },
};

/** The traits of a listing or polling source type (short or fully-qualified name), or undefined for other types. */
export function listingSourceTraits(type: string): ClusterSourceTraits | undefined {
  const shortName = type.slice(type.lastIndexOf('.') + 1);
  return Object.hasOwn(listingSources, shortName) ? listingSources[shortName] : undefined;
}

/** Whether NiFi 2.3.0 pins this type to the primary node (`executionNodeRestricted`). */
export function isPrimaryNodeOnlyType(type: string): boolean {
  return listingSourceTraits(type)?.primaryNodeOnly ?? false;
}
