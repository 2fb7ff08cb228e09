import { Telegraf, TelegramError, type Context } from 'telegraf';
import { callbackQuery, editedMessage, message } from 'telegraf/filters';
import type { InlineKeyboardButton, InlineQueryResult, Message } from 'telegraf/types';
import { UserError, describeError } from '../errors.js';
import type { Searcher } from '../search/searcher.js';
import { stripBotNoise } from '../search/query.js';
import { ConversationStore } from '../conversation/store.js';
import { RESTART, answerTurn } from '../conversation/turn.js';
import { composeAnswer } from '../answer/compose.js';
import { AnswerStore, decodeAction, encodeAction } from './answers-store.js';
import type { BotConfig } from '../config.js';
import { FeedbackLog } from './feedback.js';
import { clipText, escapeHtml, packMessages } from '../answer/html.js';
import { redact, type Logger } from '../log.js';
import { quoteBlock, renderAnswerHtml, renderContextHtml } from '../answer/telegram-html.js';
import { UserRateLimiter } from './rate-limit.js';
import { withRetry } from './retry.js';
import { SendQueue } from './send-queue.js';
import { BotStats } from './stats.js';
import { MAX_QUESTION_LENGTH, TEXTS, aboutText, sourcesBlocks, statsText } from '../answer/texts.js';

/** What the bot needs from the rest of the program. */
export interface BotDeps {
  config: BotConfig;
  /** The searcher in service; a function so a rebuilt index can be swapped in without a restart. */
  searcher: () => Searcher;
  logger: Logger;
  store?: AnswerStore;
  feedback?: FeedbackLog;
  /** Rebuilds the index for an admin's /reindex; resolves to a one-line report. */
  reindex?: () => Promise<string>;
  /** What each chat is about, for follow-up questions (default: in memory, CONTEXT_TTL_MINUTES). */
  conversations?: ConversationStore;
}

/**
 * Where a question's context comes from and goes to: a private chat is one
 * thread; in a group only a reply chain is (a reply to the bot's answer, or to
 * the question it answered), so one member's topic never reaches another's
 * question except through a reply.
 */
interface Thread {
  /** The key to read the topic from, or null for a fresh start. */
  read: string | null;
  /** Keys to remember the new topic under; in groups the bot's answer ids are added once sent. */
  write: string[];
  /** Prefix for the keys of the bot's answers (groups only). */
  replies: string | null;
}

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

type Chat = Message['chat'];
const isGroup = (chat: Chat): boolean => chat.type === 'group' || chat.type === 'supergroup';

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
    if (!turn.response) return void (await send(chat, [TEXTS.noTopic], replyTo));
    const { response } = turn;
    stats.record(response.ms, response.noAnswer);
    const composed = composeAnswer(response, turn.from);
    const understood = turn.understanding.kind === 'followup' ? (turn.understood ?? undefined) : undefined;
    logger.info(
      `answered chat=${chat.type} ms=${response.ms.toFixed(1)} noAnswer=${response.noAnswer}${response.abstainReason ? ` reason=${response.abstainReason}` : ''} turn=${turn.understanding.kind} hits=${composed.kind === 'quotes' ? composed.hits.length : 0}`,
    );
    if (turn.understanding.kind === 'more' && composed.kind === 'none') return void (await send(chat, [TEXTS.noMore], replyTo));
    const topic = turn.topic && { ...turn.topic, shown: turn.from + (composed.kind === 'quotes' ? composed.hits.length : 0) };
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

  const addressedInGroup = (ctx: Context, msg: Message.TextMessage): boolean => {
    const username = ctx.botInfo?.username ?? '';
    const mentioned = username !== '' && msg.text.toLowerCase().includes(`@${username.toLowerCase()}`);
    const replyToBot = msg.reply_to_message?.from?.id === ctx.botInfo?.id;
    return mentioned || replyToBot;
  };

  bot.start((ctx) => (isGroup(ctx.chat) ? undefined : send(ctx.chat, [TEXTS.start])));
  bot.help((ctx) => send(ctx.chat, [TEXTS.help], isGroup(ctx.chat) ? ctx.message.message_id : undefined));
  bot.command('sources', (ctx) => {
    const docs = deps.searcher().index.documents();
    return send(ctx.chat, packMessages(sourcesBlocks(docs)), isGroup(ctx.chat) ? ctx.message.message_id : undefined);
  });
  bot.command('new', (ctx) => {
    for (const key of threadOf(ctx.chat, ctx.message).write) conversations.clear(key);
    return send(ctx.chat, [TEXTS.newTopic], isGroup(ctx.chat) ? ctx.message.message_id : undefined);
  });
  bot.command('about', (ctx) => send(ctx.chat, [aboutText(deps.searcher().index.manifest)], isGroup(ctx.chat) ? ctx.message.message_id : undefined));
  bot.command('ask', (ctx) => {
    const question = ctx.payload.trim();
    const replyTo = isGroup(ctx.chat) ? ctx.message.message_id : undefined;
    return question ? answer(ctx.chat, question, replyTo, ctx.from.id, threadOf(ctx.chat, ctx.message)) : send(ctx.chat, [TEXTS.askUsage], replyTo);
  });

  // Admin commands exist only for ADMIN_IDS; to anyone else they are unknown commands.
  const isAdmin = (ctx: Context): boolean => ctx.from !== undefined && config.adminIds.has(ctx.from.id);
  bot.command('stats', (ctx) => {
    const replyTo = isGroup(ctx.chat) ? ctx.message.message_id : undefined;
    if (!isAdmin(ctx)) return send(ctx.chat, [TEXTS.unknownCommand], replyTo);
    const votes = feedback.read();
    const up = votes.filter((v) => v.vote === 'up').length;
    return send(ctx.chat, [statsText(stats.snapshot(), { up, down: votes.length - up }, deps.searcher().index.manifest)], replyTo);
  });
  bot.command('reindex', async (ctx) => {
    const replyTo = isGroup(ctx.chat) ? ctx.message.message_id : undefined;
    if (!isAdmin(ctx)) return send(ctx.chat, [TEXTS.unknownCommand], replyTo);
    if (!deps.reindex) return send(ctx.chat, ['这个实例不能重建索引。'], replyTo);
    if (reindexing) return send(ctx.chat, ['索引正在重建中，请稍候。'], replyTo);
    reindexing = true;
    await send(ctx.chat, ['开始重建索引；完成后自动切换，期间照常回答问题。'], replyTo);
    try {
      const report = await deps.reindex();
      return await send(ctx.chat, [escapeHtml(report)], replyTo);
    } catch (err) {
      return await send(ctx.chat, [escapeHtml(`重建失败，旧索引继续使用：${redact(describeError(err), config.token)}`)], replyTo);
    } finally {
      reindexing = false;
    }
  });

  bot.on(message('text'), (ctx) => {
    const msg = ctx.message;
    const group = isGroup(ctx.chat);
    const command = /^\/([A-Za-z0-9_]+)(?:@([A-Za-z0-9_]+))?/u.exec(msg.text);
    if (command) {
      // A command for another bot in the group is none of our business.
      const forUs = !command[2] || command[2].toLowerCase() === ctx.botInfo?.username?.toLowerCase();
      if (!group || (forUs && command[2])) return send(ctx.chat, [TEXTS.unknownCommand], group ? msg.message_id : undefined);
      return undefined;
    }
    if (group && !addressedInGroup(ctx, msg)) return undefined;
    return answer(ctx.chat, msg.text, group ? msg.message_id : undefined, msg.from.id, threadOf(ctx.chat, msg));
  });

  bot.on(editedMessage('text'), (ctx) => (isGroup(ctx.chat) ? undefined : send(ctx.chat, [TEXTS.edited])));
  bot.on('message', (ctx) => (isGroup(ctx.chat) ? undefined : send(ctx.chat, [TEXTS.notText])));

  bot.on(callbackQuery('data'), async (ctx) => {
    const action = decodeAction(ctx.callbackQuery.data);
    const stored = action && store.get(action.key);
    const chat = ctx.callbackQuery.message?.chat;
    if (!action || !stored || !chat) return bot.telegram.answerCbQuery(ctx.callbackQuery.id, TEXTS.stale);
    if (action.action === 'vote') {
      feedback.append({ question: stored.question, passageIds: stored.ids.slice(0, stored.shown), vote: action.up ? 'up' : 'down' });
      return bot.telegram.answerCbQuery(ctx.callbackQuery.id, TEXTS.thanks);
    }
    await bot.telegram.answerCbQuery(ctx.callbackQuery.id);
    if (action.action === 'context') {
      const around = deps.searcher().index.neighbours(stored.ids[0] ?? '');
      if (around.length === 0) return send(chat, [TEXTS.stale]);
      return send(chat, renderContextHtml(around, stored.ids[0]!));
    }
    const response = await deps.searcher().search(stored.question, { k: 10 });
    const next = composeAnswer(response, stored.shown);
    if (next.kind === 'none') return send(chat, [TEXTS.noMore]);
    stored.shown += next.hits.length;
    return send(
      chat,
      renderAnswerHtml(next),
      undefined,
      next.more ? [[{ text: '更多结果', callback_data: encodeAction({ action: 'more', key: action.key }) }]] : undefined,
    );
  });

  bot.on('inline_query', async (ctx) => {
    const question = stripBotNoise(ctx.inlineQuery.query).slice(0, MAX_QUESTION_LENGTH);
    if (!question) return bot.telegram.answerInlineQuery(ctx.inlineQuery.id, [], { cache_time: 0 });
    const response = await deps.searcher().search(question, { k: 5 });
    const results: InlineQueryResult[] = response.hits.map((hit) => {
      const [start, end] = hit.highlights[0] ?? [0, Math.min(120, hit.passage.text.length)];
      return {
        type: 'article',
        id: hit.passage.id,
        title: clipText(hit.passage.title, 100),
        description: clipText(hit.passage.text.slice(start, end), 200),
        input_message_content: { message_text: quoteBlock(hit), parse_mode: 'HTML', link_preview_options: { is_disabled: true } },
      };
    });
    return bot.telegram.answerInlineQuery(ctx.inlineQuery.id, results, { cache_time: 60 });
  });

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
