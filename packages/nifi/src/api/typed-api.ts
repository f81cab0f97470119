// A thin, fully typed layer over every endpoint of NiFi's OpenAPI spec (the openapi-fetch idea, on our
// transport): `nifi.api.get('/process-groups/{id}', { path: { id } })` is checked against the spec for
// its path, path/query parameters, body and response type. Errors are thrown as typed errors.
import type { HttpTransport } from '@dataplat/core';
import type { paths } from '../generated/nifi-api.ts';

export type NifiPaths = paths;
export type NifiMethod = 'get' | 'put' | 'post' | 'delete';

/** Paths that support the given method. */
export type NifiPath<Method extends NifiMethod> = {
  [Path in keyof paths]: paths[Path] extends { [M in Method]: { responses: unknown } } ? Path : never;
}[keyof paths];

type OperationOf<Path extends keyof paths, Method extends NifiMethod> = paths[Path][Method];
type ParametersOf<Operation> = Operation extends { parameters: infer Parameters } ? Parameters : object;

type PathPart<Operation> = ParametersOf<Operation> extends { path: infer PathParameters } ? { path: PathParameters } : { path?: never };
type QueryPart<Operation> =
  ParametersOf<Operation> extends { query: infer Query }
    ? { query: Query }
    : ParametersOf<Operation> extends { query?: infer Query }
      ? [Exclude<Query, undefined>] extends [never]
        ? { query?: never }
        : { query?: Exclude<Query, undefined> }
      : { query?: never };

type ContentBody<Content> = 'application/json' extends keyof Content
  ? Content['application/json']
  : 'multipart/form-data' extends keyof Content
    ? FormData
    : 'application/octet-stream' extends keyof Content
      ? Uint8Array
      : Content[keyof Content];
type BodyPart<Operation> = Operation extends { requestBody: { content: infer Content } }
  ? { body: ContentBody<Content> }
  : Operation extends { requestBody?: { content: infer Content } }
    ? { body?: ContentBody<Content> }
    : { body?: never };

export interface CallOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  headers?: Record<string, string> | undefined;
}

export type NifiRequestOptions<Path extends keyof paths, Method extends NifiMethod> = PathPart<OperationOf<Path, Method>> &
  QueryPart<OperationOf<Path, Method>> &
  BodyPart<OperationOf<Path, Method>> &
  CallOptions;

type SuccessStatus = 200 | 201 | 202 | 206 | 'default';
type ResponseContent<Response> = Response extends { content: infer Content }
  ? 'application/json' extends keyof Content
    ? Content['application/json']
    : 'text/plain' extends keyof Content
      ? string
      : 'application/octet-stream' extends keyof Content
        ? Uint8Array
        : Content[keyof Content]
  : undefined;

/** The body of a successful answer of an operation. */
export type NifiResponse<Path extends keyof paths, Method extends NifiMethod> =
  OperationOf<Path, Method> extends { responses: infer Responses }
    ? { [Status in keyof Responses]: Status extends SuccessStatus ? ResponseContent<Responses[Status]> : never }[keyof Responses]
    : never;

type ArgumentsFor<Path extends keyof paths, Method extends NifiMethod> =
  object extends NifiRequestOptions<Path, Method>
    ? [options?: NifiRequestOptions<Path, Method>]
    : [options: NifiRequestOptions<Path, Method>];

export interface NifiApi {
  get<Path extends NifiPath<'get'>>(path: Path, ...args: ArgumentsFor<Path, 'get'>): Promise<NifiResponse<Path, 'get'>>;
  put<Path extends NifiPath<'put'>>(path: Path, ...args: ArgumentsFor<Path, 'put'>): Promise<NifiResponse<Path, 'put'>>;
  post<Path extends NifiPath<'post'>>(path: Path, ...args: ArgumentsFor<Path, 'post'>): Promise<NifiResponse<Path, 'post'>>;
  delete<Path extends NifiPath<'delete'>>(path: Path, ...args: ArgumentsFor<Path, 'delete'>): Promise<NifiResponse<Path, 'delete'>>;
}

interface UntypedOptions extends CallOptions {
  path?: Record<string, string | number>;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
}

export function createNifiApi(transport: HttpTransport): NifiApi {
  async function call(method: 'GET' | 'PUT' | 'POST' | 'DELETE', template: string, options: UntypedOptions = {}): Promise<unknown> {
    const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const value = options.path?.[name];
      if (value === undefined || value === '') {
        throw new TypeError(`NiFi path ${template} needs the path parameter "${name}" (options.path.${name}).`);
      }
      return encodeURIComponent(String(value));
    });
    const { body } = options;
    const response = await transport.request({
      method,
      path,
      query: options.query,
      headers: options.headers,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
      body:
        body === undefined
          ? undefined
          : body instanceof FormData
            ? { multipart: body }
            : body instanceof Uint8Array
              ? { bytes: body }
              : { json: body },
    });
    return response.body;
  }
  const bind = (method: 'GET' | 'PUT' | 'POST' | 'DELETE') => (path: string, options?: UntypedOptions) => call(method, path, options);
  return { get: bind('GET'), put: bind('PUT'), post: bind('POST'), delete: bind('DELETE') } as NifiApi;
}
