import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { launchCompiledBot } from '../bot-launcher.js';
import { chatsAnswered } from '../emulator.js';
import { PeakRss } from '../peak-rss.js';
import { STARTUP_TIMEOUT_MS } from './startup.js';

/** A token of BotFather's shape; the emulator accepts any. */
const TOKEN = '7000000003:AABenchEmulatorToken_abcdefghijklm';

/** The Telegram bot's own memory: the compiled bot against the Bot API emulator, after answering questions. */
export interface BotRssBench {
  questions: number;
  answered: number;
  peakRssBytes: number | null;
  failure: string | null;
}

/**
 * Runs the compiled bot (`node dist/scripts/start.js` with a token) against the
 * Bot API emulator on loopback, asks it every dev question from its own chat,
 * waits for the answers and reads the process's VmHWM: the bot's real peak RSS,
 * telegraf included.
 */
export async function benchBotRss(index: string, questions: readonly string[]): Promise<BotRssBench> {
  const bot = await launchCompiledBot(TOKEN, { INDEX_DIR: index, LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000' });
  const result: BotRssBench = { questions: questions.length, answered: 0, peakRssBytes: null, failure: null };
  const rss = new PeakRss(bot.child.pid);
  try {
    const started = Date.now();
    // The bot is ready once it polls: the emulator then has taken its getMe.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await askEach(bot.server, questions);
    const answered = (): number => chatsAnswered(bot.server).size;
    while (answered() < questions.length && Date.now() - started < STARTUP_TIMEOUT_MS) await new Promise((resolve) => setTimeout(resolve, 100));
    result.answered = answered();
    if (result.answered < questions.length) result.failure = `only ${result.answered} of ${questions.length} questions were answered in time`;
    rss.sample();
  } finally {
    rss.stop();
    await bot.stop();
  }
  result.peakRssBytes = rss.peakBytes;
  return result;
}

/** Asks every question from a private chat of its own, so each answer is told apart by its chat. */
async function askEach(server: TelegramServer, questions: readonly string[]): Promise<void> {
  for (const [i, question] of questions.entries()) {
    const id = 880_000 + i;
    await server.addUserMessage({
      botToken: TOKEN,
      date: 1,
      chat: { id, type: 'private', first_name: 'B' },
      from: { id, is_bot: false, first_name: 'B' },
      text: question,
    });
  }
}
