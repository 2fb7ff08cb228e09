import { SEGMENTER_ID, cutAll, cutForSearch, tag } from './jieba.js';
import { normalizeForIndex } from '../ingest/normalize.js';

/** A word with its part of speech (`ns` place name, `n` noun, `v` verb, `eng` Latin…). */
export interface TaggedWord {
  word: string;
  tag: string;
}

/**
 * Splits text into the terms the keyword index counts, and reads words for
 * query understanding. Replaceable, so BM25, refusal and follow-ups do not care
 * how: nothing outside `src/index` talks to the segmenter itself.
 */
export interface Tokenizer {
  readonly name: string;
  tokenize(text: string): string[];
  /** The text's words with their parts of speech. */
  tag(text: string): TaggedWord[];
  /** Whether a string is a word of the segmenter's dictionary. */
  isWord(text: string): boolean;
}

/** Runs of Han characters go to jieba; runs of Latin letters and numbers stay whole (jieba cuts "2019" into digits). */
const RUNS = /[\u3400-\u4dbf\u4e00-\u9fff]+|[a-z]+|\d+(?:\.\d+)?/gu;

/** Particles so frequent they only add noise to BM25. Kept tiny on purpose: IDF handles the rest. */
const STOP = new Set(['的', '了', '和', '与', '及', '在', '是', '对', '等', '为', '将', '把', '被', '也', '就', '都', '而', '之', '其', '中']);

/**
 * jieba in search mode (each long word plus its sub-words), over the normalised
 * text, so Traditional, full-width and spaced-out input meet the same terms.
 */
export const jiebaTokenizer: Tokenizer = {
  name: `${SEGMENTER_ID}-cutForSearch-v1`,
  tokenize(text: string): string[] {
    const terms: string[] = [];
    for (const [run] of normalizeForIndex(text).matchAll(RUNS)) {
      if (/^[a-z\d]/u.test(run)) {
        terms.push(run);
        continue;
      }
      for (const word of cutForSearch(run, true)) {
        if (!STOP.has(word)) terms.push(word);
      }
    }
    return terms;
  },
  tag: (text) => tag(text),
  // jieba's full mode lists every dictionary word inside a string, so the string itself is listed iff it is one.
  isWord: (text) => cutAll(text).includes(text),
};
