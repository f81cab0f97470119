// Which URLs a query may follow: Trino's nextUri, ackUri and the like must be on the configured server's
// origin or one the caller allowed (a proxy that rewrites addresses). A link elsewhere is a protocol
// error and nothing is sent there (issue 14, finding 3); spooled segment URLs are storage and are not Trino's.
import { DataplatError, InvalidOptionsError, redactUrl } from '@dataplat/core';

export interface TrinoOrigins {
  /** The configured server's origin and the allowed ones. */
  readonly trusted: readonly string[];
  /** The URL if it is on a trusted origin; a TRINO_PROTOCOL error otherwise. */
  check(uri: string, field: string): string;
}

export function trinoOrigins(server: URL, allowedOrigins: readonly string[] = []): TrinoOrigins {
  const trusted = new Set([server.origin]);
  for (const origin of allowedOrigins) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch (error) {
      throw new InvalidOptionsError({ message: `allowedOrigins holds something that is not a URL: ${redactUrl(origin)}`, hint: 'Pass origins such as https://trino-proxy.example.com:443.', cause: error });
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new InvalidOptionsError({ message: `allowedOrigins may only hold http(s) origins, not ${parsed.protocol}.` });
    }
    trusted.add(parsed.origin);
  }
  return {
    trusted: [...trusted],
    check(uri, field) {
      let parsed: URL | undefined;
      try {
        parsed = new URL(uri);
      } catch {
        parsed = undefined;
      }
      if (parsed && parsed.protocol !== 'http:' && parsed.protocol !== 'https:') parsed = undefined;
      if (parsed && trusted.has(parsed.origin)) return parsed.toString();
      throw new DataplatError({
        code: 'TRINO_PROTOCOL',
        message: `Trino sent a ${field} on ${parsed ? parsed.origin : 'no absolute http(s) URL'}, not on ${[...trusted].join(', ')}: refusing to follow it (nothing was sent there).`,
        hint: 'If a proxy in front of Trino rewrites its links to another address of the same Trino, list that origin in allowedOrigins.',
      });
    },
  };
}
