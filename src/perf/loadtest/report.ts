import os from 'node:os';
import { percentile } from '../../percentile.js';
import type { LoadtestOptions } from './args.js';
import type { Attribution, Outcome } from './attribution.js';
import type { ChatState, Question } from './chats.js';

/** What the bot logged, counted by the load test's log sink. */
export interface BotLog {
  answered: number;
  warnings: string[];
  errors: string[];
}

/** Everything one load test run observed, for the report. */
export interface TrafficRun {
  options: LoadtestOptions;
  poolSize: number;
  privateUsers: number;
  sent: readonly Question[];
  chats: readonly ChatState[];
  attribution: Attribution;
  /** Wall clock, ms. */
  trafficStart: number;
  trafficEnd: number;
  /** Answers later than this (emulator clock) count as lost. */
  deadlineAt: number;
  timedOut: boolean;
  setupS: number;
  botLog: BotLog;
  /** Warnings and errors the bot logged while starting, kept apart from the traffic's. */
  startupWarnings: number;
  maxInFlight: number;
  /** This process's CPU time over the traffic, in microseconds. */
  cpu: NodeJS.CpuUsage;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

/** The answers that counted, and the failures among the questions. */
interface Figures {
  inTime: Outcome[];
  lost: Outcome[];
  duplicated: Outcome[];
  wallS: number;
  messages: number;
  split: number;
}

/** Counts answers in time, lost and duplicated, the traffic's wall time and the bot's messages. */
function figures(run: TrafficRun): Figures {
  const all = [...run.attribution.outcomes.values()];
  const inTime = all.filter((o) => o.parts.length > 0 && o.parts[0]!.time <= run.deadlineAt);
  const lost = all.filter((o) => !inTime.includes(o));
  const duplicated = all.filter((o) => o.duplicates > 0);
  const lastAnswerAt = Math.max(run.trafficStart, ...inTime.map((o) => o.parts[0]!.time));
  const wallS = ((run.timedOut ? run.trafficEnd : lastAnswerAt) - run.trafficStart) / 1000;
  const messages = all.reduce((n, o) => n + o.parts.length + o.duplicates, 0) + run.attribution.unmatched;
  const split = inTime.filter((o) => o.parts.length > 1).length;
  return { inTime, lost, duplicated, wallS, messages, split };
}

/** p50, p95, p99 and max of the time to each answer's first message. */
function latencyLine(list: readonly Outcome[]): string {
  const l = list.map((o) => o.parts[0]!.time - o.question.sentAt).sort((a, b) => a - b);
  const ms = (n: number): string => (Number.isNaN(n) ? '-' : `${Math.round(n)} ms`);
  return `p50 ${ms(percentile(l, 50))} · p95 ${ms(percentile(l, 95))} · p99 ${ms(percentile(l, 99))} · max ${ms(l.at(-1) ?? Number.NaN)}`;
}

/** " (… e.g. chat 1 "question"; …)" for a list of failed questions, or nothing when there are none. */
function examples(list: readonly Outcome[], what: string): string {
  if (list.length === 0) return '';
  const e = list
    .slice(0, 3)
    .map((o) => `chat ${o.question.chatId} "${o.question.text}"`)
    .join('; ');
  return ` (${what}; e.g. ${e})`;
}

const pad = (label: string): string => label.padEnd(22);

/** The report printed at the end, and what failed (empty when nothing did). */
export function formatLoadReport(run: TrafficRun): { text: string; failed: string } {
  const f = figures(run);
  const { options, attribution } = run;
  const planned = options.users * options.questions;
  const groupCount = new Set(run.sent.filter((q) => q.group).map((q) => q.chatId)).size;
  const maxPerGroup = Math.max(0, ...run.chats.filter((c) => c.group).map((c) => c.questions.length));
  const lines = [
    '',
    'Load test over the Bot API emulator (127.0.0.1)',
    `${pad('users')}${options.users} (${run.privateUsers} in private chats, ${options.groupUsers} asking with /ask in ${groupCount} group chats, at most ${maxPerGroup} questions per group)`,
    `${pad('questions sent')}${run.sent.length} of ${planned} planned (${options.questions} per user, from ${run.poolSize} distinct: dev set + Traditional + typo variants)`,
    `${pad('answers received')}${f.inTime.length} (${f.messages} bot messages; ${f.split} answers split over several messages)`,
    `${pad('wall time')}${f.wallS.toFixed(1)} s of traffic (setup: index and model ${run.setupS.toFixed(1)} s)${run.timedOut ? `; stopped by the ${options.timeoutS} s timeout` : ''}`,
    `${pad('throughput')}${(f.inTime.length / Math.max(f.wallS, 0.001)).toFixed(2)} questions/s answered`,
    `${pad('latency (all)')}${latencyLine(f.inTime)}`,
    `${pad('  private chats')}${latencyLine(f.inTime.filter((o) => !o.question.group))}`,
    `${pad('  groups')}${latencyLine(f.inTime.filter((o) => o.question.group))}`,
    `${pad('lost answers')}${f.lost.length}${examples(f.lost, `${f.lost.filter((o) => o.parts.length > 0).length} answered only after the timeout`)}`,
    `${pad('duplicated answers')}${f.duplicated.length}${examples(f.duplicated, `${f.duplicated.reduce((n, o) => n + o.duplicates, 0)} extra messages`)}`,
    `${pad('unmatched messages')}${attribution.unmatched}${attribution.unmatchedSamples.length ? ` (${attribution.unmatchedSamples.join('; ')})` : ''}`,
    `${pad('not sent')}${planned - run.sent.length}`,
    ...botAndProcessLines(run),
  ];
  const problems = [
    f.lost.length ? `${f.lost.length} lost` : '',
    f.duplicated.length ? `${f.duplicated.length} duplicated` : '',
    attribution.unmatched ? `${attribution.unmatched} unmatched` : '',
    run.sent.length < planned ? `${planned - run.sent.length} not sent` : '',
  ].filter(Boolean);
  return { text: lines.join('\n'), failed: problems.join(', ') };
}

/** What the bot logged, what this process spent, and how the bot polled. */
function botAndProcessLines(run: TrafficRun): string[] {
  const { botLog, options } = run;
  const cores = (run.cpu.user + run.cpu.system) / 1e6 / ((run.trafficEnd - run.trafficStart) / 1000);
  return [
    `${pad('bot')}${botLog.answered} answers logged, at most ${run.maxInFlight} updates in flight, ${botLog.warnings.length} warnings and ${botLog.errors.length} errors logged during the traffic (${run.startupWarnings} while starting)`,
    ...[...botLog.errors, ...botLog.warnings].slice(0, 3).map((e) => `${pad('')}${e}`),
    `${pad('this process')}CPU ${cores.toFixed(2)} cores of ${os.availableParallelism()} on average; event loop delay p99 ${run.loopDelayP99Ms.toFixed(0)} ms, max ${run.loopDelayMaxMs.toFixed(0)} ms`,
    `${pad('polling')}${options.polling === 'long' ? 'getUpdates held like Telegram long polling (see emulateLongPolling)' : 'raw: the bot polls the emulator in a tight loop'}; settle ${options.settleMs} ms`,
  ];
}
