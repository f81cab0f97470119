// The one owner of "may credentials go to this URL": https anywhere, plain http only to a loopback host
// (the local stack) unless the caller says allowInsecureAuth. Every client's transport asks it.
import { DataplatError } from '../errors/dataplat-error.ts';

const insecureAuthBrand = Symbol.for('dataplat.insecure-auth-error');

/** Code INSECURE_AUTH: credentials would travel in clear text to a host other than this machine. */
export class InsecureAuthError extends DataplatError {
  readonly [insecureAuthBrand] = true;
  override name = 'InsecureAuthError';
  declare readonly code: 'INSECURE_AUTH';

  constructor(options: { message: string; hint?: string | undefined }) {
    super({ ...options, code: 'INSECURE_AUTH' });
  }

  static override isInstance(error: unknown): error is InsecureAuthError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[insecureAuthBrand] === true;
  }
}

/**
 * 127.0.0.0/8, ::1 and `localhost` (a URL's hostname: IPv6 in brackets, maybe a trailing dot). Other names
 * under `.localhost` are not counted: whether they resolve to loopback depends on the resolver.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const octets = host.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255);
}

export interface CredentialPolicyOptions {
  /** Send credentials over plain http to a host other than loopback (clear text on the network). */
  allowInsecureAuth?: boolean | undefined;
}

/** Whether credentials (passwords, tokens, logins) may be sent to `url`. */
export function mayCarryCredentials(url: URL, options: CredentialPolicyOptions = {}): boolean {
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  return isLoopbackHost(url.hostname) || options.allowInsecureAuth === true;
}

/** Throws INSECURE_AUTH unless credentials may go to `url` (the message names the origin, never a credential). */
export function assertMayCarryCredentials(url: URL, serviceName: string, options: CredentialPolicyOptions = {}): void {
  if (mayCarryCredentials(url, options)) return;
  throw new InsecureAuthError({
    message: `Refusing to send ${serviceName} credentials to ${url.origin} over plain http: they would travel in clear text.`,
    hint: `Use the https:// URL of ${serviceName}, or pass allowInsecureAuth: true if the network between you is trusted (loopback hosts are always allowed).`,
  });
}
