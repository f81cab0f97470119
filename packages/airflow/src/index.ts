// The public API of @dataplat/airflow: the client, its option and error types, and the types of its helpers.
export { createAirflowClient, type AirflowClient, type AirflowClientOptions } from './client/create-airflow-client.ts';
export type { AirflowAuth } from './client/airflow-authentication.ts';
export type { AirflowApi, AirflowSchemas, CallOptions } from './client/airflow-context.ts';
export { AirflowError, type AirflowErrorCode } from './client/airflow-errors.ts';
export type { Asset, AssetEvent, AssetReference, EmitOptions } from './helpers/assets.ts';
export type { Connection, ConnectionFields, Pool, Variable } from './helpers/configuration.ts';
export { DagRunFailedError, type Dag, type DagRun, type DagRunState, type TriggerOptions, type TriggerResult, type WaitOptions } from './helpers/dag-runs.ts';
export type { ListItem, ListPath, PaginateOptions } from './helpers/pagination.ts';
export { formatLogLine, type ClearOptions, type FailedTaskReport, type LogLine, type LogOptions, type TaskInstance, type XComOptions } from './helpers/task-instances.ts';
export type { AirflowVersion } from './helpers/version.ts';
export { HttpError, RequestFailedError } from '@dataplat/core';
