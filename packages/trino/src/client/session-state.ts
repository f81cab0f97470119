// What a Trino session is made of. Trino keeps no session on the server: the client sends it as
// headers with every request and the server asks for changes in response headers (USE, SET SESSION,
// PREPARE, START TRANSACTION, SET ROLE, SET PATH, SET SESSION AUTHORIZATION). Each Session owns its
// state, so concurrent sessions never see each other's changes.

export interface SessionState {
  user: string;
  source: string;
  catalog?: string | undefined;
  schema?: string | undefined;
  path?: string | undefined;
  timeZone?: string | undefined;
  clientTags: string[];
  properties: Map<string, string>;
  preparedStatements: Map<string, string>;
  /** `catalog` (or `system`) → role specification, e.g. `ROLE{admin}` or `ALL`. */
  roles: Map<string, string>;
  transactionId?: string | undefined;
  authorizationUser?: string | undefined;
  extraCredentials: Map<string, string>;
}

export function copyState(state: SessionState): SessionState {
  return {
    ...state,
    clientTags: [...state.clientTags],
    properties: new Map(state.properties),
    preparedStatements: new Map(state.preparedStatements),
    roles: new Map(state.roles),
    extraCredentials: new Map(state.extraCredentials),
  };
}

const encode = (value: string) => encodeURIComponent(value);

export function requestHeaders(state: SessionState): Record<string, string> {
  const headers: Record<string, string> = {
    'x-trino-user': state.user,
    'x-trino-source': state.source,
    // Without it Trino rounds time and timestamp values to milliseconds.
    'x-trino-client-capabilities': 'PATH,PARAMETRIC_DATETIME,SESSION_AUTHORIZATION',
    'x-trino-transaction-id': state.transactionId ?? 'NONE',
  };
  if (state.catalog) headers['x-trino-catalog'] = state.catalog;
  if (state.schema) headers['x-trino-schema'] = state.schema;
  if (state.path) headers['x-trino-path'] = state.path;
  if (state.timeZone) headers['x-trino-time-zone'] = state.timeZone;
  if (state.clientTags.length) headers['x-trino-client-tags'] = state.clientTags.join(',');
  if (state.authorizationUser) headers['x-trino-authorization-user'] = state.authorizationUser;
  if (state.properties.size) headers['x-trino-session'] = [...state.properties].map(([name, value]) => `${name}=${encode(value)}`).join(',');
  if (state.preparedStatements.size) {
    headers['x-trino-prepared-statement'] = [...state.preparedStatements].map(([name, sql]) => `${encode(name)}=${encode(sql)}`).join(',');
  }
  if (state.roles.size) headers['x-trino-role'] = [...state.roles].map(([catalog, role]) => `${encode(catalog)}=${encode(role)}`).join(',');
  if (state.extraCredentials.size) {
    headers['x-trino-extra-credential'] = [...state.extraCredentials].map(([name, value]) => `${name}=${encode(value)}`).join(',');
  }
  return headers;
}

function values(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  return (Array.isArray(header) ? header : [header]).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
}

// Trino encodes header values like an HTML form (Java's URLEncoder): '+' is a space.
function formDecode(value: string): string {
  return decodeURIComponent(value.replaceAll('+', ' '));
}

function splitPair(pair: string): [string, string] {
  const separator = pair.indexOf('=');
  return [formDecode(pair.slice(0, separator).trim()), formDecode(pair.slice(separator + 1).trim())];
}

/** Applies the session changes Trino asked for in a response's headers. */
export function applyResponseHeaders(state: SessionState, headers: Record<string, string | string[] | undefined>): void {
  const single = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const catalog = single('x-trino-set-catalog');
  if (catalog !== undefined) state.catalog = catalog;
  const schema = single('x-trino-set-schema');
  if (schema !== undefined) state.schema = schema;
  const path = single('x-trino-set-path');
  if (path !== undefined) state.path = path;
  for (const pair of values(headers['x-trino-set-session'])) {
    const [name, value] = splitPair(pair);
    state.properties.set(name, value);
  }
  for (const name of values(headers['x-trino-clear-session'])) state.properties.delete(name);
  for (const pair of values(headers['x-trino-set-role'])) {
    const [catalogName, role] = splitPair(pair);
    state.roles.set(catalogName, role);
  }
  for (const pair of values(headers['x-trino-added-prepare'])) {
    const [name, sql] = splitPair(pair);
    state.preparedStatements.set(name, sql);
  }
  for (const name of values(headers['x-trino-deallocated-prepare'])) state.preparedStatements.delete(formDecode(name));
  const started = single('x-trino-started-transaction-id');
  if (started !== undefined) state.transactionId = started;
  if (single('x-trino-clear-transaction-id') !== undefined) state.transactionId = undefined;
  const authorizationUser = single('x-trino-set-authorization-user');
  if (authorizationUser !== undefined) state.authorizationUser = authorizationUser;
  if (single('x-trino-reset-authorization-user') !== undefined) state.authorizationUser = undefined;
}
