import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import type { QaBot } from '../../bot/bot.js';

/** Emulator events for a new update from a user. */
const USER_EVENTS = ['AddedUserMessage', 'AddedUserCommand', 'AddedUserCallbackQuery'] as const;

type AbortSignalLike = {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
};
type CallApi = (method: string, payload: Record<string, unknown>, options?: { signal?: AbortSignalLike }) => Promise<unknown>;

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
export function emulateLongPolling(qa: QaBot, server: TelegramServer, holdMs = 1000): void {
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
      if (!arrived) await holdUntil(holdMs, options?.signal, (done) => (wake = done));
      // After an abort (bot stopping) this rejects with AbortError, which ends telegraf's polling as usual.
      return await original(method, payload, options);
    } finally {
      for (const event of USER_EVENTS) server.off(event, onUpdate);
    }
  };
}

/** Waits `ms`, or less if the wake-up `register` hands out is called or the signal aborts. */
function holdUntil(ms: number, signal: AbortSignalLike | undefined, register: (done: () => void) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    register(done);
    signal?.addEventListener('abort', done);
    if (signal?.aborted) done();
  });
}
