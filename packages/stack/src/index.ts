export {
  defaultPorts,
  resolveStackConfig,
  serviceNames,
  type ServiceName,
  type StackConfig,
  type StackCredentials,
  type StackOptions,
  type StackPorts,
} from './config/stack-config.ts';
export type {
  AirflowEndpoint,
  NifiHttpEndpoint,
  NifiHttpsEndpoint,
  PostgresEndpoint,
  S3Endpoint,
  StackEndpoints,
  TrinoEndpoint,
} from './endpoints.ts';
export { StackError, type StackErrorCode } from './errors.ts';
export type { StackEvent } from './stack-events.ts';
export {
  getStackStatus,
  readStackEndpoints,
  startStack,
  stopStack,
  type RunningStack,
  type ServiceStatus,
  type ServiceTiming,
  type StackRunOptions,
} from './stack.ts';
