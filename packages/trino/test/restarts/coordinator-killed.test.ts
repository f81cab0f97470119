// Trino's coordinator SIGKILLed while a query streams its rows (direct and spooled): the iteration ends
// with a typed error within seconds — no hang, and never a result that quietly stops short.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DataplatError } from '@dataplat/core';
import { createTrinoClient } from '@dataplat/trino';
import { killStackService, startStack } from '@dataplat/stack';
import { testStackOptions } from '../../../stack/test/global-setup.ts';

const trinoEndpoint = inject('stackEndpoints').trino!;
const trino = createTrinoClient({ server: trinoEndpoint.url, user: trinoEndpoint.user });

afterAll(async () => {
  await trino.close();
});

describe("Trino's coordinator killed during a query", () => {
  it.each([
    { mode: 'spooled (default)', encoding: undefined },
    { mode: 'direct', encoding: false as const },
  ])('ends a $mode query with a typed error in seconds', async ({ encoding }) => {
    // 6M rows: far more than can arrive before the kill.
    const result = trino.query('SELECT * FROM tpch.sf1.lineitem', encoding === false ? { encoding } : {});
    let rows = 0;
    let killedAt = 0;
    const iteration = (async () => {
      for await (const _row of result) {
        rows++;
        if (rows === 1000) {
          expect(await killStackService('trino', testStackOptions)).toEqual(['trino']);
          killedAt = performance.now();
        }
      }
    })();
    const failure = await iteration.then(
      () => undefined,
      (error: unknown) => error,
    );
    const secondsToError = (performance.now() - killedAt) / 1000;
    console.log(`[restart] Trino killed after 1000 rows: ${rows} rows read, then ${(failure as DataplatError | undefined)?.code} after ${secondsToError.toFixed(1)} s`);
    // Not a short result: the loop ended by an error, a typed one, soon after the coordinator died.
    expect(DataplatError.isInstance(failure)).toBe(true);
    expect(rows).toBeLessThan(6_001_215);
    expect(secondsToError).toBeLessThan(30);
    await startStack({ ...testStackOptions, services: ['trino'] });
    expect(await trino.query<{ answer: number }>('SELECT 42 AS answer').first()).toEqual({ answer: 42 });
  });
});
