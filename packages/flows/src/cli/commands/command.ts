// The shape of one `flows` command: its synopsis, options and examples (data, read by the parser, the
// help and the generated reference) and the function that runs it with typed arguments. A command
// module imports statically only what its definition needs; what it runs (the deploy code, the HTTP
// clients, zod, YAML) is imported inside run(), so `flows --help` and usage errors load none of it.
import type { OptionSpecs, OptionValues } from '../arguments/options.ts';
import type { ParsedArguments, PositionalSpec } from '../arguments/parse-arguments.ts';
import type { CliIo } from '../io.ts';
import type { View } from '../views/view.ts';

export interface CommandContext {
  io: CliIo;
  view: View;
}

export interface CommandRun<Specs extends OptionSpecs> {
  options: OptionValues<Specs>;
  positionals: string[];
}

export interface CommandDefinition<Specs extends OptionSpecs> {
  name: string;
  /** One line for `flows --help`. */
  summary: string;
  positionals: PositionalSpec;
  /** Paragraphs for `flows <command> --help`. */
  description?: string | undefined;
  options: Specs;
  examples?: readonly string[] | undefined;
  /** Returns the exit code; throws UsageError for usage mistakes found late, DataplatError for failures. */
  run(input: CommandRun<Specs>, context: CommandContext): Promise<number>;
}

/** A command with its option types erased, as the command table holds it. */
export interface Command {
  name: string;
  summary: string;
  positionals: PositionalSpec;
  description: string | undefined;
  options: OptionSpecs;
  examples: readonly string[];
  /** Runs with arguments already parsed against `options`. */
  execute(parsed: ParsedArguments<OptionSpecs>, context: CommandContext): Promise<number>;
}

export function defineCommand<Specs extends OptionSpecs>(definition: CommandDefinition<Specs>): Command {
  return {
    name: definition.name,
    summary: definition.summary,
    positionals: definition.positionals,
    description: definition.description,
    options: definition.options,
    examples: definition.examples ?? [],
    // The parser produced these values from this very command's option specs.
    execute: (parsed, context) => definition.run({ options: parsed.options as OptionValues<Specs>, positionals: parsed.positionals }, context),
  };
}

export const noArguments: PositionalSpec = { synopsis: '', min: 0, max: 0 };
