import { normalizeForIndex } from '../ingest/normalize.js';

/** A character range [start, end) of a passage's text. */
export type Span = [number, number];

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

/**
 * Marks the sentence(s) of a passage that best answer the question: those that
 * hold the most of the query's weighted terms. A neighbour that scores nearly
 * as well is marked too, since answers often run over two sentences.
 */
export function highlight(text: string, terms: ReadonlyArray<{ term: string; weight: number }>): Span[] {
  const spans = sentenceSpans(text);
  if (spans.length === 0) return [];
  const scores = spans.map(([s, e]) => {
    const sentence = normalizeForIndex(text.slice(s, e));
    return terms.reduce((sum, { term, weight }) => (sentence.includes(term) ? sum + weight : sum), 0);
  });
  const best = scores.reduce((b, score, i) => (score > scores[b]! ? i : b), 0);
  if (scores[best]! <= 0) return [spans[0]!];
  const chosen = [best];
  for (const i of [best - 1, best + 1]) if (scores[i] !== undefined && scores[i]! >= 0.8 * scores[best]!) chosen.push(i);
  return chosen.sort((a, b) => a - b).map((i) => spans[i]!);
}
