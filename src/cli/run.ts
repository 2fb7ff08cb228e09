import { UserError, describeError } from '../errors.js';

/**
 * Runs a command's main function: a UserError prints as its one sentence, any
 * other failure as one line (the stack only with DEBUG set), and the process
 * exits non-zero. No entry point ever dumps a raw stack on a user.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (!(err instanceof UserError) && process.env.DEBUG) console.error(err);
    console.error(err instanceof UserError ? describeError(err) : `Error: ${describeError(err)}`);
    process.exitCode = 1;
  });
}
