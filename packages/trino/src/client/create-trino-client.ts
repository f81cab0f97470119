// createTrinoClient and Session: queries, statements and transactions over Trino's client protocol, on
// core's shared client kit (common options, transport, middleware) with Trino's basic/bearer auth and session state.
import { bearerAuthentication, createClientTransport, DataplatError, InvalidOptionsError, type ClientOptions, type HttpAuthentication } from '@dataplat/core';
import { QueryResult, type QueryOptions, type QuerySummary, type Row, type TrinoConnection } from '../query/query-result.ts';
import type { TrinoParameter } from '../types/literals.ts';
import { bindParameters, unboundStatement } from '../types/statement-binding.ts';
import { copyState, type SessionState } from './session-state.ts';
import { trinoOrigins } from './trino-origins.ts';

export type TrinoAuth =
  | { username: string; password: string }
  | { token: string | (() => string | Promise<string>) };

export interface TrinoClientOptions extends ClientOptions {
  /** The coordinator, e.g. `https://trino.example.com:8443`. */
  server: string;
  /** The Trino user (X-Trino-User). With basic auth it defaults to the username. */
  user?: string | undefined;
  /** Basic (username/password) or a bearer token (JWT, OAuth2 access token). Client certificates go in `tls`. */
  auth?: TrinoAuth | undefined;
  /**
   * Other origins of this same Trino that it may name in nextUri/ackUri (e.g. a proxy's address that it
   * rewrites links to). They get the same credentials, session and custom headers as `server`. A link to
   * any other origin fails the query with TRINO_PROTOCOL and nothing is sent there.
   */
  allowedOrigins?: readonly string[] | undefined;
  /** X-Trino-Source, shown in Trino's UI and used by resource groups. Default `dataplat-trino`. */
  source?: string | undefined;
  catalog?: string | undefined;
  schema?: string | undefined;
  /** Session time zone (X-Trino-Time-Zone), e.g. `UTC` or `Europe/Paris`. Default: the server's. */
  timeZone?: string | undefined;
  clientTags?: string[] | undefined;
  /** Session properties, e.g. `{ query_max_run_time: '10m' }`. */
  sessionProperties?: Record<string, string> | undefined;
  /** Credentials for connectors (X-Trino-Extra-Credential): sent to `server` (and `allowedOrigins`) only. */
  extraCredentials?: Record<string, string> | undefined;
  /** Extra HTTP headers on every request to `server` (and `allowedOrigins`); never to segment storage. */
  headers?: Record<string, string> | undefined;
  /** Per-request timeout (not per query; use an AbortSignal for that). Default 60 s. */
  timeoutMs?: number | undefined;
}

export interface RunOptions<Output> extends QueryOptions<Output> {
  /** Values bound to the `?` placeholders, as escaped literals (EXECUTE IMMEDIATE … USING). */
  params?: readonly TrinoParameter[] | undefined;
}

/** A Trino session: USE, SET SESSION, PREPARE, transactions and roles done through it stay in it. */
export class Session {
  private readonly state: SessionState;
  private readonly connection: TrinoConnection;

  constructor(connection: TrinoConnection, state: SessionState) {
    this.connection = connection;
    this.state = state;
  }

  get catalog(): string | undefined {
    return this.state.catalog;
  }
  get schema(): string | undefined {
    return this.state.schema;
  }
  /** Session properties set so far (SET SESSION). */
  get properties(): ReadonlyMap<string, string> {
    return this.state.properties;
  }
  /** Prepared statements of this session (PREPARE), by name. */
  get preparedStatements(): ReadonlyMap<string, string> {
    return this.state.preparedStatements;
  }
  get transactionId(): string | undefined {
    return this.state.transactionId;
  }

  /**
   * Starts a query and returns its rows as an async iterable (plus columns(), all(), first(), summary()).
   * Session changes the statement makes apply to this session once it completes.
   */
  query<Output = Row>(sql: string, options: RunOptions<Output> = {}): QueryResult<Output> {
    const statement = options.params?.length ? bindParameters(sql, options.params) : unboundStatement(sql);
    // Each query works on a snapshot, so concurrent queries of one session don't interleave half-applied changes.
    return new QueryResult<Output>(this.connection, copyState(this.state), statement, options, (changed) => this.adopt(changed));
  }

  /** Runs a statement to completion: for DDL, INSERT, USE, SET SESSION, PREPARE, … */
  execute(sql: string, options: RunOptions<Row> = {}): Promise<QuerySummary> {
    return this.query(sql, options).summary();
  }

  /** Runs `work` in a transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  async transaction<Result>(work: (session: Session) => Promise<Result>, options: { isolationLevel?: string; readOnly?: boolean } = {}): Promise<Result> {
    if (this.state.transactionId) throw new DataplatError({ code: 'TRINO_TRANSACTION_ACTIVE', message: 'This session is already in a transaction.', hint: 'Nested transactions are not supported by Trino.' });
    const modes = [options.isolationLevel ? `ISOLATION LEVEL ${options.isolationLevel}` : undefined, options.readOnly ? 'READ ONLY' : undefined].filter(Boolean);
    await this.execute(`START TRANSACTION${modes.length ? ` ${modes.join(', ')}` : ''}`);
    try {
      const result = await work(this);
      await this.execute('COMMIT');
      return result;
    } catch (error) {
      // After a failed statement Trino may already have ended the transaction; either way it is over here.
      if (this.state.transactionId) {
        await this.execute('ROLLBACK').catch(() => {
          this.state.transactionId = undefined;
        });
      }
      throw error;
    }
  }

  private adopt(changed: SessionState): void {
    Object.assign(this.state, copyState(changed));
  }
}

export function createTrinoClient(options: TrinoClientOptions) {
  const auth = options.auth;
  const server = new URL(options.server);
  const origins = trinoOrigins(server, options.allowedOrigins);
  let authentication: HttpAuthentication | undefined;
  // Over plain http to a host other than loopback, core's transport refuses any of these (INSECURE_AUTH) unless allowInsecureAuth.
  if (auth && 'username' in auth) {
    const basic = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    authentication = { headers: async () => ({ authorization: basic }), secrets: () => [auth.password, basic.slice(6)] };
  } else if (auth && 'token' in auth) {
    authentication = bearerAuthentication(auth.token, 'Trino');
  }
  const user = options.user ?? (auth && 'username' in auth ? auth.username : undefined);
  if (!user) throw new InvalidOptionsError({ message: 'A Trino user is required.', hint: 'Pass `user` (or basic auth, whose username is used).' });

  // Every request of a query goes through this transport (the POST, each nextUri page, heartbeats,
  // segment downloads and acknowledgements, the DELETE of a cancel), so middleware sees them all.
  const transport = createClientTransport(options, {
    baseUrl: server.toString(),
    serviceName: 'Trino',
    defaultUserAgent: 'dataplat-trino',
    defaultTimeoutMs: 60_000,
    headers: options.headers,
    authentication,
    trustedOrigins: origins.trusted,
  });
  const connection: TrinoConnection = { transport, origins };
  const initialState = (): SessionState => ({
    user,
    source: options.source ?? 'dataplat-trino',
    catalog: options.catalog,
    schema: options.schema,
    timeZone: options.timeZone,
    clientTags: options.clientTags ?? [],
    properties: new Map(Object.entries(options.sessionProperties ?? {})),
    preparedStatements: new Map(),
    roles: new Map(),
    extraCredentials: new Map(Object.entries(options.extraCredentials ?? {})),
  });

  return {
    /** A one-off query in a fresh session (nothing it changes outlives it). */
    query<Output = Row>(sql: string, queryOptions: RunOptions<Output> = {}): QueryResult<Output> {
      return new Session(connection, initialState()).query(sql, queryOptions);
    },
    /** Runs a statement to completion in a fresh session. */
    execute(sql: string, queryOptions: RunOptions<Row> = {}): Promise<QuerySummary> {
      return new Session(connection, initialState()).execute(sql, queryOptions);
    },
    /** A session of its own: USE, SET SESSION, PREPARE and transactions stay in it. */
    session(): Session {
      return new Session(connection, initialState());
    },
    /** Adds request/response middleware (sees every request: nextUri pages, retries, cancels); returns its remover. */
    use: transport.use,
    /** Removes middleware added with `use` or the `middleware` option. */
    eject: transport.eject,
    /** Closes pooled connections. */
    close: () => transport.close(),
  };
}

export type TrinoClient = ReturnType<typeof createTrinoClient>;
