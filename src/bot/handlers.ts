import { Composer, type Context } from 'telegraf';
import { callbackQuery, editedMessage, message } from 'telegraf/filters';
import type { InlineQueryResult, Message } from 'telegraf/types';
import { composeAnswer } from '../answer/compose.js';
import { clipText, escapeHtml, packMessages } from '../answer/html.js';
import { quoteBlock, renderAnswerHtml, renderContextHtml } from '../answer/telegram-html.js';
import { MAX_QUESTION_LENGTH, TEXTS, aboutText, sourcesBlocks, statsText } from '../answer/texts.js';
import { describeError } from '../errors.js';
import { redact } from '../log.js';
import { stripBotNoise } from '../search/query.js';
import { decodeAction, encodeAction } from './answers-store.js';
import { isGroup, type BotParts } from './parts.js';

/** Whether a group message is addressed to the bot: it @mentions it or replies to it. */
function addressedInGroup(ctx: Context, msg: Message.TextMessage): boolean {
  const username = ctx.botInfo?.username ?? '';
  const mentioned = username !== '' && msg.text.toLowerCase().includes(`@${username.toLowerCase()}`);
  const replyToBot = msg.reply_to_message?.from?.id === ctx.botInfo?.id;
  return mentioned || replyToBot;
}

/** /start, /help, /sources, /about, /new: what the bot is and what it holds. */
export function infoCommands(parts: BotParts): Composer<Context> {
  const { deps, send, conversations } = parts;
  const c = new Composer<Context>();
  c.start((ctx) => (isGroup(ctx.chat) ? undefined : send(ctx.chat, [TEXTS.start])));
  c.help((ctx) => send(ctx.chat, [TEXTS.help], isGroup(ctx.chat) ? ctx.message.message_id : undefined));
  c.command('sources', (ctx) =>
    send(ctx.chat, packMessages(sourcesBlocks(deps.searcher().index.documents())), isGroup(ctx.chat) ? ctx.message.message_id : undefined),
  );
  c.command('new', (ctx) => {
    for (const key of parts.threadOf(ctx.chat, ctx.message).write) conversations.clear(key);
    return send(ctx.chat, [TEXTS.newTopic], isGroup(ctx.chat) ? ctx.message.message_id : undefined);
  });
  c.command('about', (ctx) => send(ctx.chat, [aboutText(deps.searcher().index.manifest)], isGroup(ctx.chat) ? ctx.message.message_id : undefined));
  return c;
}

/** /stats and /reindex, for ADMIN_IDS only; to anyone else they are unknown commands. */
export function adminCommands(parts: BotParts): Composer<Context> {
  const { deps, config, send, feedback, stats } = parts;
  const c = new Composer<Context>();
  const isAdmin = (ctx: Context): boolean => ctx.from !== undefined && config.adminIds.has(ctx.from.id);
  c.command('stats', (ctx) => {
    const replyTo = isGroup(ctx.chat) ? ctx.message.message_id : undefined;
    if (!isAdmin(ctx)) return send(ctx.chat, [TEXTS.unknownCommand], replyTo);
    const votes = feedback.read();
    const up = votes.filter((v) => v.vote === 'up').length;
    return send(ctx.chat, [statsText(stats.snapshot(), { up, down: votes.length - up }, deps.searcher().index.manifest)], replyTo);
  });
  c.command('reindex', async (ctx) => {
    const replyTo = isGroup(ctx.chat) ? ctx.message.message_id : undefined;
    if (!isAdmin(ctx)) return send(ctx.chat, [TEXTS.unknownCommand], replyTo);
    if (!deps.reindex) return send(ctx.chat, ['这个实例不能重建索引。'], replyTo);
    if (parts.isReindexing()) return send(ctx.chat, ['索引正在重建中，请稍候。'], replyTo);
    parts.setReindexing(true);
    await send(ctx.chat, ['开始重建索引；完成后自动切换，期间照常回答问题。'], replyTo);
    try {
      const report = await deps.reindex();
      return await send(ctx.chat, [escapeHtml(report)], replyTo);
    } catch (err) {
      return await send(ctx.chat, [escapeHtml(`重建失败，旧索引继续使用：${redact(describeError(err), config.token)}`)], replyTo);
    } finally {
      parts.setReindexing(false);
    }
  });
  return c;
}

/** Questions: /ask, private texts, group mentions and replies; and what is not a question (other commands, edits, stickers). */
export function questions(parts: BotParts): Composer<Context> {
  const { send } = parts;
  const c = new Composer<Context>();
  c.command('ask', (ctx) => {
    const question = ctx.payload.trim();
    const replyTo = isGroup(ctx.chat) ? ctx.message.message_id : undefined;
    return question ? parts.answer(ctx.chat, question, replyTo, ctx.from.id, parts.threadOf(ctx.chat, ctx.message)) : send(ctx.chat, [TEXTS.askUsage], replyTo);
  });
  c.on(message('text'), (ctx) => {
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
    return parts.answer(ctx.chat, msg.text, group ? msg.message_id : undefined, msg.from.id, parts.threadOf(ctx.chat, msg));
  });
  c.on(editedMessage('text'), (ctx) => (isGroup(ctx.chat) ? undefined : send(ctx.chat, [TEXTS.edited])));
  c.on('message', (ctx) => (isGroup(ctx.chat) ? undefined : send(ctx.chat, [TEXTS.notText])));
  return c;
}

/** The buttons under an answer: more results, context, 👍/👎. */
export function buttons({ deps, send, store, feedback }: BotParts): Composer<Context> {
  const c = new Composer<Context>();
  c.on(callbackQuery('data'), async (ctx) => {
    const action = decodeAction(ctx.callbackQuery.data);
    const stored = action && store.get(action.key);
    const chat = ctx.callbackQuery.message?.chat;
    if (!action || !stored || !chat) return ctx.telegram.answerCbQuery(ctx.callbackQuery.id, TEXTS.stale);
    if (action.action === 'vote') {
      feedback.append({ question: stored.question, passageIds: stored.ids.slice(0, stored.shown), vote: action.up ? 'up' : 'down' });
      return ctx.telegram.answerCbQuery(ctx.callbackQuery.id, TEXTS.thanks);
    }
    await ctx.telegram.answerCbQuery(ctx.callbackQuery.id);
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
  return c;
}

/** Inline mode: `@bot 问题` in any chat offers up to 5 quotes to send. */
export function inline({ deps }: BotParts): Composer<Context> {
  const c = new Composer<Context>();
  c.on('inline_query', async (ctx) => {
    const question = stripBotNoise(ctx.inlineQuery.query).slice(0, MAX_QUESTION_LENGTH);
    if (!question) return ctx.telegram.answerInlineQuery(ctx.inlineQuery.id, [], { cache_time: 0 });
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
    return ctx.telegram.answerInlineQuery(ctx.inlineQuery.id, results, { cache_time: 60 });
  });
  return c;
}
