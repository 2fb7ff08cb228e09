import { Telegram } from 'telegraf';
import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { createBot, type QaBot } from '../../src/bot/bot.js';
import type { LibraryDeps } from '../../src/bot/parts.js';
import { loadBotConfig } from '../../src/config.js';
import { FeedbackLog } from '../../src/bot/feedback.js';
import { createLogger } from '../../src/log.js';
import type { Searcher } from '../../src/search/searcher.js';
import { checkOutgoing } from './telegram-html.js';
import { tempDir } from './fixture.js';
import { emulatorBotEnv, freePort, startEmulator } from '../../src/perf/emulator.js';

type CallApi = (method: string, payload: Record<string, unknown>, options?: unknown) => Promise<unknown>;

/** A token of the shape BotFather gives; the emulator accepts any. */
export const TOKEN = '7000000001:AAEmulatorTokenForTests_abcdefghijk';
/** The user id the emulator's getMe reports for the bot. */
export const BOT_ID = 666;
export const BOT_USERNAME = 'TestNameBot';

/** What the bot sent, as stored by the emulator. */
export interface BotMessage {
  message_id?: number;
  chat_id: number | string;
  text: string;
  parse_mode?: string;
  reply_parameters?: { message_id: number };
  reply_markup?: { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> };
}

/** A free loopback port (the one helper the bench and the load test use too). */
export { freePort };

/**
 * The real bot on the real Bot API emulator, over loopback. Every API call the
 * bot makes is checked (valid Telegram HTML, lengths, callback data) on its way
 * out; `problems` collects what failed, and `logs` what the bot logged.
 */
export class Harness {
  readonly problems: string[] = [];
  readonly logs: string[] = [];
  readonly calls: Array<{ method: string; payload: Record<string, unknown> }> = [];
  qa!: QaBot;
  server!: TelegramServer;
  feedback!: FeedbackLog;
  private restore: () => void = () => {};
  private nextMessageId = 1_000_000;

  static async start(searcher: Searcher | (() => Searcher), env: Record<string, string> = {}, reindex?: () => Promise<string>): Promise<Harness> {
    return Harness.startWith(searcher, () => Promise.resolve(env), reindex);
  }

  /** Like `start`, with the environment decided once the emulator runs (e.g. a proxy in front of it), and optionally a documents folder to manage. */
  static async startWith(
    searcher: Searcher | (() => Searcher),
    environment: (emulatorUrl: string) => Promise<Record<string, string>>,
    reindex?: () => Promise<string>,
    library?: LibraryDeps,
  ): Promise<Harness> {
    const h = new Harness();
    h.server = await startEmulator();
    const env = await environment(h.server.config.apiURL);
    const config = loadBotConfig({
      ...emulatorBotEnv(h.server, TOKEN),
      LOG_LEVEL: 'debug',
      FEEDBACK_FILE: `${tempDir('feedback')}/feedback.jsonl`,
      ...env,
    });
    // telegraf makes a client per update, and the bot wraps its own for retries, so the check sits
    // on the shared prototype, patched before the bot exists: it sees every call, as sent.
    const proto = Telegram.prototype as unknown as { callApi: CallApi };
    const original = proto.callApi;
    h.restore = () => {
      proto.callApi = original;
    };
    proto.callApi = function (this: unknown, method: string, payload: Record<string, unknown>, options?: unknown) {
      if (method !== 'getUpdates') h.calls.push({ method, payload });
      h.problems.push(...checkOutgoing(method, payload).map((p) => `${method}: ${p}`));
      // The emulator has no inline mode: the answer is captured above and acknowledged here.
      if (method === 'answerInlineQuery') return Promise.resolve(true);
      const result = original.call(this, method, payload, options);
      // Real Telegram holds an empty getUpdates open (long polling); the emulator answers at once, so pace it.
      if (method === 'getUpdates')
        return result.then((updates) =>
          Array.isArray(updates) && updates.length === 0 ? new Promise((resolve) => setTimeout(() => resolve(updates), 25)) : updates,
        );
      return result;
    };
    h.feedback = new FeedbackLog(config.feedbackFile);
    h.qa = createBot({
      config,
      searcher: typeof searcher === 'function' ? searcher : () => searcher,
      ...(reindex ? { reindex } : {}),
      ...(library ? { library } : {}),
      logger: createLogger('debug', TOKEN, (line) => h.logs.push(line)),
      feedback: h.feedback,
    });
    await h.qa.launch();
    return h;
  }

  async stop(): Promise<void> {
    await this.qa.stop('test over');
    await this.server.stop();
    this.restore();
  }

  /** A user message as the emulator expects it (add fields for replies, stickers…). */
  message(
    chat: { id: number; type: 'private' | 'group' },
    text: string | undefined,
    extra: Record<string, unknown> = {},
    user = { id: 5001, first_name: 'Citizen', username: 'citizen' },
  ): Record<string, unknown> {
    const message_id = this.nextMessageId++;
    return {
      botToken: TOKEN,
      date: Math.floor(Date.now() / 1000),
      message_id,
      from: { ...user, is_bot: false },
      chat: chat.type === 'private' ? { id: chat.id, type: 'private', first_name: user.first_name } : { id: chat.id, type: 'group', title: 'Staff' },
      ...(text === undefined ? {} : { text }),
      ...(text?.startsWith('/') ? { entities: [{ offset: 0, length: text.split(/\s/u)[0]!.length, type: 'bot_command' }] } : {}),
      ...extra,
    };
  }

  /** Sends a user message (or command) through the emulator; returns the message id the bot sees. */
  async send(message: Record<string, unknown>): Promise<number> {
    const route = Array.isArray(message.entities) ? 'sendCommand' : 'sendMessage';
    await this.post(`/${route}`, message);
    // The emulator numbers messages itself; the id the bot sees is the stored one.
    return this.server.storage.userMessages.at(-1)!.messageId;
  }

  /** Feeds an update straight to the bot, for kinds the emulator cannot deliver (edits, inline queries). */
  async handle(update: Record<string, unknown>): Promise<void> {
    await this.qa.bot.handleUpdate(update as unknown as Parameters<typeof this.qa.bot.handleUpdate>[0]);
    // The bot answers in the background; wait until it has.
    while (this.qa.inFlight() > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** Presses an inline button. */
  async press(chat: { id: number; type: 'private' | 'group' }, data: string, user = { id: 5001, first_name: 'Citizen', username: 'citizen' }): Promise<void> {
    await this.post('/sendCallback', {
      botToken: TOKEN,
      date: Math.floor(Date.now() / 1000),
      data,
      from: { ...user, is_bot: false },
      message: {
        chat: chat.type === 'private' ? { id: chat.id, type: 'private', first_name: user.first_name } : { id: chat.id, type: 'group', title: 'Staff' },
        message_id: 1,
      },
    });
  }

  /**
   * Waits for the bot's messages to a chat: returns once at least `atLeast` have
   * come and nothing more for `quietMs`, or when `timeoutMs` runs out.
   */
  async replies(chatId: number, atLeast = 1, quietMs = 400, timeoutMs = 20_000): Promise<BotMessage[]> {
    const got: BotMessage[] = [];
    const started = Date.now();
    let last = Date.now();
    for (;;) {
      const fresh = ((await this.post('/getUpdates', { token: TOKEN, chatId })) as { result: Array<{ message: BotMessage; messageId: number }> }).result;
      for (const update of fresh) got.push({ ...update.message, message_id: update.messageId });
      if (fresh.length > 0) last = Date.now();
      if (got.length >= atLeast && Date.now() - last >= quietMs) return got;
      if (Date.now() - started > timeoutMs) return got;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Callback query answers the bot gave (the emulator stores none, so they are read from the calls). */
  callbackAnswers(): string[] {
    return this.calls.filter((c) => c.method === 'answerCallbackQuery').map((c) => (typeof c.payload.text === 'string' ? c.payload.text : ''));
  }

  /** Waits until the bot has answered at least `count` callback queries in all (or 20 s pass). */
  async callbackAnswersAtLeast(count: number): Promise<string[]> {
    const started = Date.now();
    while (this.callbackAnswers().length < count && Date.now() - started < 20_000) await new Promise((resolve) => setTimeout(resolve, 25));
    return this.callbackAnswers();
  }

  private async post(path: string, body: unknown): Promise<unknown> {
    const response = await fetch(`${this.server.config.apiURL}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return response.json();
  }
}
