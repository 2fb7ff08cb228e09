import { normalizeForIndex } from '../ingest/normalize.js';
import type { Tokenizer } from '../index/tokenizer.js';
import { canonicalRoads, expandSynonyms } from './synonyms.js';

/** A question after query understanding: what the dense and keyword sides search with. */
export interface ParsedQuery {
  /** The question as the user sent it. */
  original: string;
  /** Bot noise stripped, otherwise as typed: what answers are about. */
  question: string;
  /** Normalised (Simplified, half-width, spacing folded, typos fixed): what the dense side embeds. */
  text: string;
  /** Keyword terms: the question's content words, then synonyms, corrections and translations. */
  terms: string[];
  /** The question's own content words (no synonyms or translations): what an answer must be about. */
  ownTerms: string[];
  /** Years the question names, to prefer passages about them. */
  years: string[];
  /** Replacements made for typos and homophones. */
  corrections: Array<{ from: string; to: string }>;
  /** Chinese terms found for an English question (empty for a Chinese one). */
  translated: string[];
}

/** Optional steps that need corpus data, plugged in by the searcher. */
export interface QueryHelpers {
  /** Fixes homophone typos against the corpus vocabulary (`国到` → `国道`). */
  correct?: (text: string) => { text: string; replacements: Array<{ from: string; to: string }> };
  /** Chinese search terms for an English question, or none. */
  translate?: (question: string) => string[];
  /** Chinese words for an English phrase however short (`Luoyang` → 洛阳), or none. */
  chineseFor?: (english: string) => string[];
}

/**
 * Words that ask rather than say what is asked about. Kept out of the keyword
 * side, where their rarity in documents would otherwise make them weigh most.
 */
const QUESTION_WORDS = new Set([
  '多少',
  '什么',
  '哪',
  '哪些',
  '哪个',
  '哪里',
  '哪年',
  '哪天',
  '哪几个',
  '几',
  '几个',
  '几年',
  '几号',
  '吗',
  '呢',
  '吧',
  '啊',
  '怎么',
  '怎么样',
  '如何',
  '是否',
  '有没有',
  '能不能',
  '可不可以',
  '要',
  '是',
  '了',
  '啥',
  '时候',
  '什么时候',
  '多长时间',
  '多久',
  '多大',
  '多宽',
  '多高',
  '为什么',
  '为何',
  '请问',
  '一下',
  '我',
  '你',
  '我们',
  '他们',
  '它',
  '这个',
  '那个',
  '这',
  '那',
  '有',
  '没有',
  '能',
  '会',
  '可以',
  '得',
  '让',
  '说',
  '讲',
  '到底',
  '一个',
  '谁',
  '算',
]);

/** Strips what a chat adds around a question: `/ask`, `/ask@bot`, `@bot`, leading punctuation. */
export function stripBotNoise(text: string): string {
  return (
    text
      // Control characters are what this removes.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu, '')
      .replace(/^\s*\/[a-z_]+(@[a-z0-9_]+)?\b/iu, '')
      .replace(/(^|\s)@[a-z0-9_]{3,}\b/giu, ' ')
      .replace(/^[\s,，:：]+/u, '')
      .trim()
  );
}

/** A year as the documents write it: four digits from 1940 to 2099, standing alone. */
export const YEAR = String.raw`(?<!\d)(?:19[4-9]\d|20\d\d)(?!\d)`;

const YEARS = new RegExp(YEAR, 'gu');

/** Four-digit years between 1940 and 2099 the question names (`2019年`, `2019`). */
export function yearsIn(text: string): string[] {
  // matchAll works on a copy: the shared pattern's position never moves.
  return [...new Set([...text.matchAll(YEARS)].map((m) => m[0]))];
}

/**
 * `17年` → `2017年`: people write years with two digits, documents with four.
 * Not a span of years (`10年来`, `20年内`, `5—10年`, `3—15年期`), nor part of a longer number or a name (`PM10年均`).
 */
export function fullYears(text: string): string {
  return text.replace(/(?<![\d.\-—–~～至到A-Za-z])(0\d|1\d|2\d)年(?![代来间内前后以左多半度期]|\d)/gu, '20$1年');
}

/**
 * Query understanding: strip bot noise, fold script and width, canonicalise
 * road names, fix homophone typos, translate English, then keyword terms without
 * question words, plus the documents' synonyms.
 */
export function parseQuery(original: string, tokenizer: Tokenizer, helpers: QueryHelpers = {}): ParsedQuery {
  const question = stripBotNoise(original);
  let text = fullYears(canonicalRoads(normalizeForIndex(question)));
  const corrected = helpers.correct?.(text);
  if (corrected) text = corrected.text;
  const translated = helpers.translate?.(question) ?? [];
  const own = tokenizer
    .tokenize(text)
    // `几届` asks; its measure word `届` still says what about.
    .map((term) => (/^[几哪多][\u4e00-\u9fff]$/u.test(term) && !QUESTION_WORDS.has(term) ? term.slice(1) : term))
    .filter((term) => !QUESTION_WORDS.has(term) && !/^\p{P}+$/u.test(term));
  const extra = [...expandSynonyms(text), ...translated].flatMap((word) => tokenizer.tokenize(word));
  const terms = [...new Set([...own, ...extra])];
  return { original, question, text, terms, ownTerms: [...new Set(own)], years: yearsIn(text), corrections: corrected?.replacements ?? [], translated };
}
