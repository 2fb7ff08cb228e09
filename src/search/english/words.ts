/*
 * English words as glosses and questions are both cut into: the same rules
 * run on each side, so "subsidies" in a question meets "subsidy" in a gloss.
 */

/** An English word as glosses and questions are cut into. */
export const WORD = /[a-z0-9]+(?:'[a-z0-9]+)*/gu;

/** Longest English phrase tried as one gloss: CC-CEDICT glosses rarely run longer. */
export const MAX_PHRASE = 4;

/**
 * Padding in CC-CEDICT glosses ("to", "sth", "of" in "style of work"): dropped
 * on both sides, so a gloss and a question that differ only by it meet.
 */
export const FILLER: ReadonlySet<string> = new Set(
  `a an the to of for in on at by with from into as and or be is are sth sb someone something somebody one's oneself etc esp e.g i.e lit fig`.split(' '),
);

/** Past forms the suffix rules cannot undo, limited to verbs questions about a city actually use. */
const IRREGULAR = new Map([
  ['built', 'build'],
  ['rebuilt', 'rebuild'],
  ['paid', 'pay'],
  ['spent', 'spend'],
  ['held', 'hold'],
  ['began', 'begin'],
  ['begun', 'begin'],
  ['given', 'give'],
  ['taken', 'take'],
  ['won', 'win'],
  ['sold', 'sell'],
  ['grew', 'grow'],
  ['grown', 'grow'],
  ['brought', 'bring'],
  ['bought', 'buy'],
  ['sent', 'send'],
  ['kept', 'keep'],
  ['lost', 'lose'],
  ['children', 'child'],
  ['women', 'woman'],
  ['men', 'man'],
]);

/** Words whose final s is not a plural; stripping it would merge them with another word ("news" → "new"). */
const NOT_PLURAL = new Set(['news', 'series', 'species', 'means', 'politics', 'economics', 'statistics', 'physics', 'logistics', 'always', 'perhaps']);

/** Lemmas already worked out, per set of known words: neither the words nor their lemmas ever change. */
const lemmaCache = new WeakMap<ReadonlySet<string>, Map<string, string>>();

/**
 * Undoes plural, -ing and -ed, but only to a word the glosses use (`known`):
 * the same rule runs over glosses and questions, so "subsidies" and "subsidy"
 * meet, and "thing" does not become "th".
 */
export function lemmatise(word: string, known: ReadonlySet<string>): string {
  let cache = lemmaCache.get(known);
  if (!cache) {
    cache = new Map();
    lemmaCache.set(known, cache);
  }
  let lemma = cache.get(word);
  if (lemma === undefined) {
    lemma = IRREGULAR.get(word) ?? word;
    if (lemma === word && word.length > 3 && !NOT_PLURAL.has(word) && !/(?:ss|us|is)$/u.test(word)) {
      lemma = stems(word).find((stem) => stem.length >= 3 && known.has(stem)) ?? word;
    }
    cache.set(word, lemma);
  }
  return lemma;
}

/** "plann" → "plan", "runn" → "run": English doubles a final consonant before -ed and -ing. */
function undouble(stem: string): string {
  return /([b-df-hj-np-tv-z])\1$/u.test(stem) ? stem.slice(0, -1) : stem;
}

/** Candidate stems, most likely first ("produced" → "produce" before "produc"). */
function stems(word: string): string[] {
  if (word.endsWith('ies') || word.endsWith('ied')) return [`${word.slice(0, -3)}y`];
  if (word.endsWith('es')) return [word.slice(0, -1), word.slice(0, -2)];
  if (word.endsWith('s')) return [word.slice(0, -1)];
  if (word.endsWith('eed')) return [];
  if (word.endsWith('ed')) return [word.slice(0, -1), word.slice(0, -2), undouble(word.slice(0, -2))];
  if (word.endsWith('ing')) {
    const stem = word.slice(0, -3);
    return [stem, `${stem}e`, undouble(stem)];
  }
  return [];
}

/** Order-free key, so "work style" finds the gloss "style of work". */
export function bagKey(lemmas: readonly string[]): string {
  return [...new Set(lemmas)].sort().join(' ');
}
