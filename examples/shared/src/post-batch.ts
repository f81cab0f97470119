// Sending example data to a NiFi ListenHTTP.
import { pollUntil } from '@dataplat/core';

/** Posts one batch as JSON with a `batch` header; retried while ListenHTTP is still starting or busy. */
export async function postBatch(url: string, batch: string, records: unknown[]): Promise<void> {
  await pollUntil(
    async () => {
      try {
        const response = await fetch(url, { method: 'POST', headers: { batch, 'content-type': 'application/json' }, body: JSON.stringify(records) });
        await response.arrayBuffer();
        if (response.ok) return { done: true, value: undefined };
        if (response.status === 503) return { done: false, progress: 'ListenHTTP is busy (503)' };
        throw new Error(`${url} answered ${response.status} for batch ${batch}`);
      } catch (error) {
        if ((error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') return { done: false, progress: 'ListenHTTP is not listening yet' };
        throw error;
      }
    },
    { timeoutMs: 60_000, initialIntervalMs: 200, description: `posting batch ${batch} to ${url}` },
  );
}
