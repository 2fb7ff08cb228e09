import { createBot } from '../bot/bot.js';
import { loadBotConfig } from '../bot/config.js';
import { createLogger } from '../bot/log.js';
import { seedsDir } from '../config.js';
import { loadEmbedder } from '../embed/embedder.js';
import { buildIndex } from '../index/build.js';
import { currentBuild } from '../index/store.js';
import { openSearcher } from '../search/open.js';
import { formatSummary, progressReporter } from './index-command.js';
import { terminalChat } from './terminal-chat.js';

/**
 * `npm start`: builds the index if there is none, then runs the Telegram bot,
 * or, with no BOT_TOKEN, a chat in the terminal with the same answers.
 */
export async function startCommand(): Promise<void> {
  const config = loadBotConfig();
  const logger = createLogger(config.logLevel, config.token);
  if (!currentBuild(config.indexDir)) {
    logger.info(`no index in ${config.indexDir}; building it first`);
    const report = await buildIndex({
      seedsDir: seedsDir(),
      outDir: config.indexDir,
      loadEmbedder: () => loadEmbedder((line) => logger.info(line)),
      onProgress: progressReporter(process.stderr),
    });
    process.stderr.write(`${formatSummary(report)}\n`);
  }
  const searcher = await openSearcher({ dir: config.indexDir, log: (line) => logger.info(line) });
  if (!config.token) {
    await terminalChat(searcher);
    return;
  }
  const qa = createBot({ config, searcher: () => searcher, logger });
  const shutdown = (signal: string): void => {
    void qa.stop(signal).then(() => {
      logger.info('stopped');
      process.exit(0);
    });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  await qa.launch();
}
