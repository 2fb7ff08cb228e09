import { setMaxListeners } from 'node:events';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import type { QaBot } from '../../bot/bot.js';
import { describeError } from '../../errors.js';
import type { LoadtestOptions } from './args.js';
import { attribute } from './attribution.js';
import { Chats, isAnswered } from './chats.js';
import { formatLoadReport, type BotLog } from './report.js';
import { Users } from './users.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What the load test drives: the emulator, the bot in this process, and its log. */
export interface TrafficSetup {
  options: LoadtestOptions;
  pool: readonly string[];
  server: TelegramServer;
  qa: QaBot;
  token: string;
  setupS: number;
  botLog: BotLog;
}

/** Posts to the emulator's client API, over loopback; a hung request must not outlive the run's bound. */
function poster(apiURL: string): (route: string, body: unknown) => Promise<unknown> {
  return async (route, body) => {
    const response = await fetch(`${apiURL}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    return (await response.json()) as unknown;
  };
}

/**
 * Lets every user ask all its questions (or until the timeout), then waits for
 * late messages, attributes every bot message to a question and reports.
 */
export async function runTraffic(setup: TrafficSetup): Promise<{ text: string; failed: string }> {
  const { options, server, qa, botLog } = setup;
  const chats = new Chats(server, poster(server.config.apiURL), setup.token);
  const users = new Users(options, setup.pool, server, chats, setup.token);
  process.stderr.write(
    `load test: ${options.users} users (${users.privateUsers} private, ${options.groupUsers} in groups), ${options.questions} questions each, ` +
      `${setup.pool.length} distinct questions, timeout ${options.timeoutS} s, polling ${options.polling}, bot on ${server.config.apiURL}\n`,
  );
  const monitor = new Monitor(qa);
  // What the bot logged while starting (e.g. a call the emulator does not implement) is kept apart from the traffic.
  const startupWarnings = botLog.warnings.splice(0).length + botLog.errors.splice(0).length;
  const progress = setInterval(() => {
    const done = users.sent.filter((q) => isAnswered(chats.all.get(q.chatId)!, q)).length;
    process.stderr.write(
      `  ${((Date.now() - monitor.start) / 1000).toFixed(0)} s: ${users.sent.length} sent, ${done} answered, ${qa.inFlight()} in flight in the bot\n`,
    );
  }, 10_000);
  const deadlineAt = monitor.start + options.timeoutS * 1000;
  let timedOut: boolean;
  try {
    timedOut = await runUsers(users, options);
  } finally {
    monitor.stop();
    clearInterval(progress);
  }
  // Late messages (a duplicate sent after the last question's answer) get a while to show up.
  await sleep(Math.max(2000, options.settleMs * 2));
  for (const chat of chats.all.values()) await chats.fetchReplies(chat);
  chats.close();
  const attribution = attribute(chats.all.values(), users.sent);
  return formatLoadReport({
    ...monitor.figures(),
    options,
    poolSize: setup.pool.length,
    privateUsers: users.privateUsers,
    sent: users.sent,
    chats: [...chats.all.values()],
    attribution,
    deadlineAt,
    timedOut,
    setupS: setup.setupS,
    botLog,
    startupWarnings,
  });
}

/** Runs all users at once until they are done or the timeout aborts them; whether it did. A user's failure ends the run. */
async function runUsers(users: Users, options: LoadtestOptions): Promise<boolean> {
  const deadline = new AbortController();
  // Every waiting user listens for the deadline.
  setMaxListeners(options.users + 10, deadline.signal);
  const timer = setTimeout(() => deadline.abort(), options.timeoutS * 1000);
  let userFailure: unknown;
  try {
    await Promise.all(
      Array.from({ length: options.users }, (_, u) =>
        users.run(u, deadline.signal).catch((err: unknown) => {
          userFailure ??= err;
          deadline.abort();
        }),
      ),
    );
  } finally {
    clearTimeout(timer);
  }
  if (userFailure) throw userFailure instanceof Error ? userFailure : new Error(describeError(userFailure));
  return deadline.signal.aborted;
}

/** This process's CPU and event-loop delay, and the bot's peak of updates in flight, over the traffic. */
class Monitor {
  readonly start = Date.now();
  private end = 0;
  private maxInFlight = 0;
  private cpu: NodeJS.CpuUsage | undefined;
  private readonly cpuBefore = process.cpuUsage();
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });
  private readonly sampler: NodeJS.Timeout;

  constructor(qa: QaBot) {
    this.loopDelay.enable();
    this.sampler = setInterval(() => {
      this.maxInFlight = Math.max(this.maxInFlight, qa.inFlight());
    }, 50);
  }

  /** Ends the measurement. */
  stop(): void {
    this.end = Date.now();
    clearInterval(this.sampler);
    this.cpu = process.cpuUsage(this.cpuBefore);
    this.loopDelay.disable();
  }

  /** The measured figures (after `stop`). */
  figures(): { trafficStart: number; trafficEnd: number; maxInFlight: number; cpu: NodeJS.CpuUsage; loopDelayP99Ms: number; loopDelayMaxMs: number } {
    return {
      trafficStart: this.start,
      trafficEnd: this.end,
      maxInFlight: this.maxInFlight,
      cpu: this.cpu ?? process.cpuUsage(this.cpuBefore),
      loopDelayP99Ms: this.loopDelay.percentile(99) / 1e6,
      loopDelayMaxMs: this.loopDelay.max / 1e6,
    };
  }
}
