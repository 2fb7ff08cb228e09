import type { Tokenizer } from './tokenizer.js';

/** BM25 parameters; the classic defaults suit paragraph-sized passages. */
export interface Bm25Params {
  k1: number;
  b: number;
}

/** An inverted index with what BM25 needs, in a form that serialises to JSON as is. */
export interface Bm25Index {
  tokenizer: string;
  params: Bm25Params;
  docCount: number;
  avgDocLength: number;
  docLengths: number[];
  /** term → flat [docIndex, termFrequency, docIndex, termFrequency, …] */
  postings: Record<string, number[]>;
}

/** One scored document. */
export interface Bm25Hit {
  doc: number;
  score: number;
}

export const DEFAULT_BM25: Bm25Params = { k1: 1.2, b: 0.75 };

/** Builds the inverted index over documents in order; document i is passage i. */
export function buildBm25(texts: readonly string[], tokenizer: Tokenizer, params: Bm25Params = DEFAULT_BM25): Bm25Index {
  const postings = new Map<string, number[]>();
  const docLengths: number[] = [];
  texts.forEach((text, doc) => {
    const terms = tokenizer.tokenize(text);
    docLengths.push(terms.length);
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, tf] of counts) {
      const list = postings.get(term) ?? [];
      list.push(doc, tf);
      postings.set(term, list);
    }
  });
  const total = docLengths.reduce((a, b) => a + b, 0);
  return {
    tokenizer: tokenizer.name,
    params,
    docCount: texts.length,
    avgDocLength: texts.length ? total / texts.length : 0,
    docLengths,
    postings: Object.fromEntries(postings),
  };
}

/** Robertson–Spärck Jones IDF, floored at zero-ish so very common terms never subtract. */
export function idf(index: Bm25Index, term: string): number {
  const df = (index.postings[term]?.length ?? 0) / 2;
  return Math.log(1 + (index.docCount - df + 0.5) / (df + 0.5));
}

/** Scores every document containing a query term; returns the best `limit`, best first. */
export function searchBm25(index: Bm25Index, queryTerms: readonly string[], limit: number): Bm25Hit[] {
  return [...scoreBm25(index, queryTerms)]
    .map(([doc, score]) => ({ doc, score }))
    .sort((x, y) => y.score - x.score || x.doc - y.doc)
    .slice(0, limit);
}

/** BM25 score of every document that contains at least one query term. */
export function scoreBm25(index: Bm25Index, queryTerms: readonly string[]): Map<number, number> {
  const { k1, b } = index.params;
  const scores = new Map<number, number>();
  for (const term of new Set(queryTerms)) {
    const list = index.postings[term];
    if (!list) continue;
    const weight = idf(index, term);
    for (let i = 0; i < list.length; i += 2) {
      const doc = list[i] as number;
      const tf = list[i + 1] as number;
      const norm = 1 - b + (b * (index.docLengths[doc] ?? 0)) / (index.avgDocLength || 1);
      scores.set(doc, (scores.get(doc) ?? 0) + (weight * tf * (k1 + 1)) / (tf + k1 * norm));
    }
  }
  return scores;
}
