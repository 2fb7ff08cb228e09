import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as OpenCC from 'opencc-js/cn2t';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { createBot, type QaBot } from '../bot/bot.js';
import { loadBotConfig } from '../config.js';
import { MESSAGE_LIMIT, visibleLength } from '../answer/html.js';
import { createLogger } from '../log.js';
import { PROJECT_ROOT } from '../config.js';
import { UserError, describeError } from '../errors.js';
import { readEvalSet } from '../search/evaluate.js';
import { openSearcher } from '../search/open.js';
import { percentile } from '../percentile.js';
import { freePort } from './free-port.js';
import { parseFlags } from './args.js';

const USAGE = `Usage: npm run loadtest -- [--users N] [--questions N] [--timeout SECONDS]
                        [--group-users N] [--settle MS] [--polling long|raw] [--set FILE]

  --users N        simulated users (default 50)
  --questions N    questions each user asks, one after another (default 20)
  --timeout S      limit on the traffic phase in seconds (default 300); what is
                   unanswered by then is reported lost
  --group-users N  how many of the users ask in group chats with /ask (default: a fifth)
  --settle MS      quiet time after an answer's first message before the next
                   question, so every part of a split answer is in (default 500)
  --polling MODE   raw: the bot polls the emulator as is (default); long: the
                   emulator's getUpdates is held like Telegram's long polling
  --set FILE       questions, JSONL like dev.jsonl (default ../shared/eval/dev.jsonl)

Runs the real bot (real index and model, the bot settings of the environment)
against the Bot API emulator on 127.0.0.1. Users ask without pausing, so with
--questions above the bot's per-user limit (RATE_LIMIT_PER_MINUTE, 20) raise that
limit too, or the bot's "slow down" and silence show up as lost answers.
Exits 1 if any answer is lost, duplicated or unattributable, or the timeout
cut the run short.`;

/** A token of BotFather's shape; the emulator accepts any. */
const TOKEN = '7000000002:AALoadTestEmulatorToken_abcdefghijk';
/** The bot may send at most 20 messages a minute in one group: no group gets more questions than that. */
const QUESTIONS_PER_GROUP = 20;
/** Emulator events for a new update from a user. */
const USER_EVENTS = ['AddedUserMessage', 'AddedUserCommand', 'AddedUserCallbackQuery'] as const;

/**
 * Homophone slips a person makes typing with pinyin (correct word → typo), for
 * typo variants of the questions. One slip per question, the first that applies.
 */
const TYPOS: ReadonlyArray<readonly [string, string]> = [
  ['脱贫', '拖贫'],
  ['环境', '环竟'],
  ['机构', '机够'],
  ['湿地', '湿低'],
  ['氧吧', '氧巴'],
  ['国道', '国到'],
  ['灵宝', '灵包'],
  ['渑池', '免池'],
  ['摄影', '摄映'],
  ['金融', '金容'],
  ['厂房', '厂方'],
  ['物流', '物留'],
  ['保险', '保显'],
  ['投资', '投咨'],
  ['模范', '摸范'],
  ['别墅', '别树'],
  ['执照', '执找'],
  ['耕地', '耕低'],
  ['改造', '改照'],
  ['融资', '容资'],
  ['考核', '考和'],
  ['遗址', '遗止'],
  ['厕所', '侧所'],
  ['债务', '债物'],
  ['苹果', '平果'],
  ['就业', '就叶'],
  ['卢氏', '炉氏'],
  ['补贴', '补帖'],
];

interface Options {
  users: number;
  questions: number;
  timeoutS: number;
  groupUsers: number;
  settleMs: number;
  polling: 'long' | 'raw';
  set: string;
}

/** One question as sent: who asked where, and the id and time the emulator gave it. */
interface Question {
  user: number;
  chatId: number;
  group: boolean;
  text: string;
  /** The message id the bot sees (the emulator numbers messages itself). */
  id: number;
  /** Emulator clock, ms. */
  sentAt: number;
}

/** One message the bot sent, as the emulator stored it. */
interface BotMessage {
  chatId: number;
  /** The emulator numbers user and bot messages from one counter, so ids order them. */
  id: number;
  /** Emulator clock, ms: when the bot's sendMessage arrived. */
  time: number;
  text: string;
  replyTo: number | undefined;
}

/** A chat as the simulated users see it: what they asked, what the bot sent, and a doorbell. */
interface ChatState {
  id: number;
  group: boolean;
  questions: Question[];
  replies: BotMessage[];
  /** Bumped whenever the emulator stores a bot message for this chat. */
  rung: number;
  waiters: Set<() => void>;
}

/** The bot's answer to one question, as attributed after the run. */
interface Outcome {
  question: Question;
  parts: BotMessage[];
  duplicates: number;
}

type AbortSignalLike = {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
};
type CallApi = (method: string, payload: Record<string, unknown>, options?: { signal?: AbortSignalLike }) => Promise<unknown>;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function parseOptions(argv: readonly string[]): Options | undefined {
  const { values } = parseFlags(
    argv,
    {
      users: { type: 'string' },
      questions: { type: 'string' },
      timeout: { type: 'string' },
      'group-users': { type: 'string' },
      settle: { type: 'string' },
      polling: { type: 'string' },
      set: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) return undefined;
  const whole = (flag: string, value: string | undefined, fallback: number, min: number, max: number): number => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new UserError(`--${flag} must be a whole number from ${min} to ${max}, not "${value}".`);
    return n;
  };
  const users = whole('users', values.users, 50, 1, 1000);
  const polling = values.polling ?? 'raw';
  if (polling !== 'long' && polling !== 'raw') throw new UserError(`--polling must be long or raw, not "${polling}".`);
  return {
    users,
    questions: whole('questions', values.questions, 20, 1, 10_000),
    timeoutS: whole('timeout', values.timeout, 300, 1, 86_400),
    groupUsers: whole('group-users', values['group-users'], Math.round(users / 5), 0, users),
    settleMs: whole('settle', values.settle, 500, 0, 60_000),
    polling,
    set: values.set ? path.resolve(values.set) : path.join(PROJECT_ROOT, '..', 'shared', 'eval', 'dev.jsonl'),
  };
}

/** The questions of a JSONL set, each followed by its Traditional and its typo variant where those differ. */
export function questionPool(file: string): string[] {
  // opencc-js's bundled types do not resolve under NodeNext; this is its documented signature.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
  const toTraditional: (text: string) => string = OpenCC.Converter({ from: 'cn', to: 'tw' });
  const pool: string[] = [];
  for (const { question } of readEvalSet(file)) {
    pool.push(question);
    const traditional = toTraditional(question);
    if (traditional !== question) pool.push(traditional);
    const slip = TYPOS.find(([word]) => question.includes(word));
    if (slip) pool.push(question.replace(slip[0], slip[1]));
  }
  if (pool.length === 0) throw new UserError(`${file} holds no questions.`);
  return pool;
}

/**
 * `--polling long`: makes the emulator's getUpdates behave like Telegram's long
 * polling. The emulator ignores `timeout` and answers an empty poll at once, so
 * the bot polls in a tight loop, on the same CPU as its searches, the emulator
 * and the simulated users. Here an empty poll with `timeout` > 0 is held until a
 * user update arrives (at most `holdMs`), then asked again, as Telegram does.
 * Only this load test's bot instance is wrapped (its `telegram.callApi`, around
 * whatever the bot put there); the bot's code is untouched.
 *
 * Not the default, because measured it changes little: on 2 cores, 50 users ×
 * 20 questions ran at 57–77 questions/s with p50 56–234 ms either way (run-to-run
 * noise is larger than the difference); a busy bot rarely polls empty. The tight
 * loop does burn about one core while the bot is idle (1.25 against 0.4 cores
 * with 5 users), so use `long` when that matters.
 */
function emulateLongPolling(qa: QaBot, server: TelegramServer, holdMs = 1000): void {
  const telegram = qa.bot.telegram as unknown as { callApi: CallApi };
  const original: CallApi = telegram.callApi.bind(telegram);
  telegram.callApi = async (method, payload, options) => {
    if (method !== 'getUpdates' || !(Number(payload.timeout) > 0)) return original(method, payload, options);
    let arrived = false;
    let wake = (): void => {};
    const onUpdate = (): void => {
      arrived = true;
      wake();
    };
    // Listening before the first poll: an update between that poll and the wait is not missed.
    for (const event of USER_EVENTS) server.on(event, onUpdate);
    try {
      const first = await original(method, payload, options);
      if (!Array.isArray(first) || first.length > 0) return first;
      if (!arrived) {
        const signal = options?.signal;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, holdMs);
          function done(): void {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
          }
          wake = done;
          signal?.addEventListener('abort', done);
          if (signal?.aborted) done();
        });
      }
      // After an abort (bot stopping) this rejects with AbortError, which ends telegraf's polling as usual.
      return await original(method, payload, options);
    } finally {
      for (const event of USER_EVENTS) server.off(event, onUpdate);
    }
  };
}

/**
 * `npm run loadtest`: many simulated users asking the real bot at once over
 * the Bot API emulator, each waiting for an answer before asking again; prints
 * throughput, latency percentiles, and lost and duplicated answers.
 */
export async function loadtestCommand(argv: readonly string[]): Promise<void> {
  const options = parseOptions(argv);
  if (!options) return void console.log(USAGE);
  const pool = questionPool(options.set);
  const setupStarted = Date.now();

  const botLog = { answered: 0, warnings: [] as string[], errors: [] as string[] };
  const sink = (line: string): void => {
    if (/^\S+ ERROR /u.test(line)) botLog.errors.push(line);
    else if (/^\S+ WARN /u.test(line)) botLog.warnings.push(line);
    else if (/ answered /u.test(line)) botLog.answered += 1;
  };

  const port = await freePort();
  const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: options.timeoutS + 3600 });
  await server.start();
  const apiURL = server.config.apiURL;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loadtest-'));
  let qa: QaBot | undefined;
  try {
    // The bot's settings from the environment (.env included), but the emulator instead of Telegram,
    // long polling rather than a webhook, and feedback (none is given here) kept out of the project's data.
    const config = loadBotConfig({
      ...process.env,
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: apiURL,
      WEBHOOK_URL: '',
      WEBHOOK_PORT: '',
      WEBHOOK_SECRET: '',
      LOG_LEVEL: 'info',
      FEEDBACK_FILE: path.join(tmp, 'feedback.jsonl'),
    });
    process.stderr.write(`loading the index and model from ${config.indexDir}…\n`);
    const searcher = await openSearcher({ dir: config.indexDir });
    qa = createBot({ config, searcher: () => searcher, logger: createLogger('info', TOKEN, sink) });
    if (options.polling === 'long') emulateLongPolling(qa, server);
    await qa.launch();
    const setupS = (Date.now() - setupStarted) / 1000;

    const report = await runTraffic(options, pool, server, apiURL, qa, setupS, botLog);
    process.stdout.write(`${report.text}\n`);
    if (report.failed) throw new UserError(`Load test failed: ${report.failed}.`);
  } finally {
    if (qa) {
      // In-flight answers get a while to finish; a stuck one must not keep the run from ending.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([qa.stop('load test over'), new Promise<void>((resolve) => (timer = setTimeout(resolve, 10_000)))]);
      clearTimeout(timer);
    }
    await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function runTraffic(
  options: Options,
  pool: readonly string[],
  server: TelegramServer,
  apiURL: string,
  qa: QaBot,
  setupS: number,
  botLog: { answered: number; warnings: string[]; errors: string[] },
): Promise<{ text: string; failed: string }> {
  const post = async (route: string, body: unknown): Promise<unknown> => {
    // Loopback only (apiURL is the emulator on 127.0.0.1); a hung request must not outlive the run's bound.
    const response = await fetch(`${apiURL}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    return response.json();
  };

  // --- chats and their doorbells -------------------------------------------------------------
  const chats = new Map<number, ChatState>();
  const chatOf = (id: number, group: boolean): ChatState => {
    let chat = chats.get(id);
    if (!chat) {
      chat = { id, group, questions: [], replies: [], rung: 0, waiters: new Set() };
      chats.set(id, chat);
    }
    return chat;
  };
  // The emulator is in this process: its event for a stored bot message rings the chat's doorbell,
  // and the user then reads the chat through the emulator's client API. No user polls in a loop
  // (50 users polling would load the very CPU being measured); a slow fallback poll covers a missed ring.
  const onBotMessage = (): void => {
    const stored = server.storage.botMessages.at(-1);
    const chat = stored && chats.get(Number((stored.message as { chat_id?: number | string }).chat_id));
    if (!chat) return;
    chat.rung += 1;
    for (const wake of chat.waiters) wake();
  };
  server.on('AddedBotMessage', onBotMessage);

  /** Reads the chat's new bot messages through the client API. */
  const fetchReplies = async (chat: ChatState): Promise<void> => {
    const body = (await post('/getUpdates', { token: TOKEN, chatId: chat.id })) as { result?: unknown };
    const fresh = Array.isArray(body.result)
      ? (body.result as Array<{ time: number; messageId: number; message: { text?: unknown; reply_parameters?: { message_id?: unknown } } }>)
      : [];
    for (const update of fresh) {
      const replyTo = update.message.reply_parameters?.message_id;
      chat.replies.push({
        chatId: chat.id,
        id: update.messageId,
        time: update.time,
        text: typeof update.message.text === 'string' ? update.message.text : '',
        replyTo: typeof replyTo === 'number' ? replyTo : undefined,
      });
    }
  };

  /** Waits until the chat's doorbell rings after `seen`, `ms` pass, or the run is over. */
  const bell = (chat: ChatState, seen: number, ms: number, signal: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        chat.waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      }
      chat.waiters.add(done);
      signal.addEventListener('abort', done);
      if (chat.rung !== seen || signal.aborted) done();
    });

  // --- the users ----------------------------------------------------------------------------
  const deadline = new AbortController();
  // Every waiting user listens for the deadline.
  setMaxListeners(options.users + 10, deadline.signal);
  const groupBlocks = Math.ceil(options.questions / QUESTIONS_PER_GROUP);
  const privateUsers = options.users - options.groupUsers;
  const planned = options.users * options.questions;
  const sent: Question[] = [];
  let nonce = 0;
  let trafficEnd = 0;

  /** Sends one question the way a Telegram client would reach the emulator; returns it with the emulator's id and time. */
  const ask = async (user: number, chat: ChatState, text: string): Promise<Question> => {
    const marker = 9_000_000 + nonce++;
    const from = { id: user, is_bot: false, first_name: `User${user}`, username: `user${user}` };
    const message = {
      botToken: TOKEN,
      date: Math.floor(Date.now() / 1000),
      message_id: marker,
      from,
      chat: chat.group ? { id: chat.id, type: 'group', title: `Load group ${-chat.id}` } : { id: chat.id, type: 'private', first_name: from.first_name },
      text,
      ...(text.startsWith('/') ? { entities: [{ offset: 0, length: text.split(/\s/u)[0]!.length, type: 'bot_command' }] } : {}),
    };
    await post(text.startsWith('/') ? '/sendCommand' : '/sendMessage', message);
    // The emulator stores the message under its own id, the one the bot sees; our marker finds it.
    const stored = [...server.storage.userMessages].reverse().find((u) => 'message' in u && (u.message as { message_id?: number }).message_id === marker);
    if (!stored) throw new Error(`the emulator did not store question ${marker}`);
    const question: Question = { user, chatId: chat.id, group: chat.group, text, id: stored.messageId, sentAt: stored.time };
    chat.questions.push(question);
    sent.push(question);
    return question;
  };

  const answered = (chat: ChatState, q: Question): boolean => chat.replies.some((m) => (chat.group ? m.replyTo === q.id : m.id > q.id));

  const runUser = async (u: number): Promise<void> => {
    const userId = 100_000 + u;
    const group = u >= privateUsers;
    const g = u - privateUsers;
    const signal = deadline.signal;
    for (let j = 0; j < options.questions && !signal.aborted; j += 1) {
      // A group user moves to a fresh group every 20 questions, so no group needs more than 20 answers a minute.
      const chat = group ? chatOf(-(1_000_000 + g * groupBlocks + Math.floor(j / QUESTIONS_PER_GROUP)), true) : chatOf(userId, false);
      const raw = pool[(u * 7 + j) % pool.length]!;
      const text = group ? `/ask ${raw.replace(/^\/ask\s*/u, '')}` : raw;
      const q = await ask(userId, chat, text);
      // Wait for the first message of the answer.
      for (;;) {
        const seen = chat.rung;
        await fetchReplies(chat);
        if (answered(chat, q) || signal.aborted) break;
        await bell(chat, seen, 1000, signal);
      }
      if (signal.aborted) return;
      // Then until the chat is quiet for `settleMs`, so a split answer's later parts are in before the next question.
      for (;;) {
        const before = chat.replies.length;
        const seen = chat.rung;
        await bell(chat, seen, options.settleMs, signal);
        await fetchReplies(chat);
        if (chat.replies.length === before || signal.aborted) break;
      }
    }
  };

  process.stderr.write(
    `load test: ${options.users} users (${privateUsers} private, ${options.groupUsers} in groups), ${options.questions} questions each, ` +
      `${pool.length} distinct questions, timeout ${options.timeoutS} s, polling ${options.polling}, bot on ${apiURL}\n`,
  );
  const cpuBefore = process.cpuUsage();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  let maxInFlight = 0;
  const sampler = setInterval(() => {
    maxInFlight = Math.max(maxInFlight, qa.inFlight());
  }, 50);
  const trafficStart = Date.now();
  // What the bot logged while starting (e.g. a call the emulator does not implement) is kept apart from the traffic.
  const startupWarnings = botLog.warnings.splice(0).length + botLog.errors.splice(0).length;
  const progress = setInterval(() => {
    const done = sent.filter((q) => answered(chats.get(q.chatId)!, q)).length;
    process.stderr.write(
      `  ${((Date.now() - trafficStart) / 1000).toFixed(0)} s: ${sent.length} sent, ${done} answered, ${qa.inFlight()} in flight in the bot\n`,
    );
  }, 10_000);
  const timer = setTimeout(() => deadline.abort(), options.timeoutS * 1000);
  const deadlineAt = trafficStart + options.timeoutS * 1000;
  let userFailure: unknown;
  try {
    await Promise.all(
      Array.from({ length: options.users }, (_, u) =>
        runUser(u).catch((err: unknown) => {
          userFailure ??= err;
          deadline.abort();
        }),
      ),
    );
  } finally {
    trafficEnd = Date.now();
    clearTimeout(timer);
    clearInterval(progress);
    clearInterval(sampler);
  }
  const cpu = process.cpuUsage(cpuBefore);
  loopDelay.disable();
  if (userFailure) throw userFailure instanceof Error ? userFailure : new Error(describeError(userFailure));
  const timedOut = deadline.signal.aborted;

  // Late messages (a duplicate sent after the last question's answer) get a while to show up.
  await sleep(Math.max(2000, options.settleMs * 2));
  for (const chat of chats.values()) await fetchReplies(chat);
  server.off('AddedBotMessage', onBotMessage);

  // --- attribution ---------------------------------------------------------------------------
  // Every bot message is attributed to one question, on the emulator's order of messages (one
  // counter numbers user and bot messages, so "sent before the next question" is exact):
  //  • In a group, the first message of an answer replies to the question (reply_parameters), so
  //    it is matched by id; a second message replying to the same question is a duplicate.
  //  • In a private chat (the bot sends no reply_parameters there), a user has one question
  //    outstanding, so the first bot message after a question is its answer.
  //  • A further message after an answer's first (private, or a group message without
  //    reply_parameters) is legitimately part of the same answer only if the answer had to be split:
  //    Telegram allows 4096 characters, and the bot packs quotes greedily, so the previous part and
  //    this one must not have fitted together in one message, and it must not repeat a part already
  //    sent. Anything else (a resend, an error notice after an answer, a second answer) is a
  //    duplicate. A reply that could belong to no question is unmatched.
  // Users wait `--settle` ms of quiet before asking again, so a split answer's parts are all in
  // first; a part arriving later still is taken for the next question's answer, which then shows
  // a duplicate: an error of attribution is reported, never hidden.
  const outcomes = new Map<Question, Outcome>();
  for (const q of sent) outcomes.set(q, { question: q, parts: [], duplicates: 0 });
  let unmatched = 0;
  const unmatchedSamples: string[] = [];
  const noteUnmatched = (m: BotMessage): void => {
    unmatched += 1;
    if (unmatchedSamples.length < 3) unmatchedSamples.push(`chat ${m.chatId} message ${m.id}: ${m.text.slice(0, 80).replace(/\n/gu, ' ')}`);
  };
  const continues = (outcome: Outcome, m: BotMessage): boolean => {
    const previous = outcome.parts.at(-1)!;
    const tooLongTogether = visibleLength(previous.text) + 2 + visibleLength(m.text) > MESSAGE_LIMIT;
    return tooLongTogether && !outcome.parts.some((p) => p.text === m.text);
  };
  for (const chat of chats.values()) {
    const byId = new Map(chat.questions.map((q) => [q.id, q]));
    const replies = [...chat.replies].sort((a, b) => a.id - b.id);
    let lastAnswered: Outcome | undefined;
    for (const m of replies) {
      if (chat.group && m.replyTo !== undefined) {
        const q = byId.get(m.replyTo);
        const outcome = q && outcomes.get(q);
        if (!outcome) noteUnmatched(m);
        else if (outcome.parts.length > 0) outcome.duplicates += 1;
        else {
          outcome.parts.push(m);
          lastAnswered = outcome;
        }
        continue;
      }
      const before = chat.questions.filter((q) => q.id < m.id).at(-1);
      const latest = before && outcomes.get(before);
      if (!chat.group && latest && latest.parts.length === 0) {
        latest.parts.push(m);
        lastAnswered = latest;
      } else if (lastAnswered && lastAnswered.parts.length > 0 && (chat.group || lastAnswered === latest)) {
        if (continues(lastAnswered, m)) lastAnswered.parts.push(m);
        else lastAnswered.duplicates += 1;
      } else {
        noteUnmatched(m);
      }
    }
  }

  // --- the numbers ---------------------------------------------------------------------------
  const all = [...outcomes.values()];
  const inTime = all.filter((o) => o.parts.length > 0 && o.parts[0]!.time <= deadlineAt);
  const lost = all.filter((o) => !inTime.includes(o));
  const duplicated = all.filter((o) => o.duplicates > 0);
  const latency = (list: readonly Outcome[]): number[] => list.map((o) => o.parts[0]!.time - o.question.sentAt).sort((a, b) => a - b);
  const lastAnswerAt = Math.max(trafficStart, ...inTime.map((o) => o.parts[0]!.time));
  const wallS = ((timedOut ? trafficEnd : lastAnswerAt) - trafficStart) / 1000;
  const messages = all.reduce((n, o) => n + o.parts.length + o.duplicates, 0) + unmatched;
  const split = inTime.filter((o) => o.parts.length > 1).length;
  const ms = (n: number): string => (Number.isNaN(n) ? '-' : `${Math.round(n)} ms`);
  const line = (list: readonly Outcome[]): string => {
    const l = latency(list);
    return `p50 ${ms(percentile(l, 50))} · p95 ${ms(percentile(l, 95))} · p99 ${ms(percentile(l, 99))} · max ${ms(l.at(-1) ?? Number.NaN)}`;
  };
  const groupCount = new Set(sent.filter((q) => q.group).map((q) => q.chatId)).size;
  const maxPerGroup = Math.max(0, ...[...chats.values()].filter((c) => c.group).map((c) => c.questions.length));
  const pad = (label: string): string => label.padEnd(22);
  const lines = [
    '',
    'Load test over the Bot API emulator (127.0.0.1)',
    `${pad('users')}${options.users} (${privateUsers} in private chats, ${options.groupUsers} asking with /ask in ${groupCount} group chats, at most ${maxPerGroup} questions per group)`,
    `${pad('questions sent')}${sent.length} of ${planned} planned (${options.questions} per user, from ${pool.length} distinct: dev set + Traditional + typo variants)`,
    `${pad('answers received')}${inTime.length} (${messages} bot messages; ${split} answers split over several messages)`,
    `${pad('wall time')}${wallS.toFixed(1)} s of traffic (setup: index and model ${setupS.toFixed(1)} s)${timedOut ? `; stopped by the ${options.timeoutS} s timeout` : ''}`,
    `${pad('throughput')}${(inTime.length / Math.max(wallS, 0.001)).toFixed(2)} questions/s answered`,
    `${pad('latency (all)')}${line(inTime)}`,
    `${pad('  private chats')}${line(inTime.filter((o) => !o.question.group))}`,
    `${pad('  groups')}${line(inTime.filter((o) => o.question.group))}`,
    `${pad('lost answers')}${lost.length}${
      lost.length
        ? ` (${lost.filter((o) => o.parts.length > 0).length} answered only after the timeout; e.g. ${lost
            .slice(0, 3)
            .map((o) => `chat ${o.question.chatId} "${o.question.text}"`)
            .join('; ')})`
        : ''
    }`,
    `${pad('duplicated answers')}${duplicated.length}${
      duplicated.length
        ? ` (${duplicated.reduce((n, o) => n + o.duplicates, 0)} extra messages; e.g. ${duplicated
            .slice(0, 3)
            .map((o) => `chat ${o.question.chatId} "${o.question.text}"`)
            .join('; ')})`
        : ''
    }`,
    `${pad('unmatched messages')}${unmatched}${unmatchedSamples.length ? ` (${unmatchedSamples.join('; ')})` : ''}`,
    `${pad('not sent')}${planned - sent.length}`,
    `${pad('bot')}${botLog.answered} answers logged, at most ${maxInFlight} updates in flight, ${botLog.warnings.length} warnings and ${botLog.errors.length} errors logged during the traffic (${startupWarnings} while starting)`,
    ...[...botLog.errors, ...botLog.warnings].slice(0, 3).map((e) => `${pad('')}${e}`),
    `${pad('this process')}CPU ${((cpu.user + cpu.system) / 1e6 / ((trafficEnd - trafficStart) / 1000)).toFixed(2)} cores of ${os.availableParallelism()} on average; event loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, max ${(loopDelay.max / 1e6).toFixed(0)} ms`,
    `${pad('polling')}${options.polling === 'long' ? 'getUpdates held like Telegram long polling (see emulateLongPolling)' : 'raw: the bot polls the emulator in a tight loop'}; settle ${options.settleMs} ms`,
  ];
  const problems = [
    lost.length ? `${lost.length} lost` : '',
    duplicated.length ? `${duplicated.length} duplicated` : '',
    unmatched ? `${unmatched} unmatched` : '',
    sent.length < planned ? `${planned - sent.length} not sent` : '',
  ].filter(Boolean);
  return { text: lines.join('\n'), failed: problems.join(', ') };
}
