import { normalizeForIndex } from '../ingest/normalize.js';
import { hasAnswerShape, type AnswerType } from './answer-type.js';

/** A character range [start, end) of a passage's text. */
export type Span = [number, number];

/** A query term and how much it tells (its IDF). */
export interface WeightedTerm {
  term: string;
  weight: number;
}

/** A passage cut into sentences, each with its normalised form for matching. */
export interface SentenceMap {
  spans: Span[];
  normalized: string[];
}

/** Sentence ranges of source text: cut after 。！？； (with closing quotes) and at line breaks. */
export function sentenceSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(/[^。！？；!?;\n]+(?:[。！？；!?;]+[”’」』）)]*)?/gu)) {
    const start = m.index ?? 0;
    const raw = m[0];
    const lead = raw.length - raw.trimStart().length;
    const body = raw.trim();
    if (body) spans.push([start + lead, start + lead + body.length]);
  }
  return spans;
}

/** Cuts a passage into sentences once, at load time, so queries only match. */
export function mapSentences(text: string): SentenceMap {
  const spans = sentenceSpans(text);
  return { spans, normalized: spans.map(([s, e]) => normalizeForIndex(text.slice(s, e))) };
}

/** Substring match, except that a number must stand alone: `2020` is not in `12020采煤工作面`. */
export function containsTerm(sentence: string, term: string): boolean {
  if (!/^\d/u.test(term)) return sentence.includes(term);
  for (let at = sentence.indexOf(term); at >= 0; at = sentence.indexOf(term, at + 1)) {
    if (!/\d/u.test(sentence[at - 1] ?? '') && !/\d/u.test(sentence[at + term.length] ?? '')) return true;
  }
  return false;
}

/** Weight an answer-shaped sentence gains, as a share of the query's total weight. */
const SHAPE_BONUS = 0.4;

/**
 * Scores each sentence by the share of the query's term weight it holds (terms
 * matched as substrings, so `先` finds `先期`), plus a bonus when it holds the
 * kind of answer asked for. Returns scores in [0, 1.25], one per sentence.
 */
export function scoreSentences(map: SentenceMap, terms: readonly WeightedTerm[], type: AnswerType): number[] {
  const total = terms.reduce((sum, t) => sum + t.weight, 0) || 1;
  // A number the question itself names (国道310) is not an answer: only new numbers count as answer-shaped.
  const asked = terms.map((t) => t.term).filter((t) => /^\d/u.test(t));
  return map.normalized.map((sentence) => {
    const held = terms.reduce((sum, { term, weight }) => (containsTerm(sentence, term) ? sum + weight : sum), 0) / total;
    return held + (held > 0 && hasAnswerShape(sentence, type, asked) ? SHAPE_BONUS : 0);
  });
}

/**
 * The sentence(s) to bold: the best-scoring one, and a neighbour that scores
 * nearly as well, since answers often run over two sentences.
 */
export function pickHighlights(map: SentenceMap, scores: readonly number[]): Span[] {
  if (map.spans.length === 0) return [];
  const best = scores.reduce((b, score, i) => (score > scores[b]! ? i : b), 0);
  const chosen = [best];
  if (scores[best]! > 0) for (const i of [best - 1, best + 1]) if (scores[i] !== undefined && scores[i] >= 0.8 * scores[best]!) chosen.push(i);
  return chosen.sort((a, b) => a - b).map((i) => map.spans[i]!);
}
