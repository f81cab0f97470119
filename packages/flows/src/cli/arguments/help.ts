// `flows --help` and `flows <command> --help`, rendered from the command definitions (the same data the
// parser reads), so help and parsing cannot drift; the CLI reference in docs/ is generated from here too.
import type { Command } from '../commands/command.ts';
import type { OptionSpec } from './options.ts';

const exitCodes = 'Exit codes: 0 success, 1 error (or invalid files), 2 usage error (plan --detailed-exitcode: 2 = changes).';

export function renderOverview(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => `${command.name} ${command.positionals.synopsis}`.length)) + 2;
  return [
    'Usage: flows <command> [arguments…] [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${`${command.name} ${command.positionals.synopsis}`.padEnd(width)}${command.summary}`),
    '',
    'Where NiFi and Airflow are: flags win over environment variables (NIFI_URL, NIFI_USERNAME, NIFI_PASSWORD,',
    'NIFI_CA_FILE, AIRFLOW_*), which win over flows.config.yaml (or --config <file>) with nifi/airflow',
    '{url, username, caFile} and parent. Passwords come only from flags or the environment.',
    '',
    'Run `flows <command> --help` for its options and examples.',
    '',
    exitCodes,
  ].join('\n');
}

export function renderCommandHelp(command: Command): string {
  const rows = [...Object.entries(command.options).map(([name, spec]) => [optionSynopsis(name, spec), optionDescription(spec)] as const), ['-h, --help', 'show this help'] as const];
  const width = Math.max(...rows.map(([synopsis]) => synopsis.length)) + 2;
  return [
    `Usage: flows ${command.name}${command.positionals.synopsis ? ` ${command.positionals.synopsis}` : ''}${Object.keys(command.options).length ? ' [options]' : ''}`,
    '',
    `${command.summary.charAt(0).toUpperCase()}${command.summary.slice(1)}.`,
    ...(command.description ? ['', ...wrap(command.description, 100)] : []),
    '',
    'Options:',
    ...rows.map(([synopsis, description]) => `  ${synopsis.padEnd(width)}${description}`),
    ...(command.examples.length ? ['', 'Examples:', ...command.examples.map((example) => `  ${example}`)] : []),
    '',
    exitCodes,
  ].join('\n');
}

function optionSynopsis(name: string, spec: OptionSpec): string {
  return spec.kind === 'flag' ? `--${name}` : `--${name} <${spec.placeholder}>`;
}

function optionDescription(spec: OptionSpec): string {
  return spec.kind === 'value' && spec.env ? `${spec.description} (env ${spec.env})` : spec.description;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
