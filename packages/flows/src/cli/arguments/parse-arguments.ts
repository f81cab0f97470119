// Turns one command's argv into its typed options and positionals, before anything reads a file or
// talks to a server: an unknown, misplaced or malformed option is a UsageError naming the option and
// the command. node:util parseArgs does the tokenizing (strict mode, per command); why not a library:
// it costs nothing at start-up, and the declarations that drive help and the reference are ours anyway.
import { parseArgs } from 'node:util';
import { UsageError, type OptionSpecs, type OptionValues } from './options.ts';

export interface PositionalSpec {
  /** As shown in help, e.g. `<flow>`, `[paths…]`, `<flow> [paths…]`. */
  synopsis: string;
  min: number;
  max: number;
}

export interface ParsedArguments<Specs extends OptionSpecs> {
  options: OptionValues<Specs>;
  positionals: string[];
  help: boolean;
}

/** Which commands declare an option: to say where a misplaced one belongs. */
export type OptionOwners = (option: string) => string[];

export function parseArguments<Specs extends OptionSpecs>(
  command: { name: string; options: Specs; positionals: PositionalSpec },
  argv: readonly string[],
  ownersOf: OptionOwners = () => [],
): ParsedArguments<Specs> {
  const declared = Object.fromEntries(Object.entries(command.options).map(([name, spec]) => [name, { type: spec.kind === 'flag' ? ('boolean' as const) : ('string' as const) }]));
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], strict: true, allowPositionals: true, options: { ...declared, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    throw usageErrorFrom(error, command.name, ownersOf);
  }
  if (parsed.values['help'] === true) return { options: {} as OptionValues<Specs>, positionals: parsed.positionals, help: true };

  const options: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(command.options)) {
    const raw = parsed.values[name];
    if (spec.kind === 'flag') {
      options[name] = raw === true;
      continue;
    }
    if (typeof raw !== 'string') continue;
    if (spec.choices && !spec.choices.includes(raw)) throw new UsageError(`--${name} takes ${spec.choices.join(' or ')}, not "${raw}".`);
    try {
      options[name] = spec.convert ? spec.convert(raw) : raw;
    } catch (error) {
      throw new UsageError(`--${name} ${(error as Error).message}.`);
    }
  }
  const count = parsed.positionals.length;
  const { min, max, synopsis } = command.positionals;
  if (count < min || count > max) {
    const extra = count > max ? ` (unexpected: ${parsed.positionals.slice(max).map((text) => JSON.stringify(text)).join(' ')})` : '';
    throw new UsageError(max === 0 ? `takes no arguments${extra}.` : `expects ${synopsis}${extra}.`);
  }
  return { options: options as OptionValues<Specs>, positionals: parsed.positionals, help: false };
}

/** parseArgs' errors, said in our words: which option, and where it belongs when another command has it. */
function usageErrorFrom(error: unknown, command: string, ownersOf: OptionOwners): UsageError {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message;
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    const owners = option.startsWith('--') ? ownersOf(option.slice(2)) : [];
    return new UsageError(owners.length > 0 ? `${option} is not an option of ${command} (it belongs to ${owners.join(', ')}).` : `unknown option ${option}.`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return new UsageError(/does not take an argument/.test(message) ? `${option} is a switch and takes no value.` : `${option} needs a value.`);
  }
  return new UsageError(message);
}
