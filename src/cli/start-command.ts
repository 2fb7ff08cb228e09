import { spawn } from 'node:child_process';
import path from 'node:path';
import { createBot } from '../bot/bot.js';
import { loadBotConfig } from '../config.js';
import { createLogger, redact } from '../log.js';
import { PROJECT_ROOT, scriptCommand, seedsDir } from '../config.js';
import { loadEmbedder } from '../embed/embedder.js';
import { buildIndex } from '../index/build.js';
import { currentBuild } from '../index/store.js';
import { LiveSearcher } from '../search/live.js';
import { openSearcher } from '../search/open.js';
import { formatSummary, progressReporter, skippedLine } from './index-command.js';
import { terminalChat } from './terminal-chat.js';

/**
 * Rebuilds the index in a child process (the same `npm run index`), so the
 * bot keeps answering while embedding runs; resolves with its summary line.
 */
export function reindexInChild(indexDir: string, token?: string, seeds?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...scriptCommand('index'), '--out', indexDir, ...(seeds ? ['--seeds', seeds] : [])], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, BOT_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = (text: string): string => text.trim().split('\n').at(-1) ?? '';
      if (code === 0) resolve(redact(out.trim().split('\n')[0] ?? 'index rebuilt', token));
      else reject(new Error(redact(last(err) || `the index build exited with code ${code}`, token)));
    });
  });
}

/**
 * Rebuilds the index from `seeds` in a child process and waits until the live
 * searcher answers from the new build; rejects when the build fails or the new
 * index cannot be loaded (the previous one stays in service either way).
 * Resolves with the build's summary line.
 */
export async function rebuildAndSwap(live: LiveSearcher, indexDir: string, seeds: string, token?: string): Promise<string> {
  const summary = await reindexInChild(indexDir, token, seeds);
  await live.refresh();
  const built = currentBuild(indexDir);
  if (!built || path.resolve(live.current().index.dir) !== path.resolve(built))
    throw new Error('the new index could not be loaded (see the log); the previous index stays in service');
  return summary;
}

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
      onSkip: (skipped) => logger.warn(skippedLine(skipped)),
    });
    process.stderr.write(`${formatSummary(report)}\n`);
  }
  const searcher = await openSearcher({ dir: config.indexDir, log: (line) => logger.info(line) });
  if (!config.token) {
    await terminalChat(searcher);
    return;
  }
  const live = new LiveSearcher(searcher, config.indexDir, (level, line) => logger[level](line));
  live.watch();
  const qa = createBot({
    config,
    searcher: () => live.current(),
    logger,
    reindex: async () => `索引已重建并切换：${await rebuildAndSwap(live, config.indexDir, seedsDir(), config.token)}`,
    library: {
      dir: seedsDir(),
      rebuild: async () => {
        await rebuildAndSwap(live, config.indexDir, seedsDir(), config.token);
        // The build records the files it left out in its manifest: the admin is told why, in the build's own words.
        return { skipped: new Map(live.current().index.manifest.skipped.map((s) => [s.name, s.reason])) };
      },
    },
  });
  const shutdown = (signal: string): void => {
    live.stop();
    void qa.stop(signal).then(() => {
      logger.info('stopped');
      process.exit(0);
    });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  await qa.launch();
}
