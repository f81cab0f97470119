// What a fault-injection suite counts and prints: operations run, how they ended, the clients' retries,
// duplicates found by reading back, and hangs (an operation still running past its own deadline plus a grace).
import type { FaultKind, FaultProxy } from './fault-proxy.ts';

export type OperationOutcome<Value> = { ok: true; value: Value } | { ok: false; error: unknown };

export class FaultTally {
  operations = 0;
  succeeded = 0;
  /** Operations that ended with an error (expected under faults for calls that may not be repeated). */
  failed = 0;
  retries = 0;
  duplicates = 0;
  hangs = 0;
  /** Error codes the failed operations ended with, and how often. */
  readonly failureCodes = new Map<string, number>();

  /** Give this to a client's `onRetry` so the transport's retries are counted. */
  readonly countRetry = (): void => {
    this.retries += 1;
  };

  /**
   * Runs one operation that must end by `deadlineMs` (its own timeout) plus `graceMs`: one that doesn't is
   * counted as a hang and reported as failed (it is left to settle in the background).
   */
  async run<Value>(deadlineMs: number, operation: () => Promise<Value>, graceMs = 5000): Promise<OperationOutcome<Value>> {
    this.operations += 1;
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<'hang'>((resolvePromise) => {
      timer = setTimeout(() => resolvePromise('hang'), deadlineMs + graceMs);
    });
    const pending = operation().then(
      (value): OperationOutcome<Value> => ({ ok: true, value }),
      (error: unknown): OperationOutcome<Value> => ({ ok: false, error }),
    );
    try {
      const outcome = await Promise.race([pending, hang]);
      if (outcome === 'hang') {
        this.hangs += 1;
        this.failed += 1;
        return { ok: false, error: new Error(`the operation was still running ${deadlineMs + graceMs} ms after it started`) };
      }
      if (outcome.ok) this.succeeded += 1;
      else {
        this.failed += 1;
        const code = String((outcome.error as { code?: unknown })?.code ?? (outcome.error as Error)?.name ?? 'unknown');
        this.failureCodes.set(code, (this.failureCodes.get(code) ?? 0) + 1);
      }
      return outcome;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Records what a read-back found: every copy beyond the first of one thing is a duplicate. */
  countCopies(copies: number): void {
    if (copies > 1) this.duplicates += copies - 1;
  }

  /** One line per figure, for the test output (and the resolving note). */
  report(suite: string, proxies: readonly FaultProxy[]): string {
    const faults: Partial<Record<FaultKind | 'refused', number>> = {};
    let proxiedRequests = 0;
    for (const proxy of proxies) {
      proxiedRequests += proxy.requests.length;
      for (const [kind, count] of Object.entries(proxy.faults) as Array<[FaultKind | 'refused', number]>) if (count > 0) faults[kind] = (faults[kind] ?? 0) + count;
    }
    const injected = Object.entries(faults).map(([kind, count]) => `${kind}=${count}`).join(' ') || 'none';
    const codes = [...this.failureCodes].map(([code, count]) => `${code}=${count}`).join(' ') || 'none';
    return [
      `fault injection — ${suite}`,
      `  faults injected: ${injected} (of ${proxiedRequests} proxied requests)`,
      `  operations: ${this.operations} (succeeded ${this.succeeded}, failed ${this.failed}: ${codes})`,
      `  retries: ${this.retries}  duplicates: ${this.duplicates}  hangs: ${this.hangs}`,
    ].join('\n');
  }
}
