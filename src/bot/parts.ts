import type { InlineKeyboardButton, Message } from 'telegraf/types';
import type { BotConfig } from '../config.js';
import type { ConversationStore } from '../conversation/store.js';
import type { Logger } from '../log.js';
import type { Searcher } from '../search/searcher.js';
import type { AnswerStore } from './answers-store.js';
import type { FeedbackLog } from './feedback.js';
import type { BotStats } from './stats.js';

export type Chat = Message['chat'];

/** Whether a chat is a group (where the bot answers only when addressed). */
export const isGroup = (chat: Chat): boolean => chat.type === 'group' || chat.type === 'supergroup';

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
  /** The documents folder admins manage from the chat (send a file, /remove); absent: they cannot. */
  library?: LibraryDeps;
}

/** What a rebuild tells about the files it was given. */
export interface RebuildResult {
  /** Files of the folder the build left out, by name, with its reason in words. */
  skipped?: ReadonlyMap<string, string>;
}

/** The documents folder staff manage from the chat, and how the index is rebuilt from it. */
export interface LibraryDeps {
  /** The documents folder the index is built from (SEEDS_DIR). */
  dir: string;
  /**
   * Rebuilds the index from the folder and puts it in service: resolves once
   * `searcher()` answers from the new index (with the files the build skipped
   * and why, when it says), rejects with the reason (the previous index still
   * in service) when the build fails or cannot be loaded.
   */
  rebuild: () => Promise<RebuildResult | void>;
  /** The largest file accepted, in bytes (default and most: the Bot API's 20 MB download limit). */
  maxBytes?: number;
}

/**
 * Where a question's context comes from and goes to: a private chat is one
 * thread; in a group only a reply chain is (a reply to the bot's answer, or to
 * the question it answered), so one member's topic never reaches another's
 * question except through a reply.
 */
export interface Thread {
  /** The key to read the topic from, or null for a fresh start. */
  read: string | null;
  /** Keys to remember the new topic under; in groups the bot's answer ids are added once sent. */
  write: string[];
  /** Prefix for the keys of the bot's answers (groups only). */
  replies: string | null;
}

/** What the handlers share: the bot's state and its two actions, sending and answering. */
export interface BotParts {
  deps: BotDeps;
  config: BotConfig;
  store: AnswerStore;
  conversations: ConversationStore;
  feedback: FeedbackLog;
  stats: BotStats;
  /** Sends HTML messages in order through the chat's rate limit; resolves to their ids. */
  send: (chat: Chat, messages: readonly string[], replyTo?: number, buttons?: InlineKeyboardButton[][]) => Promise<number[]>;
  /** Answers one message in its thread. */
  answer: (chat: Chat, raw: string, replyTo: number | undefined, userId: number | undefined, thread: Thread) => Promise<void>;
  /** The thread a message belongs to. */
  threadOf: (chat: Chat, msg: { message_id: number; reply_to_message?: { message_id: number } }) => Thread;
  isReindexing: () => boolean;
  setReindexing: (value: boolean) => void;
}
