import { UserError } from '../../errors.js';
import { parseFlags } from '../../cli/args.js';

/** `npm run bench -- --help`. */
export const USAGE = `Usage: npm run bench -- [--rounds N] [--skip-build]

  --rounds N     timed passes over the dev questions per mode, after one warm-up pass (default 5)
  --skip-build   benchmark the index in INDEX_DIR (default index/) instead of building a fresh one

Measures only; the targets are printed for reference and never fail the run.`;

/** The parsed flags of `npm run bench`. */
export interface BenchArgs {
  rounds: number;
  skipBuild: boolean;
  help: boolean;
}

/** Parses the bench flags; unknown flags are a usage error, as in the other commands. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values } = parseFlags(argv, { rounds: { type: 'string' }, 'skip-build': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, USAGE);
  const rounds = values.rounds === undefined ? 5 : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 100) throw new UserError(`--rounds must be a whole number from 1 to 100, not "${values.rounds}".`);
  return { rounds, skipBuild: values['skip-build'] ?? false, help: values.help ?? false };
}
