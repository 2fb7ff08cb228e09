import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError, describeError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's flags with node's `parseArgs` (strict: an unknown flag is
 * an error); a bad command line is one UserError carrying the usage text, the
 * same for every command.
 */
export function parseFlags<const T extends Options, const P extends boolean = false>(argv: readonly string[], options: T, usage: string, allowPositionals?: P) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: (allowPositionals ?? false) as P });
  } catch (err) {
    throw new UserError(`${describeError(err)}\n${usage}`);
  }
}
