// One query on Trino's client protocol: POST /v1/statement, then follow nextUri until it is gone,
// decoding rows as pages arrive. Memory is bounded by bytes, not pages or segments: pages and segments are
// fetched ahead only while the bytes held (downloaded or downloading, not yet read) stay under
// `maxBufferedBytes`, and each page or segment is decoded a slice of rows at a time as you read. Cancel
// with an AbortSignal, cancel(), or by leaving a for-await loop early: the query is then deleted on
// the server (DELETE nextUri), never left running.
import { DataplatError, RequestFailedError, type HttpTransport } from '@dataplat/core';
import type { Column, QueryResults, QueryStats } from '../client/protocol.ts';
import { applyResponseHeaders, requestHeaders, type SessionState } from '../client/session-state.ts';
import { TrinoQueryError } from '../client/trino-errors.ts';
import type { TrinoOrigins } from '../client/trino-origins.ts';
import type { BoundStatement } from '../types/statement-binding.ts';
import { containsBigint, parseExact, parsePage, precisionLost, rowBuilder, type DecodeOptions } from '../types/decoders.ts';
import { freeBytes, rowSlices, splitPage } from '../types/json-slices.ts';
import { isSpooledData, segmentJson, supportedEncodings, type Segment, type SpoolingEncoding } from '../types/segments.ts';

export type Row = Record<string, unknown>;

/** Anything with a zod-like `parse`: each decoded row is passed through it (zod, valibot's parser, …). */
export interface RowSchema<Output> {
  parse(value: unknown): Output;
}

export interface QueryOptions<Output = Row> extends DecodeOptions {
  signal?: AbortSignal | undefined;
  /** `object` (default): rows keyed by column name. `array`: positional tuples. */
  rowMode?: 'object' | 'array' | undefined;
  /** Validates and types each row (e.g. a zod object schema). */
  schema?: RowSchema<Output> | undefined;
  /** Called with Trino's progress statistics on every page. */
  onProgress?: ((stats: QueryStats) => void) | undefined;
  /**
   * The spooling protocol: encodings to offer, in preference order (default json+zstd, json+lz4, json).
   * Trino uses one when spooling is enabled on the server, else sends rows directly. `false`: direct only.
   */
  encoding?: SpoolingEncoding | readonly SpoolingEncoding[] | false | undefined;
  /**
   * Bytes of result data held ahead of what you read (default 32 MiB): pages and spooled segments as
   * received (compressed), plus the decompressed segment being read. Fetching ahead stops at this budget
   * and resumes as you read, so a slow consumer holds Trino back instead of filling memory. At least one
   * page or segment is always held, whatever its size (Trino's segments are up to ~16 MB uncompressed).
   */
  maxBufferedBytes?: number | undefined;
  /** At most this many spooled segments download at once (default 4), within `maxBufferedBytes`. */
  maxSegmentDownloads?: number | undefined;
  /**
   * While you hold rows without asking for more, Trino would abandon the query after
   * `query.client.timeout` (5 minutes by default). Every this many ms of idleness the client re-reads
   * the last page (which Trino answers again without advancing), marking the query alive. Default 60 s; 0 disables.
   */
  heartbeatIntervalMs?: number | undefined;
}

export interface SpoolingSummary {
  encoding: string;
  inlineSegments: number;
  spooledSegments: number;
}

export interface QuerySummary {
  queryId: string;
  columns: Column[];
  stats: QueryStats | undefined;
  /** For INSERT, CREATE TABLE AS, DELETE, …: the statement kind and the rows it changed. */
  updateType: string | undefined;
  updateCount: number | undefined;
}

/** How a query reaches Trino: the client's transport and the origins its links may point at. */
export interface TrinoConnection {
  transport: HttpTransport;
  origins: TrinoOrigins;
}

export class QueryResult<Output = Row> implements AsyncIterable<Output> {
  /** The SQL as you wrote it (with `?` for parameters; the values are bound separately). */
  readonly sql: string;
  private readonly statement: BoundStatement;
  private readonly transport: HttpTransport;
  private readonly origins: TrinoOrigins;
  private readonly state: SessionState;
  private readonly options: QueryOptions<Output>;
  private readonly onComplete: (state: SessionState) => void;
  /**
   * Aborts segment downloads on cancel. Page requests to Trino are not aborted: Trino long-polls them
   * (up to a second) and a DELETE makes it answer at once; aborting a TLS request mid-flight leaves
   * undici with a request that errors later, when the pool closes.
   */
  private readonly controller = new AbortController();
  /** Settles when the query is cancelled, so waiting readers return without waiting for Trino. */
  private readonly stopped = Promise.withResolvers<void>();

  private queryId: string | undefined;
  private nextUri: string | undefined;
  private columnList: Column[] | undefined;
  private buildRow: (values: unknown[]) => unknown = () => undefined;
  private mayHoldBigints = true;
  private latestStats: QueryStats | undefined;
  private updateType: string | undefined;
  private updateCount: number | undefined;
  private readonly buffered: Output[][] = [];
  /** Pages' rows and segments in order, not yet read; spooled segments download ahead within the byte budget. */
  private readonly sources: RowSource[] = [];
  /** The page or segment being read, a slice of rows at a time. */
  private reader: { slices: Iterator<unknown[][]>; source: RowSource } | undefined;
  /** Bytes of the sources held: downloaded or downloading, and the one being read. */
  private heldBytes = 0;
  private spoolingSummary: SpoolingSummary | undefined;
  private started = false;
  private finished = false;
  /** Cancel or abort: stops handing out rows at once. */
  private failure: unknown;
  /** The query failed (or a request did): surfaces after the rows received before it. */
  private endError: unknown;
  private pending: Promise<void> | undefined;
  private iterated = false;
  /** The last page URI fetched: asking it again returns the same page and tells Trino the client is alive. */
  private lastFetchedUri: string | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private pageRequestInFlight = false;
  /** The text of the slice being decoded, parsed again exactly if a bigint lost precision. */
  private lastSliceText: string | undefined;

  constructor(connection: TrinoConnection, state: SessionState, statement: BoundStatement, options: QueryOptions<Output>, onComplete: (state: SessionState) => void) {
    this.transport = connection.transport;
    this.origins = connection.origins;
    this.state = state;
    this.statement = statement;
    this.sql = statement.sql;
    this.options = options;
    this.onComplete = onComplete;
    const signal = options.signal;
    if (signal) {
      if (signal.aborted) this.fail(this.abortError(signal.reason));
      else signal.addEventListener('abort', () => void this.cancel(this.abortError(signal.reason)), { once: true });
    }
  }

  /** Whether Trino answered with the spooling protocol, and how many segments of each kind. */
  get spooling(): SpoolingSummary | undefined {
    return this.spoolingSummary;
  }

  /** The latest progress statistics Trino reported. */
  get stats(): QueryStats | undefined {
    return this.latestStats;
  }

  /** Trino's id of the query (once it was accepted; still available after a cancel). */
  async id(): Promise<string> {
    while (this.queryId === undefined && !this.finished) await this.pull();
    if (this.queryId !== undefined) return this.queryId;
    this.throwIfFailed();
    if (this.endError !== undefined) throw this.endError;
    throw new DataplatError({ code: 'TRINO_PROTOCOL', message: 'Trino answered without a query id.' });
  }

  /** The result columns with their SQL types (fetches pages until Trino sent them, buffering rows). */
  async columns(): Promise<Column[]> {
    while (this.columnList === undefined && !this.finished) await this.pull();
    if (this.columnList) return this.columnList;
    this.throwIfFailed();
    if (this.endError !== undefined) throw this.endError;
    return [];
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Output> {
    for await (const page of this.pages()) {
      for (const row of page) {
        // After a cancel or abort, rows already received are not handed out any more.
        this.throwIfFailed();
        yield row;
      }
    }
  }

  /** The rows page by page, as Trino sends them (fewer awaits than row by row). */
  async *pages(): AsyncGenerator<Output[]> {
    if (this.iterated) throw new DataplatError({ code: 'TRINO_RESULT_CONSUMED', message: 'The rows of a query can be read once.', hint: 'Collect them with all(), or run the query again.' });
    this.iterated = true;
    let completed = false;
    try {
      for (;;) {
        const page = this.buffered.shift();
        if (page) {
          yield page;
          this.throwIfFailed();
          continue;
        }
        if (this.exhausted) break;
        await this.pull();
      }
      this.throwIfFailed();
      if (this.endError !== undefined) throw this.endError;
      completed = true;
    } finally {
      if (!completed && !this.exhausted) {
        // Leaving the loop early (break, return, a throw in its body) cancels the query on the server,
        // except inside a transaction, where a cancel would abort the transaction: the rest is read and dropped.
        if (this.state.transactionId) while (!this.exhausted) await this.pull().then(() => void (this.buffered.length = 0));
        else await this.cancel();
      }
    }
  }

  /** Every row. */
  async all(): Promise<Output[]> {
    const rows: Output[] = [];
    for await (const page of this.pages()) for (const row of page) rows.push(row);
    return rows;
  }

  /** The first row (or undefined); the rest of the query is cancelled. */
  async first(): Promise<Output | undefined> {
    for await (const row of this) return row;
    return undefined;
  }

  /** Runs the query to its end, ignoring rows (for DDL, INSERT, USE, SET SESSION, …). */
  async summary(): Promise<QuerySummary> {
    if (!this.iterated) for await (const _ of this.pages());
    while (!this.finished) await this.pull();
    this.throwIfFailed();
    if (this.endError !== undefined) throw this.endError;
    return { queryId: this.queryId!, columns: this.columnList ?? [], stats: this.latestStats, updateType: this.updateType, updateCount: this.updateCount };
  }

  /** No more requests to make and no segment left to read. */
  private get exhausted(): boolean {
    return this.finished && this.sources.length === 0 && this.reader === undefined;
  }

  /** Stops the query on the server. Pending reads fail with code ABORTED. */
  async cancel(reason?: unknown): Promise<void> {
    if (this.failure !== undefined || this.exhausted) return;
    const nextUri = this.nextUri;
    this.fail(reason ?? new DataplatError({ code: 'ABORTED', message: `${this.describe()} was cancelled.` }));
    await this.stopOnServer(nextUri);
  }

  /** Aborts what is in flight and deletes the query on Trino (DELETE nextUri), ignoring failures to do so. */
  private async stopOnServer(nextUri: string | undefined): Promise<void> {
    this.controller.abort();
    if (nextUri) {
      await this.transport.request({ method: 'DELETE', path: nextUri, headers: requestHeaders(this.state), responseType: 'text' }).catch(() => undefined);
    }
  }

  private describe(): string {
    return this.queryId ? `Query ${this.queryId}` : 'The query';
  }

  private abortError(reason: unknown): DataplatError {
    return new DataplatError({ code: 'ABORTED', message: `${this.describe()} was aborted.`, cause: reason });
  }

  private fail(error: unknown): void {
    clearTimeout(this.heartbeatTimer);
    if (this.exhausted) return;
    this.stopped.resolve();
    this.failure = error;
    this.finished = true;
    this.buffered.length = 0;
    this.sources.length = 0;
    this.reader = undefined;
    this.heldBytes = 0;
  }

  private end(error: unknown): void {
    clearTimeout(this.heartbeatTimer);
    this.endError = error;
    this.finished = true;
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  /** Waits for the next rows (a segment, or the next page) and keeps fetching ahead. */
  private async pull(): Promise<void> {
    clearTimeout(this.heartbeatTimer);
    try {
      await this.pullOnce();
    } finally {
      this.scheduleHeartbeat();
    }
  }

  private scheduleHeartbeat(): void {
    const interval = this.options.heartbeatIntervalMs ?? 60_000;
    if (interval <= 0 || this.finished) return;
    this.heartbeatTimer = setTimeout(() => {
      const uri = this.lastFetchedUri;
      // Only while idle: a request in flight already tells Trino the client is there.
      if (uri && !this.pageRequestInFlight && !this.finished) {
        void this.transport.request({ method: 'GET', path: uri, headers: requestHeaders(this.state), responseType: 'text' }).catch(() => undefined);
      }
      this.scheduleHeartbeat();
    }, interval);
    // Never keep the process alive just for this.
    this.heartbeatTimer.unref();
  }

  private async pullOnce(): Promise<void> {
    if (this.reader) {
      try {
        const next = this.reader.slices.next();
        if (!next.done) {
          this.buffered.push(this.decodeSlice(next.value));
          return;
        }
        this.reader.source.finish();
        this.release(this.reader.source);
        this.reader = undefined;
      } catch (error) {
        await this.endWith(error);
        return;
      }
      this.fetchAhead();
      return;
    }
    const source = this.sources.shift();
    if (source) {
      try {
        this.startSource(source);
        const slices = await source.load!;
        if (!this.failure) this.reader = { slices, source };
      } catch (error) {
        // A segment that cannot be read ends the query: rows are never silently missing.
        await this.endWith(error);
      }
      this.fetchAhead();
      return;
    }
    if (this.finished) return;
    this.pending ??= this.fetchPage();
    const current = this.pending;
    await Promise.race([current, this.stopped.promise]);
    if (this.pending === current) this.pending = undefined;
    this.fetchAhead();
  }

  /** Ends the query with a failure to read its rows, and stops it on the server. */
  private async endWith(error: unknown): Promise<void> {
    if (this.failure) return;
    const nextUri = this.finished ? undefined : this.nextUri;
    this.sources.length = 0;
    this.reader = undefined;
    this.heldBytes = 0;
    this.end(error);
    await this.stopOnServer(nextUri);
  }

  private get budget(): number {
    return this.options.maxBufferedBytes ?? 32 * 2 ** 20;
  }

  /** Starts a source's download (a spooled segment) and counts its bytes as held. */
  private startSource(source: RowSource): void {
    if (source.load) return;
    this.heldBytes += source.bytes;
    source.load = source.start();
    source.load.catch(() => undefined); // awaited in order later; don't let an early failure go unhandled meanwhile
  }

  private release(source: RowSource): void {
    this.heldBytes -= source.bytes;
    for (const bytes of source.buffers) freeBytes(bytes);
    source.buffers.length = 0;
  }

  /**
   * Within the byte budget: starts downloading the next segments, and fetches the next page while you
   * read what arrived (only once every known segment is downloading: a page only brings more segments).
   */
  private fetchAhead(): void {
    if (this.finished && this.sources.length === 0) return;
    const maxDownloads = this.options.maxSegmentDownloads ?? 4;
    let downloading = this.sources.filter((source) => source.load !== undefined && source.spooled).length;
    for (const source of this.sources) {
      if (source.load) continue;
      if (this.heldBytes > 0 && this.heldBytes + source.bytes > this.budget) return;
      if (source.spooled && downloading >= maxDownloads) return;
      if (source.spooled) downloading++;
      this.startSource(source);
    }
    if (!this.finished && this.nextUri && !this.pending && this.heldBytes < this.budget) this.pending = this.fetchPage();
  }

  private async fetchPage(): Promise<void> {
    this.pageRequestInFlight = true;
    try {
      const first = !this.started;
      this.started = true;
      const encodings = this.options.encoding === false ? [] : typeof this.options.encoding === 'string' ? [this.options.encoding] : (this.options.encoding ?? supportedEncodings);
      const path = first ? '/v1/statement' : this.nextUri!;
      const response = await this.transport.request<Uint8Array>({
        method: first ? 'POST' : 'GET',
        path,
        headers: { ...requestHeaders(this.state), ...(first && encodings.length ? { 'x-trino-query-data-encoding': encodings.join(',') } : {}) },
        body: first ? { text: this.statement.statement } : undefined,
        // A nextUri GET is repeatable (its token names the page), so it is retried after resets and
        // timeouts too, and never duplicates or skips rows. The POST may have started the query: it is
        // repeated only where Trino's protocol says "not processed, try again" (502/503/504) or the
        // connection was refused, never after a timeout or a reset, which would start it twice.
        idempotent: !first,
        retryUnavailable: first,
        // Bytes, not text: the rows are parsed from them a slice at a time (see json-slices.ts).
        responseType: 'bytes',
      });
      if (this.finished) return;
      if (!first) this.lastFetchedUri = path;
      applyResponseHeaders(this.state, response.headers);
      const bytes = Buffer.from(response.body.buffer, response.body.byteOffset, response.body.byteLength);
      const split = splitPage(bytes, (text) => parsePage(text, this.mayHoldBigints));
      this.accept(split.page as unknown as QueryResults, split.data && { bytes, ...split.data });
    } catch (error) {
      if (this.finished) return; // cancelled meanwhile: the cancellation error stands
      if (RequestFailedError.isInstance(error) && error.code === 'ABORTED') this.fail(this.abortError(error));
      else this.end(error);
    } finally {
      this.pageRequestInFlight = false;
    }
  }

  private accept(results: QueryResults, rows?: { bytes: Buffer; open: number; close: number }): void {
    this.queryId = results.id;
    this.nextUri = undefined;
    // Links are checked before anything is sent there: one to another origin ends the query (see trino-origins.ts).
    // A foreign ackUri refuses the page before its segments download; a foreign nextUri after this page's rows.
    const data: unknown = results.data;
    if (isSpooledData(data)) for (const segment of data.segments) if (segment.type === 'spooled' && segment.ackUri) segment.ackUri = this.origins.check(segment.ackUri, 'segment ackUri');
    let nextUri: string | undefined;
    let foreignLink: unknown;
    try {
      nextUri = results.nextUri === undefined ? undefined : this.origins.check(results.nextUri, 'nextUri');
    } catch (error) {
      foreignLink = error;
    }
    this.latestStats = results.stats;
    if (results.stats) this.options.onProgress?.(results.stats);
    if (results.columns && !this.columnList) this.useColumns(results.columns);
    if (isSpooledData(data)) {
      this.spoolingSummary ??= { encoding: data.encoding, inlineSegments: 0, spooledSegments: 0 };
      for (const segment of data.segments) this.sources.push(this.segmentSource(data.encoding, segment));
    } else if (rows || results.data?.length) {
      if (!this.columnList) throw new DataplatError({ code: 'TRINO_PROTOCOL', message: `Query ${results.id}: data arrived before the columns.` });
      if (rows) {
        const parse = (text: string) => this.parseSlice(text);
        const slices = rowSlices(rows.bytes, rows.open, rows.close, parse);
        this.sources.push({ bytes: rows.bytes.length, spooled: false, start: () => Promise.resolve(slices), finish: () => undefined, load: undefined, buffers: [rows.bytes] });
        // Held from now on: it arrived.
        this.startSource(this.sources.at(-1)!);
      } else {
        this.buffered.push(this.decodeRows(results.data!));
      }
    }
    if (results.updateType) this.updateType = results.updateType;
    if (results.updateCount !== undefined) this.updateCount = results.updateCount;
    if (results.error) {
      this.end(new TrinoQueryError(results.id, results.error, this.statement));
      return;
    }
    if (foreignLink !== undefined) {
      this.end(foreignLink);
      return;
    }
    this.nextUri = nextUri;
    if (!nextUri) {
      this.finished = true;
      this.onComplete(this.state);
    }
  }

  /** A segment as a source of rows: a spooled one downloads when the byte budget allows. */
  private segmentSource(encoding: string, segment: Segment): RowSource {
    const metadata = segment.metadata;
    // The compressed bytes from the start of its download; the decompressed JSON is added while it is read.
    const bytes = metadata.segmentSize;
    let rowsRead = 0;
    const parse = (text: string) => {
      const parsed = this.parseSlice(text);
      rowsRead += parsed.length;
      return parsed;
    };
    const start = async (): Promise<Iterator<unknown[][]>> => {
      let received: Uint8Array;
      if (segment.type === 'inline') {
        this.spoolingSummary!.inlineSegments++;
        received = Buffer.from(segment.data, 'base64');
      } else {
        this.spoolingSummary!.spooledSegments++;
        // Only the segment's own headers go to the storage URL: never Trino credentials or session headers.
        const headers = Object.fromEntries(Object.entries(segment.headers ?? {}).map(([name, values]) => [name, values.join(', ')]));
        const response = await this.transport.request<Uint8Array>({ method: 'GET', path: segment.uri, headers, omitDefaultHeaders: true, responseType: 'bytes', signal: this.controller.signal });
        received = response.body;
      }
      const json = segmentJson(encoding, received, metadata);
      source.buffers.push(received);
      if (json.buffer !== received.buffer) {
        source.buffers.push(json);
        source.bytes += json.length;
        this.heldBytes += json.length;
      }
      let close = json.length - 1;
      while (close > 0 && json[close] !== 0x5d) close--;
      return rowSlices(json, json.indexOf(0x5b), close, parse);
    };
    const finish = () => {
      // Rows are handed out a slice at a time, so a short segment fails the query after its last slice: never a short result.
      if (rowsRead !== metadata.rowsCount) {
        throw new DataplatError({
          code: 'TRINO_PROTOCOL',
          message: `Query ${this.queryId}: a segment at row ${metadata.rowOffset} holds ${rowsRead} rows instead of ${metadata.rowsCount}.`,
          hint: 'The segment was cut short or altered on its way; run the query again.',
        });
      }
      // Acknowledge so Trino deletes the segment now rather than when it expires; a failed ack costs nothing.
      if (segment.type === 'spooled' && segment.ackUri) {
        void this.transport.request({ method: 'GET', path: segment.ackUri, headers: requestHeaders(this.state), responseType: 'text' }).catch(() => undefined);
      }
    };
    const source: RowSource = { bytes, spooled: segment.type === 'spooled', start, finish, load: undefined, buffers: [] };
    return source;
  }

  private useColumns(columns: Column[]): void {
    this.columnList = columns;
    this.buildRow = rowBuilder(columns, this.options, this.options.rowMode === 'array' ? 'array' : 'object');
    this.mayHoldBigints = columns.some((column) => containsBigint(column.typeSignature));
  }

  /**
   * A slice's rows with the fast native parse: no scan for long numbers first. A bigint beyond 2^53 that
   * it rounded is noticed while decoding (precisionLost), and the slice is parsed again exactly.
   */
  private parseSlice(text: string): unknown[][] {
    this.lastSliceText = text;
    return JSON.parse(text) as unknown[][];
  }

  private decodeSlice(data: unknown[][]): Output[] {
    try {
      return this.decodeRows(data);
    } catch (error) {
      if (error !== precisionLost || this.lastSliceText === undefined) throw error;
      return this.decodeRows(parseExact(this.lastSliceText) as unknown[][]);
    }
  }

  /** Decodes parsed rows in place: `data` is the client's own, fresh from JSON.parse, and becomes the page. */
  private decodeRows(data: unknown[][]): Output[] {
    const buildRow = this.buildRow;
    const schema = this.options.schema;
    const rows = data as unknown[];
    for (let index = 0; index < rows.length; index++) {
      const row = buildRow(rows[index] as unknown[]);
      rows[index] = schema ? schema.parse(row) : row;
    }
    return rows as Output[];
  }
}

/** A page's rows or a segment, in result order: `start` makes its rows available (downloading a spooled segment). */
interface RowSource {
  /** Bytes it holds once started, counted against `maxBufferedBytes`. */
  bytes: number;
  spooled: boolean;
  start(): Promise<Iterator<unknown[][]>>;
  /** Called after its last slice: checks the row count and acknowledges a spooled segment. */
  finish(): void;
  load: Promise<Iterator<unknown[][]>> | undefined;
  /** Its bytes, freed as soon as its rows are read. */
  buffers: Uint8Array[];
}
