import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';

/** One question as sent: who asked where, and the id and time the emulator gave it. */
export interface Question {
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
export interface BotMessage {
  chatId: number;
  /** The emulator numbers user and bot messages from one counter, so ids order them. */
  id: number;
  /** Emulator clock, ms: when the bot's sendMessage arrived. */
  time: number;
  text: string;
  replyTo: number | undefined;
}

/** A chat as the simulated users see it: what they asked, what the bot sent, and a doorbell. */
export interface ChatState {
  id: number;
  group: boolean;
  questions: Question[];
  replies: BotMessage[];
  /** Bumped whenever the emulator stores a bot message for this chat. */
  rung: number;
  waiters: Set<() => void>;
}

/** An update as the emulator's client API returns it (its types say nothing of it). */
type ClientUpdate = { time: number; messageId: number; message: { text?: unknown; reply_parameters?: { message_id?: unknown } } };

/**
 * The simulated users' chats. The emulator is in this process: its event for a
 * stored bot message rings the chat's doorbell, and the user then reads the
 * chat through the emulator's client API. No user polls in a loop (50 users
 * polling would load the very CPU being measured); a slow fallback poll covers
 * a missed ring.
 */
export class Chats {
  readonly all = new Map<number, ChatState>();
  private readonly onBotMessage = (): void => {
    const stored = this.server.storage.botMessages.at(-1);
    const chat = stored && this.all.get(Number((stored.message as { chat_id?: number | string }).chat_id));
    if (!chat) return;
    chat.rung += 1;
    for (const wake of chat.waiters) wake();
  };

  constructor(
    private readonly server: TelegramServer,
    /** Posts to the emulator's client API. */
    readonly post: (route: string, body: unknown) => Promise<unknown>,
    private readonly token: string,
  ) {
    server.on('AddedBotMessage', this.onBotMessage);
  }

  /** Stops listening to the emulator. */
  close(): void {
    this.server.off('AddedBotMessage', this.onBotMessage);
  }

  /** The chat with this id, made on first use. */
  chatOf(id: number, group: boolean): ChatState {
    let chat = this.all.get(id);
    if (!chat) {
      chat = { id, group, questions: [], replies: [], rung: 0, waiters: new Set() };
      this.all.set(id, chat);
    }
    return chat;
  }

  /** Reads the chat's new bot messages through the client API. */
  async fetchReplies(chat: ChatState): Promise<void> {
    const body = (await this.post('/getUpdates', { token: this.token, chatId: chat.id })) as { result?: unknown };
    const fresh = Array.isArray(body.result) ? (body.result as ClientUpdate[]) : [];
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
  }

  /** Waits until the chat's doorbell rings after `seen`, `ms` pass, or the run is over. */
  bell(chat: ChatState, seen: number, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
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
  }
}

/** Whether a question has the first message of its answer: in a group the reply to it, in private any later bot message. */
export function isAnswered(chat: ChatState, q: Question): boolean {
  return chat.replies.some((m) => (chat.group ? m.replyTo === q.id : m.id > q.id));
}
