/** Log levels, lowest first. */
export const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LEVELS)[number];

/** A Telegram bot token anywhere in a string (also inside `/bot<token>/` URLs). */
const TOKEN_SHAPE = /\d{5,}:[A-Za-z0-9_-]{20,}/gu;

/** Removes a bot token from text: the known token, and anything shaped like one. */
export function redact(text: string, token?: string): string {
  let out = token ? text.split(token).join('<redacted>') : text;
  out = out.replace(TOKEN_SHAPE, '<redacted>');
  return out;
}

/** A minimal leveled logger whose every line passes through `redact`. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Logs one line per event to stderr (or a given sink), with time and level, never the token. */
export function createLogger(level: LogLevel, token?: string, sink: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Logger {
  const min = LEVELS.indexOf(level);
  const at = (lvl: LogLevel) => (message: string) => {
    if (LEVELS.indexOf(lvl) >= min) sink(redact(`${new Date().toISOString()} ${lvl.toUpperCase()} ${message}`, token));
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
