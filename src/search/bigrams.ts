/**
 * Character bigrams: a second keyword side that does not depend on how jieba
 * cuts a word. jieba reads a question's `速达纯` as one word no passage holds,
 * and a colloquial question often shares a passage's characters before its
 * words; their bigrams still meet. Whole numbers (years, `310`, `12020`) are
 * grams too: without them a rewritten follow-up (`那2016年呢？`) matched the
 * topic's passages of every year alike.
 */

/** Runs of Chinese characters: bigrams never cross punctuation, digits or Latin text. */
const HAN_RUN = /[\u4e00-\u9fff]+/gu;

/** The distinct bigrams of a text's Chinese runs, and its numbers of two digits or more. */
export function bigramsOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const [run] of text.matchAll(HAN_RUN)) for (let i = 0; i + 1 < run.length; i += 1) out.add(run.slice(i, i + 2));
  for (const [number] of text.matchAll(/\d{2,}/gu)) out.add(number);
  return out;
}

/** Each text's bigrams, and in how many of the texts each bigram occurs. */
export interface BigramTable {
  /** The grams of each text, in the texts' order. */
  grams: Set<string>[];
  /** In how many texts each gram occurs. */
  df: Map<string, number>;
}

/** Reads the bigrams of each text once: coverage looks grams up in these sets, so `310` is not found in `3100`. */
export function bigramTable(texts: Iterable<string>): BigramTable {
  const grams = [...texts].map(bigramsOf);
  const df = new Map<string, number>();
  for (const set of grams) for (const gram of set) df.set(gram, (df.get(gram) ?? 0) + 1);
  return { grams, df };
}

/** A question bigram and how much it tells (its IDF over the passages). */
export interface WeightedBigram {
  gram: string;
  weight: number;
}

/**
 * A question's bigrams weighted by IDF. Bigrams no passage holds are left out:
 * they can match nothing, and a typo's would only dilute the rest.
 */
export function weightedBigrams(text: string, df: ReadonlyMap<string, number>, passages: number): WeightedBigram[] {
  return [...bigramsOf(text)].flatMap((gram) => {
    const n = df.get(gram) ?? 0;
    return n > 0 ? [{ gram, weight: Math.log(1 + passages / n) }] : [];
  });
}

/** Share of the question's bigram weight among a text's grams (from `bigramsOf`). */
export function bigramCoverage(textGrams: ReadonlySet<string>, grams: readonly WeightedBigram[]): number {
  const total = grams.reduce((sum, g) => sum + g.weight, 0);
  if (total === 0) return 0;
  return grams.reduce((sum, g) => (textGrams.has(g.gram) ? sum + g.weight : sum), 0) / total;
}
