import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import { LEVELS, type LogLevel } from './log.js';
import { UserError } from './errors.js';

/**
 * Reads `.env` into the environment (values already set win). Called by the
 * entry points in scripts/, never as a side effect of importing this module,
 * so tests and library users see only the environment they were given.
 */
export function loadDotenv(): void {
  dotenv.config({ quiet: true });
}

/** The nearest folder above this file holding package.json: the same from src/ (tsx) and dist/src/ (compiled). */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..');
  }
}

/** The project root, so paths work the same from any working directory. */
export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

/** True when running the compiled JavaScript in dist/ rather than the TypeScript sources through tsx. */
export const COMPILED = fileURLToPath(import.meta.url).includes(`${path.sep}dist${path.sep}`);

/**
 * How to run one of the project's scripts in a child process, the same way this
 * process runs: compiled JavaScript with plain node (lean on memory), or the
 * TypeScript source through tsx.
 */
export function scriptCommand(name: string): string[] {
  return COMPILED ? [path.join(PROJECT_ROOT, 'dist', 'scripts', `${name}.js`)] : ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', `${name}.ts`)];
}

/** Resolves a path from the environment against the working directory, or a default against the project root. */
function pathFromEnv(key: string, fallback: string): string {
  const value = process.env[key]?.trim();
  return value ? path.resolve(value) : path.join(PROJECT_ROOT, fallback);
}

/** Where the documents to index live (`SEEDS_DIR`, default `seeds/`). */
export function seedsDir(): string {
  return pathFromEnv('SEEDS_DIR', 'seeds');
}

/** Where the built index lives (`INDEX_DIR`, default `index/`). */
export function indexDir(): string {
  return pathFromEnv('INDEX_DIR', 'index');
}

/** A folder holding `Xenova/bge-small-zh-v1.5` that the user pointed at, if any (`MODEL_DIR`). */
export function modelDirFromEnv(): string | undefined {
  const value = process.env.MODEL_DIR?.trim();
  return value ? path.resolve(value) : undefined;
}

/** The project-local model cache that a first run downloads into. */
export function modelCacheDir(): string {
  return path.join(PROJECT_ROOT, 'models');
}

// The bot's settings: everything it reads from the environment, checked at start.

/** Everything the bot reads from the environment, validated. */
export interface BotConfig {
  /** Absent: `npm start` opens the terminal chat instead of connecting to Telegram. */
  token: string | undefined;
  apiRoot: string;
  indexDir: string;
  adminIds: ReadonlySet<number>;
  webhook: { url: string; port: number; secret: string | undefined } | undefined;
  logLevel: LogLevel;
  feedbackFile: string;
  /** Questions one user may ask per minute before getting a "slow down" notice. */
  questionsPerMinute: number;
  /** Minutes a chat remembers what it is about, for follow-up questions. */
  contextTtlMinutes: number;
}

function fail(key: string, why: string): never {
  throw new UserError(`${key} ${why}; fix it in .env or the environment (see .env.example).`);
}

function url(key: string, value: string, protocols: readonly string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    fail(key, `is not a URL ("${value}")`);
  }
  if (!protocols.includes(parsed.protocol)) fail(key, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  return value.replace(/\/+$/u, '');
}

/**
 * Reads and checks the bot's configuration. A bad value is one line naming the
 * key (never echoing the token), so a typo in .env is found at start, not at
 * the first question.
 */
export function loadBotConfig(env: NodeJS.ProcessEnv = process.env): BotConfig {
  const get = (key: string): string | undefined => env[key]?.trim() || undefined;

  const token = get('BOT_TOKEN');
  if (token && !/^\d{3,}:[A-Za-z0-9_-]{20,}$/u.test(token))
    fail('BOT_TOKEN', 'does not look like a token from @BotFather (digits, a colon, then 20+ letters, digits, _ or -)');

  const adminIds = new Set<number>();
  for (const part of (get('ADMIN_IDS') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (!/^\d{1,15}$/u.test(part)) fail('ADMIN_IDS', `must be Telegram user ids separated by commas, and "${part}" is not one`);
    adminIds.add(Number(part));
  }

  const level = (get('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LEVELS as readonly string[]).includes(level)) fail('LOG_LEVEL', `must be one of ${LEVELS.join(', ')}, not "${level}"`);

  const webhookUrl = get('WEBHOOK_URL');
  let webhook: BotConfig['webhook'];
  if (webhookUrl) {
    const port = Number(get('WEBHOOK_PORT') ?? '8443');
    if (!Number.isInteger(port) || port < 1 || port > 65535) fail('WEBHOOK_PORT', `must be a port number from 1 to 65535, not "${get('WEBHOOK_PORT')}"`);
    const secret = get('WEBHOOK_SECRET');
    if (secret && !/^[A-Za-z0-9_-]{1,256}$/u.test(secret))
      fail('WEBHOOK_SECRET', 'may hold only letters, digits, _ and - (1 to 256 of them), as Telegram requires');
    webhook = { url: url('WEBHOOK_URL', webhookUrl, ['https:']), port, secret };
  } else if (get('WEBHOOK_PORT') || get('WEBHOOK_SECRET')) {
    fail('WEBHOOK_URL', 'is missing while WEBHOOK_PORT or WEBHOOK_SECRET is set (webhook mode needs the public https URL)');
  }

  const perMinute = Number(get('RATE_LIMIT_PER_MINUTE') ?? '20');
  if (!Number.isInteger(perMinute) || perMinute < 1 || perMinute > 10_000)
    fail('RATE_LIMIT_PER_MINUTE', `must be a whole number from 1 to 10000, not "${get('RATE_LIMIT_PER_MINUTE')}"`);

  const ttl = Number(get('CONTEXT_TTL_MINUTES') ?? '30');
  if (!Number.isFinite(ttl) || ttl < 0 || ttl > 7 * 24 * 60)
    fail('CONTEXT_TTL_MINUTES', `must be a number of minutes from 0 to 10080, not "${get('CONTEXT_TTL_MINUTES')}"`);

  return {
    token,
    questionsPerMinute: perMinute,
    contextTtlMinutes: ttl,
    apiRoot: url('TELEGRAM_API_ROOT', get('TELEGRAM_API_ROOT') ?? 'https://api.telegram.org', ['https:', 'http:']),
    indexDir: get('INDEX_DIR') ? path.resolve(get('INDEX_DIR')!) : indexDir(),
    adminIds,
    webhook,
    logLevel: level as LogLevel,
    feedbackFile: get('FEEDBACK_FILE') ? path.resolve(get('FEEDBACK_FILE')!) : path.join(PROJECT_ROOT, 'data', 'feedback.jsonl'),
  };
}
