export {
  allServiceNames,
  clusterServiceNames,
  defaultPorts,
  nifiClusterNodePorts,
  resolveStackConfig,
  serviceNames,
  stackProfiles,
  type NifiClusterNodePorts,
  type ServiceName,
  type StackProfile,
  type StackConfig,
  type StackCredentials,
  type StackOptions,
  type StackPorts,
} from './config/stack-config.ts';
// The verified download (used by the OpenAPI type generators in tools/codegen) and the versions the
// stack runs, so that clients generated from a server's spec name the same version as the stack's locks.
export { downloadVerified, type VerifiedDownload } from './download/verified-download.ts';
// The Java the stack runs its servers with, for tools that run a Java program beside it (the bench runs Trino's CLI).
export { findJava, type JavaInstallation, type JavaRequirement } from './java/find-java.ts';
export { trinoJavaRequirement } from './services/trino/trino-service.ts';
export { airflowVersion } from './services/airflow/airflow-service.ts';
export { nifiVersion } from './services/nifi/nifi-assembly-plan.ts';
export type {
  AirflowEndpoint,
  NifiClusterEndpoint,
  NifiHttpEndpoint,
  NifiHttpsEndpoint,
  PostgresEndpoint,
  S3Endpoint,
  StackEndpoints,
  TrinoClusterEndpoint,
  TrinoEndpoint,
  ZookeeperEndpoint,
} from './endpoints.ts';
export { StackError, type StackErrorCode } from './errors.ts';
export type { NodeReadiness, StackEvent } from './stack-events.ts';
// For failover tests and scripts on the cluster profile: which NiFi node is primary and coordinator, each node's status.
export {
  assessNifiCluster,
  nifiClusterNodeName,
  readNifiClusterState,
  type NifiClusterAssessment,
  type NifiClusterNode,
} from './services/nifi/nifi-cluster-service.ts';
export {
  getStackStatus,
  killStackService,
  readStackEndpoints,
  startStack,
  stopStack,
  type KillServiceOptions,
  type RunningStack,
  type ServiceStatus,
  type ServiceTiming,
  type StackRunOptions,
  type StartStackOptions,
} from './stack.ts';
// For tests: what really went out on the wire, to hold client-side counters and middleware against.
export { recordWireRequests, type WireRequest } from './testing/wire-recorder.ts';
export {
  faultKinds,
  mixedFaults,
  startFaultProxy,
  type FaultKind,
  type FaultProxy,
  type FaultProxyOptions,
  type FaultRule,
  type ProxiedRequest,
} from './testing/fault-proxy.ts';
export { FaultTally, type OperationOutcome } from './testing/fault-tally.ts';
// For the security suite: a local server that records what a client sends it, and a scan for secrets.
export { replyJson, startRecordingServer, type RecordedRequest, type RecordingHandler, type RecordingServer } from './testing/recording-server.ts';
export { failureOf, fakeServerFixture, findSecretLeaks, recordClientEvents, type SecretLeak } from './testing/secret-scan.ts';
