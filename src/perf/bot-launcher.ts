import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import path from 'node:path';
import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { createBot, type QaBot } from '../bot/bot.js';
import { PROJECT_ROOT, loadBotConfig, modelDirFromEnv, type BotConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { Searcher } from '../search/searcher.js';
import { emulatorBotEnv, startEmulator } from './emulator.js';

/*
 * The one way the bench and the load test start the bot against the Bot API
 * emulator: in this process (the load test, which watches the bot's work
 * queue), or compiled in its own process as `npm start` runs it (the bench,
 * which reads that process's memory).
 */

/** Node flags `npm start` runs the bot with (package.json): a small young generation keeps idle memory down. */
const START_FLAGS = ['--max-semi-space-size=4'];

/** How long a stopping in-process bot may take to finish answers in flight: a stuck one must not keep the run from ending. */
const STOP_GRACE_MS = 10_000;

/**
 * Spawns the compiled product as `npm start` does (`node dist/scripts/start.js`),
 * in the project root, with `env` over this process's environment.
 */
export function spawnCompiledBot(env: Record<string, string>, stdio: StdioOptions): ChildProcess {
  const full: NodeJS.ProcessEnv = { ...process.env, ...env };
  const modelDir = modelDirFromEnv();
  // The child runs in the project root: a relative MODEL_DIR must not change meaning.
  if (modelDir) full.MODEL_DIR = modelDir;
  return spawn(process.execPath, [...START_FLAGS, path.join('dist', 'scripts', 'start.js')], { cwd: PROJECT_ROOT, env: full, stdio });
}

/** A bot answering over the emulator; `stop` ends both. */
export interface EmulatedBot {
  server: TelegramServer;
  stop(): Promise<void>;
}

/** The compiled bot in its own process, long polling the emulator. */
export interface CompiledBot extends EmulatedBot {
  child: ChildProcess;
}

/** Starts the emulator and the compiled bot against it; `env` adds bot settings (index, log level, limits). */
export async function launchCompiledBot(token: string, env: Record<string, string>, storeTimeoutS = 600): Promise<CompiledBot> {
  const server = await startEmulator(storeTimeoutS);
  const child = spawnCompiledBot({ ...emulatorBotEnv(server, token), ...env }, ['ignore', 'ignore', 'pipe']);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    server,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      await server.stop();
    },
  };
}

/** The bot running in this process. */
export interface InProcessBot extends EmulatedBot {
  qa: QaBot;
  config: BotConfig;
}

/** What an in-process bot is made of, given its settings. */
export interface InProcessOptions {
  token: string;
  /** Bot settings over this process's environment (which `.env` has filled). */
  env: Record<string, string>;
  storeTimeoutS: number;
  logger: Logger;
  /** Loads the searcher once the settings are known (they name the index). */
  searcher: (config: BotConfig) => Promise<Searcher>;
  /** Runs after the bot is made and before it polls (e.g. to wrap its API calls). */
  beforeLaunch?: (qa: QaBot, server: TelegramServer) => void;
}

/** Starts the emulator and the real bot in this process against it; on failure, whatever started is stopped. */
export async function launchBotInProcess(options: InProcessOptions): Promise<InProcessBot> {
  const server = await startEmulator(options.storeTimeoutS);
  let qa: QaBot | undefined;
  const stop = async (): Promise<void> => {
    if (qa) await stopWithin(qa, STOP_GRACE_MS);
    await server.stop();
  };
  try {
    const config = loadBotConfig({ ...process.env, ...emulatorBotEnv(server, options.token), ...options.env });
    const searcher = await options.searcher(config);
    qa = createBot({ config, searcher: () => searcher, logger: options.logger });
    options.beforeLaunch?.(qa, server);
    await qa.launch();
    return { server, qa, config, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Stops a bot, giving answers in flight at most `ms` to finish. */
async function stopWithin(qa: QaBot, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([qa.stop('run over'), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
