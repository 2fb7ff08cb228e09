import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, indexDir, seedsDir } from '../../config.js';
import { UserError } from '../../errors.js';
import { currentBuild } from '../../index/store.js';
import { readDialogues, readEvalSet, type EvalItem } from '../../search/evaluate.js';
import { openSearcher } from '../../search/open.js';
import type { Searcher } from '../../search/searcher.js';
import { USAGE, parseBenchArgs } from './args.js';
import { benchBotRss } from './bot-rss.js';
import { benchBuild, type BuildBench } from './build.js';
import { MODES, benchQueries } from './queries.js';
import { benchFollowUps } from './followups.js';
import { formatReport } from './report.js';
import { benchStartup } from './startup.js';

/**
 * `npm run bench`: build speed, query latency per mode, cold start to a first
 * answer and memory, in one run on a fresh temporary index so the figures do
 * not depend on whatever is in index/. It only measures; targets are for the
 * reader.
 */
export async function benchCommand(argv: readonly string[]): Promise<void> {
  const args = parseBenchArgs(argv);
  if (args.help) return void console.log(USAGE);
  const items = readEvalSet(path.join(PROJECT_ROOT, '..', 'shared', 'eval', 'dev.jsonl'));
  const questions = items.map((item) => item.question);
  const tmp = args.skipBuild ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'smx-bench-'));
  const cleanUp = (): void => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  };
  const onSigint = (): void => {
    cleanUp();
    process.exit(130);
  };
  process.once('SIGINT', onSigint);
  try {
    const { index, build } = await prepareIndex(tmp);
    console.error(`bench: timing ${items.length} questions × ${args.rounds} rounds × ${MODES.length} modes …`);
    const searcher = await openSearcher({ dir: index });
    const queries = await benchQueries(searcher, questions, args.rounds);
    const followUps = await benchFollowUps(searcher, readDialogues(path.join(PROJECT_ROOT, 'eval', 'dialogues.jsonl')), args.rounds);
    const question = await pickAnsweredQuestion(searcher, items);
    console.error('bench: compiling (npm run build), then starting npm start in terminal mode …');
    compile();
    const startup = await benchStartup(index, question);
    console.error('bench: running the Telegram bot against the Bot API emulator …');
    const bot = await benchBotRss(index, questions);
    console.log(formatReport({ build, index, queries, followUps, startup, bot }));
  } finally {
    process.removeListener('SIGINT', onSigint);
    cleanUp();
  }
}

/** A fresh index built (and timed) in `tmp`, or with --skip-build (no `tmp`) the one in INDEX_DIR. */
async function prepareIndex(tmp: string | null): Promise<{ index: string; build: BuildBench | null }> {
  if (!tmp) {
    const index = indexDir();
    if (!currentBuild(index)) throw new UserError(`No index in ${index}; run npm run index first, or drop --skip-build.`);
    return { index, build: null };
  }
  const index = path.join(tmp, 'index');
  console.error(`bench: building a fresh index in ${index} …`);
  return { index, build: await benchBuild(seedsDir(), index) };
}

/** Compiles as `npm run build` does, since the start-up and bot figures are those of the compiled product. */
function compile(): void {
  const compiled = spawnSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
  });
  if (compiled.status !== 0) throw new UserError('Compiling for npm start failed; run npm run build to see why.');
}

/** The question typed into the started bot: the first dev question that gets quotes, so a "📄" line is sure to come. */
async function pickAnsweredQuestion(searcher: Searcher, items: readonly EvalItem[]): Promise<string> {
  for (const item of items) {
    if (item.evidence.length === 0) continue;
    if (!(await searcher.search(item.question, { k: 10 })).noAnswer) return item.question;
  }
  throw new UserError('No dev question gets an answer from this index, so the time to a first answer cannot be measured; check the index.');
}
