// The public API of @dataplat/trino: the client, sessions, query results, errors and parameter literals.
export { createTrinoClient, Session, type RunOptions, type TrinoAuth, type TrinoClient, type TrinoClientOptions } from './client/create-trino-client.ts';
export type { Column, ErrorLocation, QueryStats, TypeSignature } from './client/protocol.ts';
export { TrinoQueryError } from './client/trino-errors.ts';
export { QueryResult, type QueryOptions, type QuerySummary, type Row, type RowSchema } from './query/query-result.ts';
export type { DecodeOptions } from './types/decoders.ts';
export { literal, type TrinoLiteral, type TrinoParameter } from './types/literals.ts';
export { HttpError, RequestFailedError } from '@dataplat/core';
