// The `flows` CLI's dispatcher: picks the command, parses its arguments (usage mistakes exit 2 before
// any file is read or server contacted), runs it, and turns failures into exit codes and messages.
import { renderCommandHelp, renderOverview } from './arguments/help.ts';
import { UsageError } from './arguments/options.ts';
import { parseArguments } from './arguments/parse-arguments.ts';
import type { CliIo } from './io.ts';
import { commands } from './commands/index.ts';
import { createView } from './views/view.ts';

export type { CliIo } from './io.ts';

/** Exit codes: 0 success, 1 errors, 2 usage error (or, with plan --detailed-exitcode, changes). */
export async function runFlowsCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || (name === 'help' && rest.length === 0)) {
    (name === undefined ? io.stderr : io.stdout).write(`${renderOverview(commands)}\n`);
    return name === undefined ? 2 : 0;
  }
  const helpFor = name === 'help' ? rest[0] : undefined;
  const command = commands.find((candidate) => candidate.name === (helpFor ?? name));
  if (!command) {
    const said = helpFor ?? name;
    const problem = said.startsWith('-') ? `flows needs a command before its options (got ${said}).` : `Unknown command "${said}".`;
    io.stderr.write(`${problem} Commands: ${commands.map((candidate) => candidate.name).join(', ')}.\nSee flows --help.\n`);
    return 2;
  }
  if (helpFor) {
    io.stdout.write(`${renderCommandHelp(command)}\n`);
    return 0;
  }
  const usageError = (error: UsageError) => {
    io.stderr.write(`flows ${command.name}: ${error.message}\nSee flows ${command.name} --help.\n`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArguments(command, rest, (option) => commands.filter((candidate) => option in candidate.options).map((candidate) => candidate.name));
  } catch (error) {
    if (UsageError.isInstance(error)) return usageError(error);
    throw error;
  }
  if (parsed.help) {
    io.stdout.write(`${renderCommandHelp(command)}\n`);
    return 0;
  }
  const view = createView(io, parsed.options['json'] === true);
  try {
    return await command.execute(parsed, { io, view });
  } catch (error) {
    if (UsageError.isInstance(error)) return usageError(error);
    view.failure(error);
    return 1;
  }
}
