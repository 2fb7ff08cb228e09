import os from 'node:os';
import type { BotRssBench } from './bot-rss.js';
import type { BuildBench } from './build.js';
import type { FollowUpBench } from './followups.js';
import { MODES, type QueryBench } from './queries.js';
import type { StartupBench } from './startup.js';

/**
 * The performance targets, printed next to the figures so a reader can judge
 * them without looking anything up. Memory is compared in decimal megabytes
 * (10^6 bytes), the stricter reading of "400 MB".
 */
export const TARGETS = { hybridP50Ms: 10, hybridP95Ms: 25, rssMb: 400, fullBuildSeconds: 40, rebuildSeconds: 3 } as const;

/** Everything one bench run measured. */
export interface BenchResults {
  build: BuildBench | null;
  index: string;
  queries: QueryBench;
  followUps: FollowUpBench;
  startup: StartupBench;
  bot: BotRssBench;
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

/** A peak RSS against the memory target. */
function rssVerdict(bytes: number | null): string {
  return `[target ≤ ${TARGETS.rssMb} MB: ${bytes === null ? 'n/a' : verdict(bytes <= TARGETS.rssMb * 1e6)}]`;
}

/** The report: one block per measurement, each figure with its target beside it. */
export function formatReport(r: BenchResults): string {
  return [
    '== smx-docs-qa bench ==',
    `machine: ${os.cpus().length} cores, node ${process.version}; index: ${r.index}`,
    '',
    ...buildLines(r.build),
    ...queryLines(r.queries, r.build !== null),
    ...followUpLines(r.followUps),
    ...startupLines(r.startup),
    ...botLines(r.bot),
  ].join('\n');
}

function buildLines(b: BuildBench | null): string[] {
  if (!b) return ['Index build: skipped (--skip-build)', ''];
  const rate = b.passages / b.fullSeconds;
  return [
    'Index build',
    `  full (--force)     ${b.fullSeconds.toFixed(2)} s   ${b.passages} passages, ${rate.toFixed(1)} passages/s   [target ≤ ${TARGETS.fullBuildSeconds} s: ${verdict(b.fullSeconds <= TARGETS.fullBuildSeconds)}]`,
    `                     of which model load ${b.modelLoadSeconds.toFixed(2)} s, embedding ${b.embedded} passages ${b.embedSeconds.toFixed(2)} s (${(b.embedded / Math.max(1e-9, b.embedSeconds)).toFixed(1)}/s)`,
    `  no-change rebuild  ${b.rebuildSeconds.toFixed(2)} s   re-embedded ${b.rebuildEmbedded}, model ${b.rebuildLoadedModel ? 'loaded' : 'not loaded'}   [target ≤ ${TARGETS.rebuildSeconds} s, 0 re-embedded: ${verdict(b.rebuildSeconds <= TARGETS.rebuildSeconds && b.rebuildEmbedded === 0)}]`,
    '',
  ];
}

function queryLines(q: QueryBench, built: boolean): string[] {
  const col = (s: string): string => s.padStart(9);
  const h = q.latency.hybrid;
  return [
    `Query latency, k=10 (${q.questions} dev questions × ${q.rounds} rounds = ${q.questions * q.rounds} per mode, after a warm-up pass)`,
    `  ${'mode'.padEnd(7)}${col('p50')}${col('p95')}${col('p99')}${col('mean')}`,
    ...MODES.map((mode) => {
      const s = q.latency[mode];
      return `  ${mode.padEnd(7)}${col(fmtMs(s.p50))}${col(fmtMs(s.p95))}${col(fmtMs(s.p99))}${col(fmtMs(s.mean))}`;
    }),
    `  [target hybrid p50 ≤ ${TARGETS.hybridP50Ms} ms: ${verdict(h.p50 <= TARGETS.hybridP50Ms)}, p95 ≤ ${TARGETS.hybridP95Ms} ms: ${verdict(h.p95 <= TARGETS.hybridP95Ms)}]`,
    `  bench process RSS: peak ${fmtMb(q.sampledPeakRssBytes)} sampled during the queries; maxRSS ${fmtMb(q.maxRssBytes)} (lifetime${built ? ', includes the build' : ''})`,
    '',
  ];
}

function followUpLines(f: FollowUpBench): string[] {
  const gap = f.followUp.p50 - f.plain.p50;
  return [
    `Follow-up turns (${f.turns} of eval/dialogues.jsonl × ${f.rounds} rounds): understanding in the chat, then search`,
    `  follow-up turn  p50 ${fmtMs(f.followUp.p50)}  p95 ${fmtMs(f.followUp.p95)}`,
    `  same question searched alone  p50 ${fmtMs(f.plain.p50)}  p95 ${fmtMs(f.plain.p95)}`,
    `  [target p50 within 2 ms of a plain question: ${verdict(gap <= 2)} (${gap >= 0 ? '+' : ''}${gap.toFixed(1)} ms)]`,
    '',
  ];
}

function startupLines(st: StartupBench): string[] {
  return [
    `npm start, terminal mode (question typed at spawn: "${st.question}")`,
    `  greeting (终端模式)  ${fmtSeconds(st.greetingMs)}`,
    `  first answer (📄)   ${fmtSeconds(st.answerMs)}`,
    `  exit after /quit    ${fmtSeconds(st.exitMs)}`,
    `  peak RSS (VmHWM)    ${fmtMb(st.peakRssBytes)}   ${rssVerdict(st.peakRssBytes)}`,
    ...(st.failure ? [`  note: ${st.failure}`] : []),
  ];
}

function botLines(bot: BotRssBench): string[] {
  return [
    '',
    `Telegram bot (compiled, long polling against the Bot API emulator), ${bot.answered}/${bot.questions} dev questions answered`,
    `  peak RSS (VmHWM)    ${fmtMb(bot.peakRssBytes)}   ${rssVerdict(bot.peakRssBytes)}`,
    ...(bot.failure ? [`  note: ${bot.failure}`] : []),
  ];
}
