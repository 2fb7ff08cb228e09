import { percentile } from '../percentile.js';

/** Running figures for /stats: what the bot answered and how fast. */
export class BotStats {
  private answered = 0;
  private abstained = 0;
  private readonly times: number[] = [];

  /** Records one answered question (abstentions included) and its time in ms. */
  record(ms: number, noAnswer: boolean): void {
    this.answered += 1;
    if (noAnswer) this.abstained += 1;
    this.times.push(ms);
    // A bounded window keeps percentiles current and memory flat.
    if (this.times.length > 5000) this.times.shift();
  }

  /** Percentile of answer times over the window, in ms (0 when nothing was answered). */
  percentile(p: number): number {
    if (this.times.length === 0) return 0;
    return percentile(
      [...this.times].sort((a, b) => a - b),
      p,
    );
  }

  snapshot(): { answered: number; abstained: number; abstainRate: number; p50: number; p95: number } {
    return {
      answered: this.answered,
      abstained: this.abstained,
      abstainRate: this.answered ? this.abstained / this.answered : 0,
      p50: this.percentile(50),
      p95: this.percentile(95),
    };
  }
}
