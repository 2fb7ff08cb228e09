/**
 * Limits how many questions one user may ask in a sliding minute. The first
 * question over the limit earns one notice; further ones in the same minute are
 * ignored, so a flood gets one polite reply, not a flood of notices.
 */
export class UserRateLimiter {
  private readonly asked = new Map<number, number[]>();
  private readonly warned = new Map<number, number>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** 'ok' to answer, 'notice' to send the one notice, 'drop' to stay silent. */
  check(userId: number): 'ok' | 'notice' | 'drop' {
    const now = this.now();
    const recent = (this.asked.get(userId) ?? []).filter((t) => now - t < 60_000);
    if (recent.length < this.perMinute) {
      recent.push(now);
      this.asked.set(userId, recent);
      return 'ok';
    }
    this.asked.set(userId, recent);
    const warnedAt = this.warned.get(userId);
    if (warnedAt !== undefined && now - warnedAt < 60_000) return 'drop';
    this.warned.set(userId, now);
    return 'notice';
  }
}
