// The `flows` commands, in the order help lists them. A new command is a module in this folder plus a
// line here; parsing, help and the generated reference pick it up.
import { applyCommand } from './apply.ts';
import type { Command } from './command.ts';
import { dagCommand } from './dag.ts';
import { destroyCommand } from './destroy.ts';
import { exportCommand } from './export.ts';
import { planCommand } from './plan.ts';
import { runCommand } from './run.ts';
import { schemaCommand } from './schema.ts';
import { statusCommand } from './status.ts';
import { testCommand } from './test.ts';
import { unlockCommand } from './unlock.ts';
import { validateCommand } from './validate.ts';

export const commands: readonly Command[] = [validateCommand, planCommand, applyCommand, destroyCommand, unlockCommand, statusCommand, runCommand, testCommand, dagCommand, exportCommand, schemaCommand];
