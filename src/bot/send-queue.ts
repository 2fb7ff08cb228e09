/**
 * Sends to one chat at most `perMinute` times in any sliding minute, queueing
 * the excess (Telegram allows a bot 20 messages a minute in a group; past that
 * it answers 429). Messages are never dropped, and each chat keeps its order.
 */
export class SendQueue {
  private readonly sent = new Map<number, number[]>();
  private readonly tails = new Map<number, Promise<unknown>>();

  constructor(
    private readonly perMinute: number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `send` for `chatId` when the chat's budget allows, after the chat's earlier sends. */
  run<T>(chatId: number, send: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(chatId) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        await this.waitForSlot(chatId);
        return send();
      });
    this.tails.set(chatId, next);
    void next
      .finally(() => {
        if (this.tails.get(chatId) === next) this.tails.delete(chatId);
      })
      .catch(() => undefined);
    return next;
  }

  private async waitForSlot(chatId: number): Promise<void> {
    for (;;) {
      const now = this.now();
      const recent = (this.sent.get(chatId) ?? []).filter((t) => now - t < 60_000);
      if (recent.length < this.perMinute) {
        recent.push(now);
        this.sent.set(chatId, recent);
        return;
      }
      await this.sleep(60_000 - (now - recent[0]!) + 5);
    }
  }
}
