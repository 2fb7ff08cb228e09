import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import type { LoadtestOptions } from './args.js';
import { isAnswered, type ChatState, type Chats, type Question } from './chats.js';

/** The bot may send at most 20 messages a minute in one group: no group gets more questions than that. */
export const QUESTIONS_PER_GROUP = 20;

/**
 * The simulated users: each asks its questions one after another, waiting for
 * the answer (and a quiet `settleMs` after it) before the next. The first
 * `users − groupUsers` ask in their private chats, the rest with /ask in groups.
 */
export class Users {
  /** Every question sent, in the order sent. */
  readonly sent: Question[] = [];
  readonly privateUsers: number;
  private readonly groupBlocks: number;
  private nonce = 0;

  constructor(
    private readonly options: LoadtestOptions,
    private readonly pool: readonly string[],
    private readonly server: TelegramServer,
    private readonly chats: Chats,
    private readonly token: string,
  ) {
    this.privateUsers = options.users - options.groupUsers;
    this.groupBlocks = Math.ceil(options.questions / QUESTIONS_PER_GROUP);
  }

  /** User `u` asks all its questions, or as many as fit before the signal aborts. */
  async run(u: number, signal: AbortSignal): Promise<void> {
    const userId = 100_000 + u;
    const group = u >= this.privateUsers;
    const g = u - this.privateUsers;
    for (let j = 0; j < this.options.questions && !signal.aborted; j += 1) {
      // A group user moves to a fresh group every 20 questions, so no group needs more than 20 answers a minute.
      const chat = group
        ? this.chats.chatOf(-(1_000_000 + g * this.groupBlocks + Math.floor(j / QUESTIONS_PER_GROUP)), true)
        : this.chats.chatOf(userId, false);
      const raw = this.pool[(u * 7 + j) % this.pool.length]!;
      const q = await this.ask(userId, chat, group ? `/ask ${raw.replace(/^\/ask\s*/u, '')}` : raw);
      await this.awaitAnswer(chat, q, signal);
      if (signal.aborted) return;
      await this.awaitQuiet(chat, signal);
    }
  }

  /** Waits for the first message of the answer. */
  private async awaitAnswer(chat: ChatState, q: Question, signal: AbortSignal): Promise<void> {
    for (;;) {
      const seen = chat.rung;
      await this.chats.fetchReplies(chat);
      if (isAnswered(chat, q) || signal.aborted) return;
      await this.chats.bell(chat, seen, 1000, signal);
    }
  }

  /** Then until the chat is quiet for `settleMs`, so a split answer's later parts are in before the next question. */
  private async awaitQuiet(chat: ChatState, signal: AbortSignal): Promise<void> {
    for (;;) {
      const before = chat.replies.length;
      await this.chats.bell(chat, chat.rung, this.options.settleMs, signal);
      await this.chats.fetchReplies(chat);
      if (chat.replies.length === before || signal.aborted) return;
    }
  }

  /** Sends one question the way a Telegram client would reach the emulator; returns it with the emulator's id and time. */
  private async ask(user: number, chat: ChatState, text: string): Promise<Question> {
    const marker = 9_000_000 + this.nonce++;
    const from = { id: user, is_bot: false, first_name: `User${user}`, username: `user${user}` };
    const message = {
      botToken: this.token,
      date: Math.floor(Date.now() / 1000),
      message_id: marker,
      from,
      chat: chat.group ? { id: chat.id, type: 'group', title: `Load group ${-chat.id}` } : { id: chat.id, type: 'private', first_name: from.first_name },
      text,
      ...(text.startsWith('/') ? { entities: [{ offset: 0, length: text.split(/\s/u)[0]!.length, type: 'bot_command' }] } : {}),
    };
    await this.chats.post(text.startsWith('/') ? '/sendCommand' : '/sendMessage', message);
    // The emulator stores the message under its own id, the one the bot sees; our marker finds it.
    const stored = [...this.server.storage.userMessages].reverse().find((u) => 'message' in u && (u.message as { message_id?: number }).message_id === marker);
    if (!stored) throw new Error(`the emulator did not store question ${marker}`);
    const question: Question = { user, chatId: chat.id, group: chat.group, text, id: stored.messageId, sentAt: stored.time };
    chat.questions.push(question);
    this.sent.push(question);
    return question;
  }
}
