import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, indexDir, modelDirFromEnv, seedsDir } from '../config.js';
import { loadEmbedder } from '../embed/embedder.js';
import { UserError } from '../errors.js';
import { buildIndex } from '../index/build.js';
import { currentBuild } from '../index/store.js';
import { readEvalSet, type EvalItem } from '../search/evaluate.js';
import { openSearcher } from '../search/open.js';
import type { SearchMode, Searcher } from '../search/searcher.js';
import { progressReporter } from './index-command.js';
import { percentile } from '../percentile.js';
import { freePort } from './free-port.js';
import { parseFlags } from './args.js';

const MODES: readonly SearchMode[] = ['hybrid', 'dense', 'bm25'];
const USAGE = `Usage: npm run bench -- [--rounds N] [--skip-build]

  --rounds N     timed passes over the dev questions per mode, after one warm-up pass (default 5)
  --skip-build   benchmark the index in INDEX_DIR (default index/) instead of building a fresh one

Measures only; the targets are printed for reference and never fail the run.`;

/**
 * The performance targets, printed next to the figures so a reader can judge
 * them without looking anything up. Memory is compared in decimal megabytes
 * (10^6 bytes), the stricter reading of "400 MB".
 */
export const TARGETS = { hybridP50Ms: 10, hybridP95Ms: 25, rssMb: 400, fullBuildSeconds: 40, rebuildSeconds: 3 } as const;

/** How long the spawned `npm start` may take to answer before the bench gives up on it. */
const STARTUP_TIMEOUT_MS = 180_000;
/** How long it may take to exit after /quit before it is terminated. */
const EXIT_GRACE_MS = 15_000;
/** Node flags `npm start` runs the bot with (package.json): a small young generation keeps idle memory down. */
const START_FLAGS = ['--max-semi-space-size=4'];

/** How often the bot process's VmHWM is read: often enough to be near its exit, rare enough not to compete for the 2 cores. */
const RSS_POLL_MS = 50;

/** The parsed flags of `npm run bench`. */
export interface BenchArgs {
  rounds: number;
  skipBuild: boolean;
  help: boolean;
}

/** Parses the bench flags; unknown flags are a usage error, as in the other commands. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values } = parseFlags(argv, { rounds: { type: 'string' }, 'skip-build': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, USAGE);
  const rounds = values.rounds === undefined ? 5 : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 100) throw new UserError(`--rounds must be a whole number from 1 to 100, not "${values.rounds}".`);
  return { rounds, skipBuild: values['skip-build'] ?? false, help: values.help ?? false };
}

/** Latency figures of one search mode, in milliseconds. */
export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

/** Summarises latency samples the way the targets are stated: p50, p95, p99 and the mean. */
export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), mean };
}

/** Timings of the full build and the no-change rebuild into the same folder. */
export interface BuildBench {
  passages: number;
  fullSeconds: number;
  modelLoadSeconds: number;
  embedSeconds: number;
  embedded: number;
  rebuildSeconds: number;
  rebuildEmbedded: number;
  /** Whether the no-change rebuild loaded the model at all (it should not need to). */
  rebuildLoadedModel: boolean;
}

/**
 * Builds the index from scratch (`--force`: every passage embedded anew), then
 * again with nothing changed, into the same folder: the first is what a fresh
 * deployment pays, the second what every `npm run index` after an edit-free
 * pull pays, which should be reading and hashing only.
 */
export async function benchBuild(seeds: string, out: string): Promise<BuildBench> {
  let modelLoadSeconds = 0;
  let embedStarted = 0;
  let embedSeconds = 0;
  const show = progressReporter(process.stderr);
  const full = await buildIndex({
    seedsDir: seeds,
    outDir: out,
    force: true,
    loadEmbedder: async () => {
      const started = performance.now();
      const embedder = await loadEmbedder((line) => console.error(line));
      modelLoadSeconds = (performance.now() - started) / 1000;
      return embedder;
    },
    onProgress: (done, total) => {
      if (done === 0) embedStarted = performance.now();
      if (done === total) embedSeconds = (performance.now() - embedStarted) / 1000;
      show(done, total);
    },
  });
  let rebuildLoadedModel = false;
  const again = await buildIndex({
    seedsDir: seeds,
    outDir: out,
    loadEmbedder: () => {
      rebuildLoadedModel = true;
      return loadEmbedder((line) => console.error(line));
    },
  });
  return {
    passages: full.manifest.counts.passages,
    fullSeconds: full.seconds,
    modelLoadSeconds,
    embedSeconds,
    embedded: full.manifest.counts.embedded,
    rebuildSeconds: again.seconds,
    rebuildEmbedded: again.manifest.counts.embedded,
    rebuildLoadedModel,
  };
}

/** Query latency per mode, and the memory the searching process held meanwhile. */
export interface QueryBench {
  questions: number;
  rounds: number;
  latency: Record<SearchMode, LatencySummary>;
  /** Highest resident set sampled after each search, in bytes: the query phase alone. */
  sampledPeakRssBytes: number;
  /** `maxRSS` of this process at the end, in bytes: a lifetime peak, so it includes any build run before. */
  maxRssBytes: number;
}

/**
 * Times every question in every mode, the modes taking turns within each round
 * so that drift (page cache, CPU frequency, GC) spreads over all three alike.
 * One untimed pass first: the first searches pay for JIT and lazy dictionaries,
 * which no user waits for twice.
 */
export async function benchQueries(searcher: Searcher, questions: readonly string[], rounds: number): Promise<QueryBench> {
  for (const mode of MODES) for (const q of questions) await searcher.search(q, { k: 10, mode });
  const samples: Record<SearchMode, number[]> = { hybrid: [], dense: [], bm25: [] };
  let sampledPeakRssBytes = process.memoryUsage.rss();
  for (let round = 0; round < rounds; round += 1) {
    for (const mode of MODES) {
      for (const q of questions) {
        const started = performance.now();
        await searcher.search(q, { k: 10, mode });
        samples[mode].push(performance.now() - started);
        sampledPeakRssBytes = Math.max(sampledPeakRssBytes, process.memoryUsage.rss());
      }
    }
  }
  return {
    questions: questions.length,
    rounds,
    latency: { hybrid: summarize(samples.hybrid), dense: summarize(samples.dense), bm25: summarize(samples.bm25) },
    sampledPeakRssBytes,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

/** What `npm start` in terminal mode costs before its first answer. */
export interface StartupBench {
  question: string;
  greetingMs: number | null;
  answerMs: number | null;
  exitMs: number | null;
  /** VmHWM of the bot process, in bytes; null where /proc is not available. */
  peakRssBytes: number | null;
  /** Why no answer was measured, if none was. */
  failure: string | null;
}

/** The peak resident set (VmHWM) of a live process, in bytes, from /proc. */
function readVmHwm(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/mu.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Starts the product the way a user does (`npm start` runs the compiled `node dist/scripts/start.js`,
 * no BOT_TOKEN, so the terminal chat: the same process minus Telegram), types
 * one question at once and times the greeting and the first quoted source. The
 * question waits in the pipe while the index and model load, so the time to the
 * answer is the whole cold start a first user sees. VmHWM is polled while it
 * runs because /proc forgets a process the moment it exits.
 */
export function benchStartup(index: string, question: string): Promise<StartupBench> {
  const env: NodeJS.ProcessEnv = { ...process.env, BOT_TOKEN: '', INDEX_DIR: index };
  const modelDir = modelDirFromEnv();
  if (modelDir) env.MODEL_DIR = modelDir; // the child runs in the project root; a relative MODEL_DIR must not change meaning
  const started = performance.now();
  const since = (): number => performance.now() - started;
  const child = spawn(process.execPath, [...START_FLAGS, path.join('dist', 'scripts', 'start.js')], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const result: StartupBench = { question, greetingMs: null, answerMs: null, exitMs: null, peakRssBytes: null, failure: null };

  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let quitting = false;
    let killer: NodeJS.Timeout | undefined;
    const sample = (): void => {
      if (child.pid === undefined) return;
      const hwm = readVmHwm(child.pid);
      if (hwm !== null) result.peakRssBytes = Math.max(result.peakRssBytes ?? 0, hwm);
    };
    const poll = setInterval(sample, RSS_POLL_MS);
    const quit = (failure: string | null): void => {
      if (quitting) return;
      quitting = true;
      sample();
      if (failure) result.failure = failure;
      child.stdin.end('/quit\n');
      killer = setTimeout(() => {
        result.failure ??= `did not exit within ${EXIT_GRACE_MS / 1000} s of /quit; terminated`;
        child.kill('SIGTERM');
      }, EXIT_GRACE_MS);
    };
    const timeout = setTimeout(() => quit(`no answer within ${STARTUP_TIMEOUT_MS / 1000} s`), STARTUP_TIMEOUT_MS);

    child.stdin.on('error', () => {}); // a child that died early closes the pipe; its exit reports why
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (result.greetingMs === null && stdout.includes('终端模式')) result.greetingMs = since();
      if (result.answerMs === null && /(^|\n) {2}📄 /u.test(stdout)) {
        result.answerMs = since();
        clearTimeout(timeout);
        quit(null);
      }
    });
    child.on('error', (err) => {
      result.failure = `could not start: ${err.message}`;
    });
    child.on('exit', (code, signal) => {
      result.exitMs = since();
      clearInterval(poll);
      clearTimeout(timeout);
      if (killer) clearTimeout(killer);
      if (result.answerMs === null && !result.failure) {
        const last = stderr.trim().split('\n').at(-1) ?? '';
        result.failure = `exited (${signal ?? `code ${code}`}) before answering${last ? `: ${last}` : ''}`;
      }
      resolve(result);
    });
    child.stdin.write(`${question}\n`);
  });
}

function fmtMs(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}

function fmtSeconds(ms: number | null): string {
  return ms === null ? 'n/a' : `${(ms / 1000).toFixed(2)} s`;
}

function fmtMb(bytes: number | null): string {
  return bytes === null ? 'n/a' : `${(bytes / 1e6).toFixed(0)} MB`;
}

function verdict(ok: boolean): string {
  return ok ? 'met' : 'MISSED';
}

/** The report: one block per measurement, each figure with its target beside it. */
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
  const token = '7000000003:AABenchEmulatorToken_abcdefghijklm';
  const port = await freePort();
  const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 600 });
  await server.start();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BOT_TOKEN: token,
    TELEGRAM_API_ROOT: server.config.apiURL,
    INDEX_DIR: index,
    LOG_LEVEL: 'warn',
    WEBHOOK_URL: '',
    RATE_LIMIT_PER_MINUTE: '1000',
  };
  const modelDir = modelDirFromEnv();
  if (modelDir) env.MODEL_DIR = modelDir;
  const child = spawn(process.execPath, [...START_FLAGS, path.join('dist', 'scripts', 'start.js')], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const result: BotRssBench = { questions: questions.length, answered: 0, peakRssBytes: null, failure: null };
  const sample = (): void => {
    const hwm = child.pid ? readVmHwm(child.pid) : null;
    if (hwm !== null) result.peakRssBytes = Math.max(result.peakRssBytes ?? 0, hwm);
  };
  const sampler = setInterval(sample, RSS_POLL_MS);
  try {
    // The bot is ready once it polls: the emulator then has taken its getMe.
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const chats = questions.map((_, i) => 880_000 + i);
    for (const [i, question] of questions.entries()) {
      await server.addUserMessage({
        botToken: token,
        date: 1,
        chat: { id: chats[i]!, type: 'private', first_name: 'B' },
        from: { id: chats[i]!, is_bot: false, first_name: 'B' },
        text: question,
      });
    }
    const answered = (): number => new Set(server.storage.botMessages.map((m) => String((m.message as { chat_id?: number | string }).chat_id))).size;
    while (answered() < questions.length && Date.now() - started < STARTUP_TIMEOUT_MS) await new Promise((resolve) => setTimeout(resolve, 100));
    result.answered = answered();
    if (result.answered < questions.length) result.failure = `only ${result.answered} of ${questions.length} questions were answered in time`;
    sample();
  } finally {
    clearInterval(sampler);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await server.stop();
  }
  return result;
}

export function formatReport(r: { build: BuildBench | null; index: string; queries: QueryBench; startup: StartupBench; bot: BotRssBench }): string {
  const lines = ['== smx-docs-qa bench ==', `machine: ${os.cpus().length} cores, node ${process.version}; index: ${r.index}`, ''];
  const b = r.build;
  if (b) {
    const rate = b.passages / b.fullSeconds;
    lines.push(
      'Index build',
      `  full (--force)     ${b.fullSeconds.toFixed(2)} s   ${b.passages} passages, ${rate.toFixed(1)} passages/s   [target ≤ ${TARGETS.fullBuildSeconds} s: ${verdict(b.fullSeconds <= TARGETS.fullBuildSeconds)}]`,
      `                     of which model load ${b.modelLoadSeconds.toFixed(2)} s, embedding ${b.embedded} passages ${b.embedSeconds.toFixed(2)} s (${(b.embedded / Math.max(1e-9, b.embedSeconds)).toFixed(1)}/s)`,
      `  no-change rebuild  ${b.rebuildSeconds.toFixed(2)} s   re-embedded ${b.rebuildEmbedded}, model ${b.rebuildLoadedModel ? 'loaded' : 'not loaded'}   [target ≤ ${TARGETS.rebuildSeconds} s, 0 re-embedded: ${verdict(b.rebuildSeconds <= TARGETS.rebuildSeconds && b.rebuildEmbedded === 0)}]`,
      '',
    );
  } else {
    lines.push('Index build: skipped (--skip-build)', '');
  }

  const q = r.queries;
  const col = (s: string): string => s.padStart(9);
  lines.push(`Query latency, k=10 (${q.questions} dev questions × ${q.rounds} rounds = ${q.questions * q.rounds} per mode, after a warm-up pass)`);
  lines.push(`  ${'mode'.padEnd(7)}${col('p50')}${col('p95')}${col('p99')}${col('mean')}`);
  for (const mode of MODES) {
    const s = q.latency[mode];
    lines.push(`  ${mode.padEnd(7)}${col(fmtMs(s.p50))}${col(fmtMs(s.p95))}${col(fmtMs(s.p99))}${col(fmtMs(s.mean))}`);
  }
  const h = q.latency.hybrid;
  lines.push(
    `  [target hybrid p50 ≤ ${TARGETS.hybridP50Ms} ms: ${verdict(h.p50 <= TARGETS.hybridP50Ms)}, p95 ≤ ${TARGETS.hybridP95Ms} ms: ${verdict(h.p95 <= TARGETS.hybridP95Ms)}]`,
    `  bench process RSS: peak ${fmtMb(q.sampledPeakRssBytes)} sampled during the queries; maxRSS ${fmtMb(q.maxRssBytes)} (lifetime${b ? ', includes the build' : ''})`,
    '',
  );

  const st = r.startup;
  lines.push(
    `npm start, terminal mode (question typed at spawn: "${st.question}")`,
    `  greeting (终端模式)  ${fmtSeconds(st.greetingMs)}`,
    `  first answer (📄)   ${fmtSeconds(st.answerMs)}`,
    `  exit after /quit    ${fmtSeconds(st.exitMs)}`,
    `  peak RSS (VmHWM)    ${fmtMb(st.peakRssBytes)}   [target ≤ ${TARGETS.rssMb} MB: ${st.peakRssBytes === null ? 'n/a' : verdict(st.peakRssBytes <= TARGETS.rssMb * 1e6)}]`,
  );
  if (st.failure) lines.push(`  note: ${st.failure}`);
  const bot = r.bot;
  lines.push(
    '',
    `Telegram bot (compiled, long polling against the Bot API emulator), ${bot.answered}/${bot.questions} dev questions answered`,
    `  peak RSS (VmHWM)    ${fmtMb(bot.peakRssBytes)}   [target ≤ ${TARGETS.rssMb} MB: ${bot.peakRssBytes === null ? 'n/a' : verdict(bot.peakRssBytes <= TARGETS.rssMb * 1e6)}]`,
  );
  if (bot.failure) lines.push(`  note: ${bot.failure}`);
  return lines.join('\n');
}

/** The question typed into the started bot: the first dev question that gets quotes, so a "📄" line is sure to come. */
async function pickAnsweredQuestion(searcher: Searcher, items: readonly EvalItem[]): Promise<string> {
  for (const item of items) {
    if (item.evidence.length === 0) continue;
    if (!(await searcher.search(item.question, { k: 10 })).noAnswer) return item.question;
  }
  throw new UserError('No dev question gets an answer from this index, so the time to a first answer cannot be measured; check the index.');
}

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
    let index: string;
    let build: BuildBench | null = null;
    if (tmp) {
      index = path.join(tmp, 'index');
      console.error(`bench: building a fresh index in ${index} …`);
      build = await benchBuild(seedsDir(), index);
    } else {
      index = indexDir();
      if (!currentBuild(index)) throw new UserError(`No index in ${index}; run npm run index first, or drop --skip-build.`);
    }

    console.error(`bench: timing ${items.length} questions × ${args.rounds} rounds × ${MODES.length} modes …`);
    const searcher = await openSearcher({ dir: index });
    const queries = await benchQueries(
      searcher,
      items.map((item) => item.question),
      args.rounds,
    );

    const question = await pickAnsweredQuestion(searcher, items);
    console.error('bench: compiling (npm run build), then starting npm start in terminal mode …');
    const compiled = spawnSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: PROJECT_ROOT,
      stdio: 'inherit',
    });
    if (compiled.status !== 0) throw new UserError('Compiling for npm start failed; run npm run build to see why.');
    const startup = await benchStartup(index, question);
    console.error('bench: running the Telegram bot against the Bot API emulator …');
    const bot = await benchBotRss(
      index,
      items.map((item) => item.question),
    );

    console.log(formatReport({ build, index, queries, startup, bot }));
  } finally {
    process.removeListener('SIGINT', onSigint);
    cleanUp();
  }
}
