// NiFi's parameter-context update request on undici's MockAgent, for the unit tests of how the client submits,
// repeats and deletes one (NiFi's endings that a real server produces only in narrow windows).
import type { MockAgent } from 'undici';

const json = { headers: { 'content-type': 'application/json' } };

type Context = { id: string; revision: { version: number }; component: { id: string; name: string; parameters: unknown[] } };

/** The context's GET, answered any number of times. */
export function interceptContext(agent: MockAgent, origin: string, context: Context): void {
  agent.get(origin).intercept({ path: (path) => path.startsWith(`/nifi-api/parameter-contexts/${context.id}?`), method: 'GET' }).reply(200, context, json).persist();
}

/**
 * One update request per entry of `endings`, in order: each submit is recorded in `submitted` and answers "not
 * complete", one status read then gives the entry's failureReason (undefined: it applied), and its DELETE is expected.
 */
export function interceptUpdateRequests(agent: MockAgent, origin: string, contextId: string, endings: ReadonlyArray<string | undefined>, submitted: unknown[] = []): void {
  const pool = agent.get(origin);
  const base = `/nifi-api/parameter-contexts/${contextId}/update-requests`;
  endings.forEach((failureReason, index) => {
    const requestId = `r${index + 1}`;
    pool.intercept({ path: base, method: 'POST' }).reply((request) => {
      submitted.push(JSON.parse(String(request.body)));
      return { statusCode: 200, data: { request: { requestId, complete: false } }, responseOptions: json };
    });
    pool.intercept({ path: `${base}/${requestId}`, method: 'GET' }).reply(200, { request: { requestId, complete: true, percentCompleted: 100, ...(failureReason ? { failureReason } : {}) } }, json);
    pool.intercept({ path: `${base}/${requestId}`, method: 'DELETE' }).reply(200, {}, json);
  });
}
