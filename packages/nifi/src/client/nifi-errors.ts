// NiFi's own error codes, and the mapping of NiFi's plain-text error answers onto them.
import { DataplatError, type ErrorClassification, type HttpMethod } from '@dataplat/core';
import type { InvalidComponent } from '../helpers/validation.ts';

/**
 * Codes specific to NiFi (on top of the transport's NOT_FOUND, UNAUTHORIZED, TIMEOUT, NETWORK, …):
 * - NIFI_STALE_REVISION: 400 — the component changed since its revision was read (a concurrent edit).
 * - NIFI_CONFLICT: 409 — NiFi refused because of a component's state (running, queued data, enabled service).
 * - NIFI_LOGIN_FAILED / NIFI_LOGIN_UNAVAILABLE: username/password refused, or NiFi issues no tokens (plain HTTP).
 * - NIFI_NOT_UNIQUE: an exact-name lookup matched more than one component.
 * - NIFI_ASYNC_REQUEST_FAILED: a replace, update, drop or provenance request finished with a failure.
 * - NIFI_INVALID_COMPONENT: a processor or group was asked to run but is invalid (NiFi would silently leave it stopped);
 *   `invalidComponents` names each with NiFi's reasons.
 * - NIFI_SERVICES_NOT_ENABLED: controller services stayed invalid or did not reach the wanted state.
 * - NIFI_GROUP_CONNECTED: a group to delete has connections from outside it.
 * - NIFI_RUN_FAILED: a run-once did not drain in time.
 * - NIFI_UNKNOWN_COMPONENT: an id given to a helper names no component where it must be (e.g. a run-once source outside the group).
 */
export type NifiErrorCode =
  | 'NIFI_STALE_REVISION'
  | 'NIFI_CONFLICT'
  | 'NIFI_LOGIN_FAILED'
  | 'NIFI_LOGIN_UNAVAILABLE'
  | 'NIFI_NOT_UNIQUE'
  | 'NIFI_ASYNC_REQUEST_FAILED'
  | 'NIFI_INVALID_COMPONENT'
  | 'NIFI_SERVICES_NOT_ENABLED'
  | 'NIFI_GROUP_CONNECTED'
  | 'NIFI_RUN_FAILED'
  | 'NIFI_UNKNOWN_COMPONENT';

const nifiErrorBrand = Symbol.for('dataplat.nifi-error');

/** Errors raised by the NiFi helpers themselves (HTTP failures are core's HttpError/RequestFailedError). */
export class NifiError extends DataplatError {
  readonly [nifiErrorBrand] = true;
  override name = 'NifiError';
  declare readonly code: NifiErrorCode;
  /** For NIFI_INVALID_COMPONENT: each component NiFi won't run, with its validation errors. */
  readonly invalidComponents: InvalidComponent[] | undefined;

  constructor(options: { code: NifiErrorCode; message: string; hint?: string | undefined; cause?: unknown; invalidComponents?: InvalidComponent[] | undefined }) {
    super(options);
    this.invalidComponents = options.invalidComponents;
  }

  static override isInstance(error: unknown): error is NifiError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[nifiErrorBrand] === true;
  }
}

/** Maps NiFi's plain-text error answers to precise codes (NiFi answers a stale revision with 400, not 409). */
export function classifyNifiError({ status, body }: { status: number; body: string; method: HttpMethod; path: string }): ErrorClassification | undefined {
  if (status === 400 && /revision/i.test(body)) {
    return {
      code: 'NIFI_STALE_REVISION',
      hint: 'The component was changed by someone else since its revision was read. Read it again and re-apply your change.',
    };
  }
  if (status === 409) {
    return {
      code: 'NIFI_CONFLICT',
      hint: 'NiFi refused because of a component\'s current state: stop it, empty its queues or disable its services first (deleteProcessGroup does all of that safely).',
    };
  }
  return undefined;
}
