// For tests against the stack: records every request that really leaves a client (an interceptor on the
// undici dispatcher it is given), so a test can compare what middleware or counters saw with the wire.
import type { Agent, Dispatcher } from 'undici';

export interface WireRequest {
  method: string;
  /** The path without its query string. */
  path: string;
  /** The value of the header the recorder was asked to watch, if the request carried it. */
  header: string | undefined;
}

/** A dispatcher to hand to a client, and the requests it sent, in order. */
export function recordWireRequests(agent: Agent, headerName: string): { dispatcher: Dispatcher; sent: WireRequest[] } {
  const sent: WireRequest[] = [];
  const dispatcher = agent.compose((dispatch) => (options: Dispatcher.DispatchOptions, handler) => {
    const headers = (options.headers ?? {}) as Record<string, string | string[] | undefined>;
    const header = headers[headerName];
    sent.push({ method: options.method, path: options.path.split('?')[0]!, header: Array.isArray(header) ? header[0] : header });
    return dispatch(options, handler);
  });
  return { dispatcher, sent };
}
