// Trino's coordinator SIGKILLed while two queries stream their rows, one spooled and one direct: each
// iteration ends with a typed error within seconds — no hang, and never a result that quietly stops short.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DataplatError } from '@dataplat/core';
import { createTrinoClient } from '@dataplat/trino';
import { killStackService, startStack } from '@dataplat/stack';
import { testStackOptions } from '../../../stack/test/global-setup.ts';
import { readToEnd, untilAllStreaming } from '../query-to-end.ts';

const trinoEndpoint = inject('stackEndpoints').trino!;
const trino = createTrinoClient({ server: trinoEndpoint.url, user: trinoEndpoint.user });
const lineitemRows = 6_001_215;

afterAll(async () => {
  await trino.close();
});

const stream = (encoding: false | undefined) => readToEnd(trino, 'SELECT * FROM tpch.sf1.lineitem', encoding);

describe("Trino's coordinator killed during queries", () => {
  it('ends a spooled and a direct query with a typed error in seconds', async () => {
    // 6M rows each: far more than can arrive before the kill.
    const queries = [
      { mode: 'spooled (default)', ...stream(undefined) },
      { mode: 'direct', ...stream(false) },
    ];
    await untilAllStreaming(queries);
    expect(await killStackService('trino', testStackOptions)).toEqual(['trino']);
    const killedAt = performance.now();
    await Promise.all(queries.map((query) => query.done));
    for (const { mode, state } of queries) {
      const secondsToError = (state.endedAt - killedAt) / 1000;
      console.log(`[restart] Trino killed during a ${mode} query: ${state.rows} rows read, then ${(state.failure as DataplatError | undefined)?.code} after ${secondsToError.toFixed(1)} s`);
      // Not a short result: the loop ended by an error, a typed one, soon after the coordinator died.
      expect(DataplatError.isInstance(state.failure), mode).toBe(true);
      expect(state.rows).toBeLessThan(lineitemRows);
      expect(secondsToError).toBeLessThan(30);
    }
    await startStack({ ...testStackOptions, services: ['trino'] });
    expect(await trino.query<{ answer: number }>('SELECT 42 AS answer').first()).toEqual({ answer: 42 });
  });
});
