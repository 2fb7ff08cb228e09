import type { Passage } from '../ingest/types.js';
import type { Hit, SearchResponse } from '../search/searcher.js';

/** What a reply says, before it is rendered for Telegram or a terminal. */
export type Answer =
  | { kind: 'quotes'; question: string; english: boolean; hits: Hit[]; more: boolean }
  | { kind: 'none'; question: string; english: boolean; topics: string[] };

/**
 * A further quote is shown only when it scores close to the best: one clear
 * answer stands alone. Scores are the ranker's pairwise logits, so a gap of
 * ln 4 means the ranker puts the better one ahead with odds under 4 to 1.
 */
const CLOSE = Math.log(4);

/** How many quotes a reply shows at most. */
export const MAX_QUOTES = 3;

/** The documents' titles closest to a question, for a kind "not covered, but these are" reply. */
export function nearTopics(nearest: readonly Passage[], limit = 3): string[] {
  const topics: string[] = [];
  for (const p of nearest) {
    const topic = p.section[0] && p.title.length < 12 ? `${p.title} › ${p.section[0]}` : p.title;
    if (!topics.includes(topic)) topics.push(topic);
    if (topics.length >= limit) break;
  }
  return topics;
}

/**
 * Chooses what to quote: the best passage, and up to two more that score close
 * to it (so a question with one clear answer gets one quote). `from` skips the
 * passages already shown, for "more results".
 */
export function composeAnswer(response: SearchResponse, from = 0): Answer {
  const question = response.query.question;
  const english = response.query.translated.length > 0;
  if (response.noAnswer || response.hits.length <= from) {
    return { kind: 'none', question, english, topics: nearTopics(response.nearest) };
  }
  const pool = response.hits.slice(from);
  const best = pool[0]!.score;
  const hits = from > 0 ? pool.slice(0, MAX_QUOTES) : pool.slice(0, MAX_QUOTES).filter((hit, i) => i === 0 || hit.score >= best - CLOSE);
  return { kind: 'quotes', question, english, hits, more: response.hits.length > from + hits.length };
}
