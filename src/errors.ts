/**
 * An error whose message is meant for the person at the terminal or in the chat:
 * one clear sentence that says what went wrong and what to do. Entry points print
 * its message alone, never a stack trace.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** Turns anything thrown into one line, without a stack. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}
