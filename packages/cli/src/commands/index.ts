import type { Command } from 'commander';
import { register as send } from './send.ts';
import { register as inbox } from './inbox.ts';
import { register as caseCommand } from './case.ts';
import { register as demo } from './demo.ts';
import { register as schema } from './schema.ts';
import { register as serve } from './serve.ts';
import { register as platform } from './platform.ts';
import { register as assess } from './assess.ts';
import { register as transferPlan } from './transfer-plan.ts';
import { register as convert } from './convert.ts';
import { register as formatsCommand } from './formats.ts';
import { register as validate } from './validate.ts';

/** Every top-level command registers itself on the program. Add new commands here. */
export const commands: Array<(program: Command) => void> = [
  send,
  inbox,
  caseCommand,
  demo,
  schema,
  serve,
  platform,
  assess,
  transferPlan,
  convert,
  formatsCommand,
  validate,
];
