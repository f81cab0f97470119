import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { formatGithub, formatHuman, formatJson } from '../diagnostics/format.ts';
import { flowJsonSchema } from '../model/flow-schema.ts';
import { loadFlowFile } from '../parse/load-flow-file.ts';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export const usage = `Usage: flows <command> [paths…] [options]

Commands:
  validate [paths…]   check flow files offline (default path: ./flows); no server is contacted
  schema              print the JSON Schema of flow files (for editor completion)

Options:
  --json              machine-readable output ({ formatVersion, valid, diagnostics })
  --format <f>        human (default), json, or github (GitHub Actions annotations)
  -h, --help          show this help

Examples:
  flows validate flows/
  flows validate flows/iot-sensors.yaml --format github

Exit codes: 0 valid, 1 invalid (errors found), 2 usage error.`;

/** Exit codes: 0 valid, 1 errors found, 2 usage error. */
export async function runFlowsCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false }, format: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${usage}\n`);
    return 2;
  }
  const [command, ...paths] = parsed.positionals;
  if (parsed.values.help || !command) {
    (parsed.values.help ? io.stdout : io.stderr).write(`${usage}\n`);
    return parsed.values.help ? 0 : 2;
  }
  const format = parsed.values.json ? 'json' : (parsed.values.format ?? 'human');
  if (!['human', 'json', 'github'].includes(format)) {
    io.stderr.write(`Unknown --format "${format}": use human, json or github.\n`);
    return 2;
  }
  if (command === 'schema') {
    io.stdout.write(`${JSON.stringify(flowJsonSchema(), null, 2)}\n`);
    return 0;
  }
  if (command !== 'validate') {
    io.stderr.write(`Unknown command "${command}".\n\n${usage}\n`);
    return 2;
  }

  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths.length ? paths : ['flows']) {
    const found = await flowFiles(join(io.cwd, path)).catch(() => undefined);
    if (!found) {
      io.stderr.write(`No such file or folder: ${path}\n`);
      return 2;
    }
    files.push(...found);
  }
  if (files.length === 0) {
    io.stderr.write(`No flow files (*.yaml, *.yml) found in ${paths.join(', ') || 'flows'}.\n`);
    return 2;
  }
  const sources = new Map<string, string>();
  for (const file of files) {
    const display = relative(io.cwd, file) || file;
    const text = await readFile(file, 'utf8');
    sources.set(display, text);
    diagnostics.push(...loadFlowFile(display, text).diagnostics);
  }
  sortDiagnostics(diagnostics);
  if (format === 'json') io.stdout.write(`${formatJson(diagnostics)}\n`);
  else if (format === 'github') io.stdout.write(diagnostics.length ? `${formatGithub(diagnostics)}\n` : '');
  else {
    const color = io.isTTY && !io.env['NO_COLOR'];
    if (diagnostics.length) io.stderr.write(`${formatHuman(diagnostics, sources, { color })}\n\n`);
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
    const warnings = diagnostics.length - errors;
    io.stderr.write(`${files.length} file(s): ${errors} error(s), ${warnings} warning(s).\n`);
  }
  return hasErrors(diagnostics) ? 1 : 0;
}

async function flowFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (info.isFile()) return [path];
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && ['.yaml', '.yml'].includes(extname(entry.name)))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
