// The options of `flows test`, declared as data (help, parsing and the reference read them), and the
// typed struct the command works with.
import { convertedValue, jsonOption, nifiOptions, projectOption, UsageError, value, type OptionValues } from './options.ts';

export const testOptions = {
  filter: value('pattern', 'run only the cases whose name contains this text (case-insensitive), or matches /regex/'),
  parallel: convertedValue('n', 'run up to n cases at once, each in its own copy (default 1; at most 16)', parallelism),
  junit: value('file', 'also write the results as JUnit XML to this file (for CI test reports)'),
  format: value('format', 'human (default), json, or github (human output plus GitHub Actions annotations at the failing lines of the test files)', { choices: ['human', 'json', 'github'] }),
  ...jsonOption,
  ...projectOption,
  ...nifiOptions,
} as const;

export interface TestArguments {
  /** Test files or folders holding them; empty: the project's flows folder. */
  paths: string[];
  /** Which cases run, by name; undefined: all. */
  filter: ((caseName: string) => boolean) | undefined;
  junitFile: string | undefined;
  format: 'human' | 'json' | 'github';
  parallelism: number;
}

/** A whole number of cases from 1 to 16. */
function parallelism(raw: string): number {
  const parsed = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || parsed < 1 || parsed > 16) throw new Error(`expects a number of cases from 1 to 16, not "${raw}"`);
  return parsed;
}

export function parseTestArguments(options: OptionValues<typeof testOptions>, positionals: readonly string[]): TestArguments {
  if (options.json && options.format && options.format !== 'json') throw new UsageError(`--json and --format ${options.format} contradict each other.`);
  const format = options.json ? 'json' : ((options.format ?? 'human') as TestArguments['format']);
  return { paths: [...positionals], filter: caseFilter(options.filter), junitFile: options.junit, format, parallelism: options.parallel ?? 1 };
}

/** `/regex/flags` is a regular expression; anything else a case-insensitive part of the name. */
export function caseFilter(pattern: string | undefined): ((caseName: string) => boolean) | undefined {
  if (pattern === undefined) return undefined;
  const regex = /^\/(.+)\/([a-z]*)$/s.exec(pattern);
  if (!regex) return (caseName) => caseName.toLowerCase().includes(pattern.toLowerCase());
  let compiled: RegExp;
  try {
    compiled = new RegExp(regex[1]!, regex[2]);
  } catch (error) {
    throw new UsageError(`--filter ${pattern} is not a regular expression: ${(error as Error).message}.`);
  }
  return (caseName) => compiled.test(caseName);
}
