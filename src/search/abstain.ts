import { tag } from '../index/jieba.js';
import { normalizeForIndex } from '../ingest/normalize.js';
import type { Passage } from '../ingest/types.js';
import { idf, type Bm25Index } from '../index/bm25.js';
import type { ParsedQuery } from './query.js';
import { SYNONYMS } from './synonyms.js';

/** Thresholds of the abstention rules, calibrated on the dev set (see README). */
export interface AbstainTuning {
  /** How many top passages must between them be about what the question names. */
  depth: number;
  /** Places mentioned in more than this share of passages are the corpus's own home (三门峡, 河南), not constraints. */
  homePlaceShare: number;
  /** Below this cosine between question and best passage, nothing is related at all. */
  minDense: number;
  /**
   * A noun the documents never use, together with a top passage that holds less
   * than `weakCoverage` of the question's term weight and sits below `weakDense`
   * cosine, means the question is about something the documents do not hold.
   */
  weakCoverage: number;
  weakDense: number;
}

export const DEFAULT_ABSTAIN: AbstainTuning = { depth: 3, homePlaceShare: 0.03, minDense: 0.45, weakCoverage: 0.3, weakDense: 0.6 };

/** Why search declined to answer, for logs and the eval; null when it answers. */
export type AbstainReason = 'empty' | 'unrelated' | 'year' | 'place' | 'unknown-concept' | null;

const COLLOQUIAL = new Set(SYNONYMS.map(([word]) => word));

/** Everything a passage is about, in normalised form: its text, title, headings and date. */
function about(passage: Passage): string {
  return normalizeForIndex([passage.title, ...passage.section, passage.text, passage.date ?? ''].join(' '));
}

/**
 * Decides whether the best passages answer the question at all. The rules are
 * about meaning, not scores, because a near miss scores as high as a hit: the
 * documents cover 三门峡's 2020 民生实事 so "郑州市2020年重点民生实事" looks
 * answerable by score alone.
 *  - a year the question names must be what one of the top passages is about;
 *  - so must a place it names, unless that place is the corpus's home;
 *  - a noun the documents never use (收购价) with little of the question
 *    covered means the question is about something the documents do not hold;
 *  - a best passage barely related to the question (low cosine) is no answer.
 */
export function shouldAbstain(
  query: ParsedQuery,
  top: readonly Passage[],
  bestCosine: number | null,
  bm25: Bm25Index,
  tuning: AbstainTuning = DEFAULT_ABSTAIN,
): AbstainReason {
  const english = query.translated.length > 0;
  if (top.length === 0 || (query.ownTerms.length === 0 && !english)) return 'empty';
  // bge-small-zh reads English poorly, so an English question is judged on its translated terms instead.
  if (!english && bestCosine !== null && bestCosine < tuning.minDense) return 'unrelated';
  const heads = top.slice(0, tuning.depth).map(about);
  const asked = english ? query.translated : query.ownTerms;
  if (!asked.some((term) => heads.some((h) => h.includes(term)))) return 'unrelated';
  if (query.years.some((year) => !heads.some((h) => h.includes(year)))) return 'year';
  const share = (word: string): number => (bm25.postings[word]?.length ?? 0) / 2 / Math.max(1, bm25.docCount);
  const tagged = tag(query.text);
  const places = tagged.filter((t) => t.tag === 'ns' && share(t.word) < tuning.homePlaceShare).map((t) => t.word);
  if (places.some((place) => !heads.some((h) => h.includes(place)))) return 'place';
  if (!english) {
    const unknownNoun = tagged.some((t) => t.tag.startsWith('n') && t.word.length > 1 && !bm25.postings[t.word] && !COLLOQUIAL.has(t.word));
    const weights = query.ownTerms.map((term) => ({ term, weight: idf(bm25, term) }));
    const total = weights.reduce((sum, w) => sum + w.weight, 0) || 1;
    const coverage = weights.reduce((sum, w) => (heads[0]!.includes(w.term) ? sum + w.weight : sum), 0) / total;
    if (unknownNoun && coverage < tuning.weakCoverage && (bestCosine ?? 0) < tuning.weakDense) return 'unknown-concept';
  }
  return null;
}
