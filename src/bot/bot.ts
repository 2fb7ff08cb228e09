import { Telegraf, type Context } from 'telegraf';
import { callbackQuery, editedMessage, message } from 'telegraf/filters';
import type { InlineKeyboardButton, InlineQueryResult, Message } from 'telegraf/types';
import { UserError, describeError } from '../errors.js';
import type { Passage } from '../ingest/types.js';
import type { Searcher } from '../search/searcher.js';
import { stripBotNoise } from '../search/query.js';
import { composeAnswer } from './answer.js';
import { AnswerStore, decodeAction, encodeAction } from './answers-store.js';
import type { BotConfig } from './config.js';
import { FeedbackLog } from './feedback.js';
import { clipText, escapeHtml } from './html.js';
import { redact, type Logger } from './log.js';
import { quoteBlock, renderAnswerHtml, renderContextHtml } from './render.js';
import { SendQueue } from './send-queue.js';
import { MAX_QUESTION_LENGTH, TEXTS, aboutText, sourcesText } from './texts.js';

/** What the bot needs from the rest of the program. */
export interface BotDeps {
  config: BotConfig;
  /** The searcher in service; a function so a rebuilt index can be swapped in without a restart. */
  searcher: () => Searcher;
  logger: Logger;
  store?: AnswerStore;
  feedback?: FeedbackLog;
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
  return [first, [
    { text: '👍', callback_data: encodeAction({ action: 'vote', key, up: true }) },
    { text: '👎', callback_data: encodeAction({ action: 'vote', key, up: false }) },
  ]];
}

/** The passages around one: those just before and after it in the same document. */
export function contextOf(passages: readonly Passage[], id: string): Passage[] {
  const at = passages.findIndex((p) => p.id === id);
  if (at < 0) return [];
  const same = (p: Passage | undefined): p is Passage => !!p && p.file === passages[at]!.file && p.title === passages[at]!.title;
  return [passages[at - 1], passages[at], passages[at + 1]].filter(same);
}

/**
 * Builds the Telegram bot: private chats answer every text, groups answer only
 * `/ask`, mentions and replies to the bot, inline mode offers quotes to send.
 * Every reply is Telegram HTML built from escaped document text.
 */
export function createBot(deps: BotDeps): QaBot {
  const { config, logger } = deps;
  const store = deps.store ?? new AnswerStore();
  const feedback = deps.feedback ?? new FeedbackLog(config.feedbackFile);
  const bot = new Telegraf(config.token ?? '', { telegram: { apiRoot: config.apiRoot, webhookReply: false }, handlerTimeout: 60_000 });
  const groupQueue = new SendQueue(GROUP_PER_MINUTE);
  const privateQueue = new SendQueue(PRIVATE_PER_MINUTE);
  let pending = 0;
  let stopping = false;

  bot.use(async (_ctx, next) => {
    pending += 1;
    try {
      await next();
    } finally {
      pending -= 1;
    }
  });

  /** Sends HTML messages in order through the chat's rate limit; buttons go under the last one. */
  async function send(chat: Chat, messages: readonly string[], replyTo?: number, buttons?: InlineKeyboardButton[][]): Promise<void> {
    const queue = isGroup(chat) ? groupQueue : privateQueue;
    for (const [i, html] of messages.entries()) {
      const last = i === messages.length - 1;
      await queue.run(chat.id, () =>
        bot.telegram.sendMessage(chat.id, html, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...(replyTo !== undefined && i === 0 ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
          ...(last && buttons ? { reply_markup: { inline_keyboard: buttons } } : {}),
        }),
      );
    }
  }

  /** Answers one question in a chat: quotes and sources, or a kind "not covered". */
  async function answer(chat: Chat, raw: string, replyTo: number | undefined): Promise<void> {
    const question = stripBotNoise(raw);
    if (!question) return send(chat, [TEXTS.empty], replyTo);
    if (question.length > MAX_QUESTION_LENGTH) return send(chat, [TEXTS.tooLong], replyTo);
    const searcher = deps.searcher();
    const response = await searcher.search(question, { k: 10 });
    const composed = composeAnswer(response);
    logger.info(`answered chat=${chat.type} ms=${response.ms.toFixed(1)} noAnswer=${response.noAnswer}${response.abstainReason ? ` reason=${response.abstainReason}` : ''} hits=${composed.kind === 'quotes' ? composed.hits.length : 0}`);
    if (composed.kind === 'none') return send(chat, renderAnswerHtml(composed), replyTo);
    const key = store.put({ question, hits: response.hits.map((h) => h.index), ids: response.hits.map((h) => h.passage.id), shown: composed.hits.length });
    return send(chat, renderAnswerHtml(composed), replyTo, answerButtons(key, composed.more));
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
    const seen = new Set<string>();
    const docs = deps.searcher().index.passages.filter((p) => !seen.has(p.file + p.title) && seen.add(p.file + p.title));
    return send(ctx.chat, [sourcesText(docs)], isGroup(ctx.chat) ? ctx.message.message_id : undefined);
  });
  bot.command('about', (ctx) => send(ctx.chat, [aboutText(deps.searcher().index.manifest)], isGroup(ctx.chat) ? ctx.message.message_id : undefined));
  bot.command('ask', (ctx) => {
    const question = ctx.payload.trim();
    const replyTo = isGroup(ctx.chat) ? ctx.message.message_id : undefined;
    return question ? answer(ctx.chat, question, replyTo) : send(ctx.chat, [TEXTS.askUsage], replyTo);
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
    return answer(ctx.chat, msg.text, group ? msg.message_id : undefined);
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
      const around = contextOf(deps.searcher().index.passages, stored.ids[0] ?? '');
      if (around.length === 0) return send(chat, [TEXTS.stale]);
      return send(chat, renderContextHtml(around, stored.ids[0]!));
    }
    const response = await deps.searcher().search(stored.question, { k: 10 });
    const next = composeAnswer(response, stored.shown);
    if (next.kind === 'none') return send(chat, [TEXTS.noMore]);
    stored.shown += next.hits.length;
    return send(chat, renderAnswerHtml(next), undefined, next.more ? [[{ text: '更多结果', callback_data: encodeAction({ action: 'more', key: action.key }) }]] : undefined);
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

  bot.catch(async (err, ctx) => {
    logger.error(`update ${ctx.update.update_id} failed: ${redact(describeError(err), config.token)}`);
    const chat = ctx.chat;
    if (chat && !isGroup(chat)) {
      try {
        await bot.telegram.sendMessage(chat.id, escapeHtml(TEXTS.failed), { parse_mode: 'HTML' });
      } catch {
        // Telegram itself is failing; the log line above is all we can do.
      }
    }
  });

  return {
    bot,
    inFlight: () => pending,
    async launch() {
      let me;
      try {
        me = await bot.telegram.getMe();
      } catch (err) {
        const why = redact(describeError(err), config.token);
        if (/\b401\b|unauthorized/iu.test(why)) throw new UserError(`Telegram rejected BOT_TOKEN (${why}); get a valid token from @BotFather and set BOT_TOKEN.`);
        throw new UserError(`Could not reach the Telegram Bot API at ${config.apiRoot} (${why}); check TELEGRAM_API_ROOT and the network.`);
      }
      bot.botInfo = me;
      try {
        await bot.telegram.setMyCommands(
          [
            { command: 'ask', description: '提问' },
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
        ? { webhook: { domain: config.webhook.url, port: config.webhook.port, ...(config.webhook.secret ? { secretToken: config.webhook.secret } : {}) } }
        : { dropPendingUpdates: false };
      logger.info(`bot @${me.username} starting (${config.webhook ? `webhook on port ${config.webhook.port}` : 'long polling'})`);
      void bot.launch(launchOptions).catch((err: unknown) => logger.error(`bot stopped: ${redact(describeError(err), config.token)}`));
    },
    async stop(reason) {
      if (stopping) return;
      stopping = true;
      logger.info(`stopping (${reason}); ${pending} answer(s) in flight`);
      try {
        bot.stop(reason);
      } catch {
        // Not running (never launched, or already stopped).
      }
      while (pending > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    },
  };
}
