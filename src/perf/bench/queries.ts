import { percentile } from '../../percentile.js';
import type { SearchMode, Searcher } from '../../search/searcher.js';

/** The search modes timed, in the order they take turns and are reported. */
export const MODES: readonly SearchMode[] = ['hybrid', 'dense', 'bm25'];

/** Latency figures of one search mode, in milliseconds. */
export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

/** Summarises latency samples the way the targets are stated: p50, p95, p99 and the mean. */
export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), mean };
}

/** Query latency per mode, and the memory the searching process held meanwhile. */
export interface QueryBench {
  questions: number;
  rounds: number;
  latency: Record<SearchMode, LatencySummary>;
  /** Highest resident set sampled after each search, in bytes: the query phase alone. */
  sampledPeakRssBytes: number;
  /** `maxRSS` of this process at the end, in bytes: a lifetime peak, so it includes any build run before. */
  maxRssBytes: number;
}

/**
 * Times every question in every mode, the modes taking turns within each round
 * so that drift (page cache, CPU frequency, GC) spreads over all three alike.
 * One untimed pass first: the first searches pay for JIT and lazy dictionaries,
 * which no user waits for twice.
 */
export async function benchQueries(searcher: Searcher, questions: readonly string[], rounds: number): Promise<QueryBench> {
  for (const mode of MODES) for (const q of questions) await searcher.search(q, { k: 10, mode });
  const samples: Record<SearchMode, number[]> = { hybrid: [], dense: [], bm25: [] };
  let sampledPeakRssBytes = process.memoryUsage.rss();
  for (let round = 0; round < rounds; round += 1) {
    for (const mode of MODES) {
      for (const q of questions) {
        const started = performance.now();
        await searcher.search(q, { k: 10, mode });
        samples[mode].push(performance.now() - started);
        sampledPeakRssBytes = Math.max(sampledPeakRssBytes, process.memoryUsage.rss());
      }
    }
  }
  return {
    questions: questions.length,
    rounds,
    latency: { hybrid: summarize(samples.hybrid), dense: summarize(samples.dense), bm25: summarize(samples.bm25) },
    sampledPeakRssBytes,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}
