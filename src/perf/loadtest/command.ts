import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../errors.js';
import { createLogger } from '../../log.js';
import { openSearcher } from '../../search/open.js';
import { launchBotInProcess } from '../bot-launcher.js';
import { USAGE, parseLoadtestArgs } from './args.js';
import { emulateLongPolling } from './long-polling.js';
import { questionPool } from './questions.js';
import type { BotLog } from './report.js';
import { runTraffic } from './traffic.js';

/** A token of BotFather's shape; the emulator accepts any. */
const TOKEN = '7000000002:AALoadTestEmulatorToken_abcdefghijk';

/** A log sink that counts the bot's answers and keeps its warnings and errors. */
function countingSink(log: BotLog): (line: string) => void {
  return (line) => {
    if (/^\S+ ERROR /u.test(line)) log.errors.push(line);
    else if (/^\S+ WARN /u.test(line)) log.warnings.push(line);
    else if (/ answered /u.test(line)) log.answered += 1;
  };
}

/**
 * `npm run loadtest`: many simulated users asking the real bot at once over
 * the Bot API emulator, each waiting for an answer before asking again; prints
 * throughput, latency percentiles, and lost and duplicated answers.
 */
export async function loadtestCommand(argv: readonly string[]): Promise<void> {
  const options = parseLoadtestArgs(argv);
  if (!options) return void console.log(USAGE);
  const pool = questionPool(options.set);
  const setupStarted = Date.now();
  const botLog: BotLog = { answered: 0, warnings: [], errors: [] };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loadtest-'));
  try {
    // The bot's settings from the environment (.env included), but the emulator instead of Telegram,
    // long polling rather than a webhook, and feedback (none is given here) kept out of the project's data.
    const bot = await launchBotInProcess({
      token: TOKEN,
      env: { LOG_LEVEL: 'info', FEEDBACK_FILE: path.join(tmp, 'feedback.jsonl') },
      storeTimeoutS: options.timeoutS + 3600,
      logger: createLogger('info', TOKEN, countingSink(botLog)),
      searcher: (config) => {
        process.stderr.write(`loading the index and model from ${config.indexDir}…\n`);
        return openSearcher({ dir: config.indexDir });
      },
      beforeLaunch: (qa, server) => {
        if (options.polling === 'long') emulateLongPolling(qa, server);
      },
    });
    try {
      const setupS = (Date.now() - setupStarted) / 1000;
      const report = await runTraffic({ options, pool, server: bot.server, qa: bot.qa, token: TOKEN, setupS, botLog });
      process.stdout.write(`${report.text}\n`);
      if (report.failed) throw new UserError(`Load test failed: ${report.failed}.`);
    } finally {
      await bot.stop();
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
