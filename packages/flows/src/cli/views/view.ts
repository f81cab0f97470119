// Where a command's output goes, human or JSON: results on stdout (JSON with --json), progress on stderr
// only on a terminal and never with --json, warnings and errors on stderr (or as JSON on stdout).
import { DataplatError } from '@dataplat/core/errors';
import type { CliIo } from '../io.ts';

export interface View {
  readonly json: boolean;
  /** Whether the human output may use colour (a terminal, and NO_COLOR unset). */
  readonly color: boolean;
  /** A progress line for people watching a terminal. */
  progress(text: string): void;
  /** The command's result: `json` with --json, else the human text (nothing when it is empty). */
  result(json: unknown, human: () => string): void;
  /** Human-only notes on stderr (e.g. "wrote plan.json"); silent with --json. */
  note(text: string): void;
  warning(text: string): void;
  /**
   * Something that happens while a command runs (e.g. waiting for the apply lock): with --json one JSON
   * line `{ event, ...data }` on stderr (stdout keeps the one result); else the human text as a note,
   * a progress line (terminal only) or a warning.
   */
  event(name: string, data: object, human: () => { note?: string; progress?: string; warning?: string }): void;
  /** A failure: `{ error: { code, message, hint, details? } }` on stdout with --json, else `error: …` on stderr (the message ends with the hint). */
  failure(error: unknown): void;
}

export function createView(io: CliIo, json: boolean): View {
  const line = (stream: NodeJS.WritableStream, text: string) => stream.write(text.endsWith('\n') ? text : `${text}\n`);
  const view: View = {
    json,
    color: io.isTTY && !io.env['NO_COLOR'],
    progress(text) {
      if (!json && io.isTTY) line(io.stderr, text);
    },
    result(value, human) {
      if (json) line(io.stdout, JSON.stringify(value, null, 2));
      else {
        const text = human();
        if (text) line(io.stdout, text);
      }
    },
    note(text) {
      if (!json) line(io.stderr, text);
    },
    warning(text) {
      if (!json) line(io.stderr, `warning: ${text}`);
    },
    event(name, data, human) {
      if (json) {
        line(io.stderr, JSON.stringify({ event: name, ...data }));
        return;
      }
      const { note, progress, warning } = human();
      if (note) view.note(note);
      if (progress) view.progress(progress);
      if (warning) view.warning(warning);
    },
    failure(error) {
      const known = DataplatError.isInstance(error);
      const message = known ? error.message : `Unexpected failure: ${(error as Error).stack ?? String(error)}`;
      // Errors that carry structured details (a lock's holder) keep them for tools.
      const details = known && 'details' in error && typeof error.details === 'object' ? { details: error.details } : {};
      if (json) line(io.stdout, JSON.stringify({ error: { code: known ? error.code : 'UNEXPECTED', message, ...(known && error.hint ? { hint: error.hint } : {}), ...details } }));
      else line(io.stderr, `error: ${message}`);
    },
  };
  return view;
}
