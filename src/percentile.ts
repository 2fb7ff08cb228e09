/**
 * Nearest-rank percentile of ascending samples (p from 0 to 100): always a
 * value that was actually observed, never an interpolation. NaN for no samples.
 * The one definition the bench, the load test, the eval and /stats share.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
