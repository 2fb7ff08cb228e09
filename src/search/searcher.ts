import type { Embedder } from '../embed/embedder.js';
import type { Passage } from '../ingest/types.js';
import { idf, scoreBm25 } from '../index/bm25.js';
import type { LoadedIndex } from '../index/store.js';
import { jiebaTokenizer, type Tokenizer } from '../index/tokenizer.js';
import { DEFAULT_ABSTAIN, shouldAbstain, type AbstainReason, type AbstainTuning } from './abstain.js';
import { answerType } from './answer-type.js';
import { mapSentences, pickHighlights, scoreSentences, type SentenceMap, type Span } from './highlight.js';
import { parseQuery, yearsIn, type ParsedQuery, type QueryHelpers } from './query.js';

/** Which sides of the index answer: both fused (the product), or one alone (to compare). */
export type SearchMode = 'hybrid' | 'dense' | 'bm25';

/** One returned passage with its score and the sentences to bold. */
export interface Hit {
  rank: number;
  score: number;
  /** Position of the passage in the index. */
  index: number;
  passage: Passage;
  highlights: Span[];
}

/** The answer to one question. */
export interface SearchResponse {
  query: ParsedQuery;
  /** True when nothing in the documents answers: say so rather than quote something weak. */
  noAnswer: boolean;
  /** Which rule decided that nothing answers (null when something does). */
  abstainReason: AbstainReason;
  /** The closest passages even when abstaining: what the documents cover near the question. */
  nearest: Passage[];
  hits: Hit[];
  ms: number;
}

/** Fusion and abstention settings, tuned on the dev set (see `npm run eval`). */
export interface SearchTuning {
  /** Candidates taken from each side before fusion. */
  candidates: number;
  /** Weight of the dense similarity against BM25, both scaled to [0, 1] over the candidates. */
  denseWeight: number;
  /** Weight of the best sentence's share of the query terms (with the answer-shape bonus). */
  sentenceWeight: number;
  /** Added when a passage is about a year the question names. */
  yearBonus: number;
  /** When to say that nothing answers. */
  abstain: AbstainTuning;
}

export const DEFAULT_TUNING: SearchTuning = { candidates: 100, denseWeight: 0.6, sentenceWeight: 1, yearBonus: 0.3, abstain: DEFAULT_ABSTAIN };

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += a[i]! * b[i]!;
  return sum;
}

/** Character 3-gram sets, to spot near-duplicate passages in one result list. */
function shingles(text: string): Set<string> {
  const compacted = text.replace(/\s+/gu, '');
  const out = new Set<string>();
  for (let i = 0; i + 3 <= compacted.length; i += 1) out.add(compacted.slice(i, i + 3));
  return out;
}

function overlap(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const s of a) if (b.has(s)) shared += 1;
  return shared / Math.max(1, Math.min(a.size, b.size));
}

/**
 * Answers questions from a loaded index: query understanding, dense (HNSW) and
 * keyword (BM25) candidates, fusion, abstention, de-duplication and highlights.
 */
export class Searcher {
  private readonly sentences: SentenceMap[];

  constructor(
    readonly index: LoadedIndex,
    readonly embedder: Embedder,
    readonly helpers: QueryHelpers = {},
    readonly tuning: SearchTuning = DEFAULT_TUNING,
    private readonly tokenizer: Tokenizer = jiebaTokenizer,
  ) {
    this.sentences = index.passages.map((p) => mapSentences(p.text));
  }

  /** Parses a question the way `search` does, without searching. */
  parse(question: string): ParsedQuery {
    return parseQuery(question, this.tokenizer, this.helpers);
  }

  async search(question: string, options: { k?: number; mode?: SearchMode } = {}): Promise<SearchResponse> {
    const started = performance.now();
    const k = options.k ?? 5;
    const mode = options.mode ?? 'hybrid';
    const query = this.parse(question);
    if (!query.text && query.terms.length === 0) return { query, noAnswer: true, abstainReason: 'empty', nearest: [], hits: [], ms: performance.now() - started };
    const { passages, vectors, hnsw, bm25 } = this.index;
    const { candidates: limit, denseWeight, yearBonus } = this.tuning;

    const dense = new Map<number, number>();
    let queryVector: Float32Array | undefined;
    if (mode !== 'bm25') {
      const denseText = [query.text, ...query.translated].join(' ');
      const vector = await this.embedder.embedQuery(denseText);
      queryVector = vector;
      const found = hnsw.searchKnn(Array.from(vector), Math.min(limit, passages.length));
      found.neighbors.forEach((i) => dense.set(i, dot(vector, vectors[i]!)));
    }
    const keyword = mode !== 'dense' ? scoreBm25(bm25, query.terms) : new Map<number, number>();
    const keywordTop = [...keyword].sort((a, b) => b[1] - a[1]).slice(0, limit);

    const pool = new Set<number>([...dense.keys(), ...keywordTop.map(([i]) => i)]);
    const weights = query.terms.map((term) => ({ term, weight: idf(bm25, term) }));
    const type = answerType(query.question);
    const sentenceScores = new Map([...pool].map((i) => [i, scoreSentences(this.sentences[i]!, weights, type)]));
    const maxKeyword = Math.max(1e-9, ...keywordTop.map(([, s]) => s));
    // The dense scale is set by the HNSW candidates; a keyword candidate HNSW did not return still
    // gets its exact cosine on that scale (the vectors are in memory), rather than a flat 0 that
    // would bury a passage whose long preamble dilutes its vector.
    const denseValues = [...dense.values()];
    const minDense = Math.min(...denseValues);
    const maxDense = Math.max(...denseValues);
    if (queryVector) for (const i of pool) if (!dense.has(i)) dense.set(i, Math.max(minDense, dot(queryVector, vectors[i]!)));
    const scored = [...pool].map((i) => {
      const d = dense.has(i) ? (dense.get(i)! - minDense) / Math.max(1e-9, maxDense - minDense) : 0;
      const b = (keyword.get(i) ?? 0) / maxKeyword;
      const sentence = mode === 'hybrid' ? Math.max(0, ...sentenceScores.get(i)!) : 0;
      const fused = mode === 'dense' ? d : mode === 'bm25' ? b : denseWeight * d + (1 - denseWeight) * b + this.tuning.sentenceWeight * sentence;
      return { i, score: fused + yearBonus * this.yearMatch(passages[i]!, query.years) };
    });
    scored.sort((a, b) => b.score - a.score || a.i - b.i);

    const hits: Hit[] = [];
    const kept: Array<Set<string>> = [];
    for (const { i, score } of scored) {
      if (hits.length >= k) break;
      const passage = passages[i]!;
      const grams = shingles(passage.text);
      if (kept.some((other) => overlap(grams, other) > 0.6)) continue;
      kept.push(grams);
      hits.push({ rank: hits.length + 1, score, index: i, passage, highlights: pickHighlights(this.sentences[i]!, sentenceScores.get(i)!) });
    }
    const bestCosine = hits[0] && dense.size > 0 ? dot(queryVector!, vectors[hits[0].index]!) : null;
    const abstainReason = shouldAbstain(query, hits.map((h) => h.passage), bestCosine, bm25, this.tuning.abstain);
    const noAnswer = abstainReason !== null;
    return { query, noAnswer, abstainReason, nearest: hits.map((h) => h.passage), hits: noAnswer ? [] : hits, ms: performance.now() - started };
  }

  /**
   * +1 when a passage is about a year the question names, -1 when it is about
   * other years only (a 2017 figure does not answer a question about 2019), 0
   * when it names no year or the question none.
   */
  private yearMatch(passage: Passage, years: readonly string[]): number {
    if (years.length === 0) return 0;
    const about = [passage.text, passage.title, ...passage.section, passage.date ?? ''].join(' ');
    if (years.some((y) => about.includes(y))) return 1;
    return yearsIn(about).length > 0 ? -1 : 0;
  }
}
