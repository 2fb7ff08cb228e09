import { Telegraf, TelegramError, type Context } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';
import { escapeHtml } from '../answer/html.js';
import { renderAnswerHtml } from '../answer/telegram-html.js';
import { MAX_QUESTION_LENGTH, TEXTS } from '../answer/texts.js';
import { ConversationStore } from '../conversation/store.js';
import { RESTART, answerTurn } from '../conversation/turn.js';
import { UserError, describeError } from '../errors.js';
import { redact } from '../log.js';
import { stripBotNoise } from '../search/query.js';
import { AnswerStore, encodeAction } from './answers-store.js';
import { documents } from './documents.js';
import { FeedbackLog } from './feedback.js';
import { adminCommands, buttons, infoCommands, inline, questions } from './handlers.js';
import { isGroup, type BotDeps, type BotParts, type Chat, type Thread } from './parts.js';
import { UserRateLimiter } from './rate-limit.js';
import { withRetry } from './retry.js';
import { SendQueue } from './send-queue.js';
import { BotStats } from './stats.js';

/** The bot plus a way to stop it that waits for answers in flight. */
export interface QaBot {
  bot: Telegraf;
  /** Registers commands, then starts long polling (or the webhook when configured). */
  launch(): Promise<void>;
  /** Stops taking updates, waits for answers being prepared, and resolves. */
  stop(reason: string): Promise<void>;
  /** Answers being prepared right now. */
  inFlight(): number;
}

/** Telegram allows a bot 20 messages a minute in one group. */
const GROUP_PER_MINUTE = 20;
const PRIVATE_PER_MINUTE = 60;

/** The inline keyboard under an answer: more results, context, and feedback. */
function answerButtons(key: string, more: boolean): InlineKeyboardButton[][] {
  const first: InlineKeyboardButton[] = [];
  if (more) first.push({ text: '更多结果', callback_data: encodeAction({ action: 'more', key }) });
  first.push({ text: '上下文', callback_data: encodeAction({ action: 'context', key }) });
  return [
    first,
    [
      { text: '👍', callback_data: encodeAction({ action: 'vote', key, up: true }) },
      { text: '👎', callback_data: encodeAction({ action: 'vote', key, up: false }) },
    ],
  ];
}

/**
 * Builds the Telegram bot: private chats answer every text, groups answer only
 * `/ask`, mentions and replies to the bot, inline mode offers quotes to send.
 * Every reply is Telegram HTML built from escaped document text.
 */
export type { BotDeps } from './parts.js';

export function createBot(deps: BotDeps): QaBot {
  const { config, logger } = deps;
  const store = deps.store ?? new AnswerStore();
  const conversations = deps.conversations ?? new ConversationStore(config.contextTtlMinutes * 60_000);
  const feedback = deps.feedback ?? new FeedbackLog(config.feedbackFile);
  const bot = new Telegraf(config.token ?? '', { telegram: { apiRoot: config.apiRoot, webhookReply: false }, handlerTimeout: 60_000 });
  const groupQueue = new SendQueue(GROUP_PER_MINUTE);
  const privateQueue = new SendQueue(PRIVATE_PER_MINUTE);
  const limiter = new UserRateLimiter(config.questionsPerMinute);
  const stats = new BotStats();
  const tasks = new Set<Promise<void>>();
  let stopping = false;
  let reindexing = false;

  // Every call but polling goes through retries: 429 waits its retry_after, 5xx and network errors back off.
  // Polling has its own retry loop in telegraf, and must stay abortable; registering commands is
  // best effort and must not hold up the start.
  const callApi = bot.telegram.callApi.bind(bot.telegram);
  const once = new Set(['getUpdates', 'setMyCommands']);
  bot.telegram.callApi = ((method: string, payload: unknown, options?: unknown) =>
    once.has(method)
      ? (callApi as (m: string, p: unknown, o?: unknown) => Promise<unknown>)(method, payload, options)
      : withRetry(
          () => (callApi as (m: string, p: unknown, o?: unknown) => Promise<unknown>)(method, payload, options),
          (err, waitMs, attempt) => logger.warn(`${method} failed (${redact(describeError(err), config.token)}); retry ${attempt} in ${waitMs} ms`),
        )) as typeof bot.telegram.callApi;

  /** Logs a failed update and, in private chats, says so, instead of going silent. */
  async function failed(err: unknown, ctx: Context): Promise<void> {
    logger.error(`update ${ctx.update.update_id} failed: ${redact(describeError(err), config.token)}`);
    const chat = ctx.chat;
    if (chat && !isGroup(chat)) {
      try {
        await bot.telegram.sendMessage(chat.id, escapeHtml(TEXTS.failed), { parse_mode: 'HTML' });
      } catch {
        // Telegram itself is failing; the log line above is all we can do.
      }
    }
  }

  // Each update is answered in the background: polling fetches the next updates at once, so one
  // slow answer (a group at its rate limit, a retry) never holds up other chats. Answers in
  // flight are tracked so that stopping waits for them.
  bot.use((ctx, next) => {
    const task: Promise<void> = next()
      .catch((err: unknown) => failed(err, ctx))
      .finally(() => tasks.delete(task));
    tasks.add(task);
    return Promise.resolve();
  });

  /** Sends HTML messages in order through the chat's rate limit; buttons go under the last one. Resolves to the sent messages' ids. */
  async function send(chat: Chat, messages: readonly string[], replyTo?: number, buttons?: InlineKeyboardButton[][]): Promise<number[]> {
    const queue = isGroup(chat) ? groupQueue : privateQueue;
    const ids: number[] = [];
    for (const [i, html] of messages.entries()) {
      const last = i === messages.length - 1;
      const sent = await queue.run(chat.id, () =>
        bot.telegram.sendMessage(chat.id, html, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...(replyTo !== undefined && i === 0 ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
          ...(last && buttons ? { reply_markup: { inline_keyboard: buttons } } : {}),
        }),
      );
      ids.push(sent.message_id);
    }
    return ids;
  }

  /** The thread a message belongs to: the private chat, or in a group the reply chain it continues. */
  function threadOf(chat: Chat, msg: { message_id: number; reply_to_message?: { message_id: number } }): Thread {
    if (!isGroup(chat)) return { read: `p:${chat.id}`, write: [`p:${chat.id}`], replies: null };
    const prefix = `g:${chat.id}:`;
    return { read: msg.reply_to_message ? prefix + msg.reply_to_message.message_id : null, write: [prefix + msg.message_id], replies: prefix };
  }

  /** Answers one message in its thread: quotes and sources, a kind "not covered", or a follow-up understood in context. */
  async function answer(chat: Chat, raw: string, replyTo: number | undefined, userId: number | undefined, thread: Thread): Promise<void> {
    const question = stripBotNoise(raw);
    if (!question) return void (await send(chat, [TEXTS.empty], replyTo));
    if (question.length > MAX_QUESTION_LENGTH) return void (await send(chat, [TEXTS.tooLong], replyTo));
    const allowed = userId === undefined ? 'ok' : limiter.check(userId);
    if (allowed === 'drop') return undefined;
    if (allowed === 'notice') return void (await send(chat, [TEXTS.slowDown], replyTo));
    if (RESTART.test(question)) {
      for (const key of thread.write) conversations.clear(key);
      return void (await send(chat, [TEXTS.newTopic], replyTo));
    }
    const turn = await answerTurn(deps.searcher(), question, thread.read ? conversations.get(thread.read) : null);
    if (!turn.response || !turn.answer) return void (await send(chat, [TEXTS.noTopic], replyTo));
    const { response, answer: composed, topic } = turn;
    stats.record(response.ms, response.noAnswer);
    const understood = turn.understanding.kind === 'followup' ? (turn.understood ?? undefined) : undefined;
    logger.info(
      `answered chat=${chat.type} ms=${response.ms.toFixed(1)} noAnswer=${response.noAnswer}${response.abstainReason ? ` reason=${response.abstainReason}` : ''} turn=${turn.understanding.kind} hits=${composed.kind === 'quotes' ? composed.hits.length : 0}`,
    );
    if (turn.understanding.kind === 'more' && composed.kind === 'none') return void (await send(chat, [TEXTS.noMore], replyTo));
    const remember = (ids: readonly number[]): void => {
      if (!topic) return;
      for (const key of [...thread.write, ...ids.map((id) => `${thread.replies ?? ''}${id}`).filter(() => thread.replies !== null)])
        conversations.set(key, topic);
    };
    if (composed.kind === 'none') {
      const ids = await send(chat, renderAnswerHtml(composed, understood), replyTo);
      if (!topic) for (const key of thread.write) conversations.clear(key);
      return remember(ids);
    }
    const key = store.put({
      question: turn.understood ?? question,
      hits: response.hits.map((h) => h.index),
      ids: response.hits.map((h) => h.passage.id),
      shown: topic?.shown ?? composed.hits.length,
    });
    remember(await send(chat, renderAnswerHtml(composed, understood), replyTo, answerButtons(key, composed.more)));
  }

  const parts: BotParts = {
    deps,
    config,
    store,
    conversations,
    feedback,
    stats,
    send,
    answer,
    threadOf,
    isReindexing: () => reindexing,
    setReindexing: (v) => (reindexing = v),
  };
  // Order matters: commands before the catch-all text handler, which treats any other /command as unknown.
  bot.use(infoCommands(parts), adminCommands(parts), documents(parts), questions(parts), buttons(parts), inline(parts));

  bot.catch((err, ctx) => failed(err, ctx));

  return {
    bot,
    inFlight: () => tasks.size,
    async launch() {
      let me;
      try {
        me = await bot.telegram.getMe();
      } catch (err) {
        const why = redact(describeError(err), config.token);
        if (err instanceof TelegramError && err.code === 401)
          throw new UserError(`Telegram rejected BOT_TOKEN (${why}); get a valid token from @BotFather and set BOT_TOKEN.`);
        throw new UserError(`Could not reach the Telegram Bot API at ${config.apiRoot} (${why}); check TELEGRAM_API_ROOT and the network.`);
      }
      bot.botInfo = me;
      try {
        await bot.telegram.setMyCommands(
          [
            { command: 'ask', description: '提问' },
            { command: 'new', description: '重新开始（换个话题）' },
            { command: 'sources', description: '收录的文件' },
            { command: 'about', description: '模型与索引' },
            { command: 'help', description: '帮助' },
          ],
          { scope: { type: 'all_private_chats' } },
        );
        await bot.telegram.setMyCommands(
          [
            { command: 'ask', description: '提问：/ask 问题' },
            { command: 'help', description: '帮助' },
          ],
          { scope: { type: 'all_group_chats' } },
        );
      } catch (err) {
        logger.warn(`could not register commands with Telegram: ${redact(describeError(err), config.token)}`);
      }
      const launchOptions = config.webhook
        ? {
            webhook: {
              domain: config.webhook.url,
              // telegraf takes only the host from the URL; keep its path as the hook path.
              ...(new URL(config.webhook.url).pathname !== '/' ? { path: new URL(config.webhook.url).pathname } : {}),
              port: config.webhook.port,
              ...(config.webhook.secret ? { secretToken: config.webhook.secret } : {}),
            },
          }
        : { dropPendingUpdates: false };
      logger.info(`bot @${me.username} starting (${config.webhook ? `webhook on port ${config.webhook.port}` : 'long polling'})`);
      void bot.launch(launchOptions).catch((err: unknown) => logger.error(`bot stopped: ${redact(describeError(err), config.token)}`));
    },
    async stop(reason) {
      if (stopping) return;
      stopping = true;
      logger.info(`stopping (${reason}); ${tasks.size} answer(s) in flight`);
      try {
        bot.stop(reason);
      } catch {
        // Not running (never launched, or already stopped).
      }
      // Answers accepted before the stop are sent before we return: nothing accepted is lost.
      while (tasks.size > 0) await Promise.allSettled([...tasks]);
    },
  };
}
