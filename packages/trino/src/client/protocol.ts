// The shapes of Trino's client protocol (https://trino.io/docs/current/develop/client-protocol.html).

export interface TypeSignatureArgument {
  kind: 'TYPE' | 'NAMED_TYPE' | 'LONG' | 'VARIABLE';
  value: unknown;
}

export interface TypeSignature {
  rawType: string;
  arguments: TypeSignatureArgument[];
}

export interface Column {
  name: string;
  /** The SQL type as Trino prints it, e.g. `decimal(38,0)`, `row(id bigint, tags array(varchar))`. */
  type: string;
  typeSignature: TypeSignature;
}

export interface QueryStats {
  state: string;
  queued: boolean;
  scheduled: boolean;
  progressPercentage?: number;
  runningPercentage?: number;
  nodes: number;
  totalSplits: number;
  queuedSplits: number;
  runningSplits: number;
  completedSplits: number;
  cpuTimeMillis: number;
  wallTimeMillis: number;
  queuedTimeMillis: number;
  elapsedTimeMillis: number;
  processedRows: number;
  processedBytes: number;
  physicalInputBytes: number;
  peakMemoryBytes: number;
  spilledBytes: number;
  [key: string]: unknown;
}

export interface ErrorLocation {
  lineNumber: number;
  columnNumber: number;
}

export interface QueryError {
  message: string;
  sqlState?: string;
  errorCode: number;
  errorName: string;
  errorType: string;
  errorLocation?: ErrorLocation;
  failureInfo?: { type?: string; message?: string; errorLocation?: ErrorLocation };
}

export interface QueryResults {
  id: string;
  infoUri: string;
  partialCancelUri?: string;
  nextUri?: string;
  columns?: Column[];
  data?: unknown[][];
  stats: QueryStats;
  error?: QueryError;
  warnings?: Array<{ message: string }>;
  updateType?: string;
  updateCount?: number;
}
