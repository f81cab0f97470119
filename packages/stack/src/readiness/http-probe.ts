// One short HTTP request for readiness probes, letting network errors through so waitUntil can report the last one.
import { request, type Dispatcher } from 'undici';

export interface HttpProbeResult {
  status: number;
  body: string;
}

/** One HTTP request with a short timeout; network errors propagate so waitUntil can report them. */
export async function httpProbe(
  url: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; dispatcher?: Dispatcher; timeoutMs?: number } = {},
): Promise<HttpProbeResult> {
  const timeoutMs = init.timeoutMs ?? 5_000;
  const response = await request(url, {
    method: init.method ?? 'GET',
    headers: init.headers ?? {},
    body: init.body ?? null,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    ...(init.dispatcher ? { dispatcher: init.dispatcher } : {}),
  });
  return { status: response.statusCode, body: await response.body.text() };
}
