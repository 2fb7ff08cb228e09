import { redact } from '../log.js';
import { UserError, describeError } from '../errors.js';

/**
 * Runs a command's main function: a UserError prints as its one sentence, any
 * other failure as one line (the stack only with DEBUG set), and the process
 * exits non-zero. No entry point ever dumps a raw stack on a user.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    // Errors from Telegram calls can carry the request URL, which holds the bot token.
    const token = process.env.BOT_TOKEN?.trim();
    if (!(err instanceof UserError) && process.env.DEBUG) console.error(redact(err instanceof Error ? (err.stack ?? err.message) : String(err), token));
    console.error(redact(err instanceof UserError ? describeError(err) : `Error: ${describeError(err)}`, token));
    process.exitCode = 1;
  });
}
