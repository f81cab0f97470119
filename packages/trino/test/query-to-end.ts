// For the tests that kill a Trino server under running queries: a query read to its end in the background, and
// what it read and how it ended, so each test can hold that against the kill.
import { pollUntil } from '@dataplat/core';
import type { TrinoClient } from '@dataplat/trino';

export interface QueryEnd {
  rows: number;
  /** What ended the loop early; undefined when it ran to the end. */
  failure: unknown;
  /** The loop ran to its end without an error: a result taken as complete. */
  completed: boolean;
  /** performance.now() when the loop ended. */
  endedAt: number;
}

/** Starts `sql` and reads every row in the background (spooled by default, direct with encoding false). */
export function readToEnd(trino: TrinoClient, sql: string, encoding: false | undefined): { state: QueryEnd; done: Promise<void> } {
  const state: QueryEnd = { rows: 0, failure: undefined, completed: false, endedAt: 0 };
  const result = trino.query(sql, encoding === false ? { encoding } : {});
  const done = (async () => {
    try {
      for await (const _row of result) state.rows++;
      state.completed = true;
    } catch (error) {
      state.failure = error;
    }
    state.endedAt = performance.now();
  })();
  return { state, done };
}

/** Waits until every query has streamed at least `rows` rows (so a kill lands mid-stream). */
export async function untilAllStreaming(queries: ReadonlyArray<{ state: QueryEnd }>, rows = 1000): Promise<void> {
  await pollUntil(async () => (queries.every((query) => query.state.rows >= rows) ? { done: true, value: true } : { done: false }), {
    timeoutMs: 120_000,
    initialIntervalMs: 20,
    description: `every query to stream its first ${rows} rows`,
  });
}
