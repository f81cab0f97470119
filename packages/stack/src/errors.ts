import { DataplatError } from '@dataplat/core';

/** Stable codes of every error @dataplat/stack throws. */
export type StackErrorCode =
  | 'STACK_CONFIG_INVALID'
  | 'STACK_JAVA_NOT_FOUND'
  | 'STACK_PYTHON_NOT_FOUND'
  | 'STACK_POSTGRES_NOT_INSTALLED'
  | 'STACK_DOWNLOAD_FAILED'
  | 'STACK_CHECKSUM_MISMATCH'
  | 'STACK_INSTALL_FAILED'
  | 'STACK_PORT_IN_USE'
  | 'STACK_SERVICE_EXITED'
  | 'STACK_READINESS_TIMEOUT'
  | 'STACK_SERVICE_FAILED'
  | 'STACK_DAG_IMPORT_FAILED'
  | 'STACK_NOT_RUNNING';

export interface StackErrorOptions {
  code: StackErrorCode;
  message: string;
  hint?: string | undefined;
  cause?: unknown;
  /** The service the error is about, when there is one. */
  service?: string | undefined;
  /** Last lines of the service's log, so a failed start explains itself. */
  logTail?: string | undefined;
  logFile?: string | undefined;
}

export class StackError extends DataplatError {
  override name = 'StackError';
  declare readonly code: StackErrorCode;
  readonly service: string | undefined;
  readonly logTail: string | undefined;
  readonly logFile: string | undefined;

  constructor({ service, logTail, logFile, message, ...rest }: StackErrorOptions) {
    const logSection = logTail ? `\n--- last lines of ${logFile ?? 'the log'} ---\n${logTail}\n---` : '';
    super({ ...rest, message: `${message}${logSection}` });
    this.service = service;
    this.logTail = logTail;
    this.logFile = logFile;
  }

  static override isInstance(error: unknown): error is StackError {
    return DataplatError.isInstance(error) && error.name === 'StackError';
  }
}
