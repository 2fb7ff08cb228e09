import { jiebaTokenizer, type Tokenizer } from '../index/tokenizer.js';
import type { Passage } from '../ingest/types.js';
import type { Corpus } from '../index/corpus.js';
import { answerType, hasAnswerShape, type AnswerType } from './answer-type.js';
import { aboutText, coverage, normalized, yearMatch } from './features.js';
import { containsTerm, type WeightedTerm } from './highlight.js';
import type { ParsedQuery } from './query.js';
import { placesIn, writtenWithUnit } from './places.js';
import { askedQuantity, statesQuantity } from './quantity.js';
import { SYNONYMS } from './synonyms.js';

/** Settings of the meaning checks behind abstention. */
export interface AbstainTuning {
  /** How many top passages must between them be about what the question names. */
  depth: number;
  /** Places mentioned in more than this share of passages are the corpus's own home (三门峡), not constraints (灵宝, in one passage of twenty, is one). */
  homePlaceShare: number;
  /** Below this cosine between a Chinese question and its best passage, nothing is related at all (你好, 今天天气怎么样). */
  minCosine: number;
}

export const DEFAULT_ABSTAIN: AbstainTuning = { depth: 3, homePlaceShare: 0.15, minCosine: 0.45 };

/** Whether a place is the corpus's own home (三门峡, in three passages of four), named everywhere and so no constraint. */
export function isHomePlace(place: string, corpus: Corpus, tuning: AbstainTuning = DEFAULT_ABSTAIN): boolean {
  return corpus.share(place) >= tuning.homePlaceShare;
}

/** Why search declined to answer, for logs and the eval; null when it answers. */
export type AbstainReason = 'empty' | 'unrelated' | 'year' | 'quantity' | 'place' | 'unknown-concept' | 'weak' | null;

const COLLOQUIAL = new Set(SYNONYMS.map(([word]) => word));

/**
 * What the best passages say about whether they answer at all. Each is about
 * meaning, not score, because a near miss scores as high as a hit: the
 * documents cover 三门峡's 2020 民生实事, so "郑州市2020年重点民生实事" looks
 * answerable by score alone.
 */
export interface AbstainSignals {
  /** What the question asks for (a figure, a date…), read once from its words. */
  asks: AnswerType;
  /** It asks where, or in which county or place. */
  asksWhere: boolean;
  /** None of the question's own words is in the top passages. */
  unrelated: boolean;
  /** A Chinese question barely related to its best passage by meaning (bge-small-zh reads English poorly, so never for English). */
  lowCosine: boolean;
  /** A year the question names is in none of the top passages. */
  yearMissing: boolean;
  /** A place it names (other than the corpus's home) is in none of them. */
  placeMissing: boolean;
  /** A place it names is in none of the top passages' sentences most about the question (nor their headings): 渑池县 asked of a passage giving 卢氏县's figure. */
  placeMissingNear: boolean;
  /**
   * The best passage is about other years only than the one the question names (a 2017 plan for a question about 2018), and
   * none of the sentences most about the question names that year either: when one does, the ranking erred, the documents did not.
   */
  topYearOther: boolean;
  /** Share of the weight of the words beside the question word (`总库容多大`, `联络员叫啥`: what is asked about) missing from the best passage. */
  focusMissing: number;
  /** It asks when and none of the sentences most about it holds a date (other than the year it names). */
  dateMissingNear: boolean;
  /** How many of its specific words (in a handful of passages at most) none of the sentences most about it, nor their headings, holds (at most 2). */
  specificMissingNear: number;
  /** A noun the documents never use (收购价, 市民卡). */
  unknownNoun: boolean;
  /**
   * It asks where and none of the sentences most about it says where something is (位于, 设在, 建在…) or names a place
   * other than the question's own and the documents' home: `清华园学校建在哪个位置` of a passage that only plans the school.
   */
  locationMissingNear: boolean;
  /** The question asks a number of some unit (`多少亩`, `几套`, a rate) and none of the top passages states one. */
  quantityMissing: boolean;
  /** It asks one and none of the top passages' sentences most about the question states one. */
  quantityMissingNear: boolean;
  /** Share of the question's own term weight in the best passage. */
  topCoverage: number;
  /** How rare the rarest of the question's words missing from all top passages is (its IDF over the largest IDF; 0 when none is missing). */
  missingRare: number;
}

/** The IDF of a word no passage holds: the largest there is. */
function maxIdf(corpus: Corpus): number {
  return corpus.idf('\u0000never-indexed');
}

/** A sentence holding at least this share of the best sentence's question weight is about the question too. */
const NEAR_SENTENCE = 0.5;

/**
 * The sentences most about the question among the top passages' (normalised)
 * sentences: the answer to `多少亩` sits beside the words it is about, not
 * anywhere in a long passage.
 */
function closestSentences<T extends { sentence: string }>(sentences: readonly T[], weights: readonly WeightedTerm[]): T[] {
  const scores = sentences.map(({ sentence }) => coverage(sentence, weights));
  const best = Math.max(0, ...scores);
  return sentences.filter((_, i) => scores[i]! > 0 && scores[i]! >= NEAR_SENTENCE * best);
}

/** A sentence that opens a list (`现将领导小组成员名单通知如下：`). */
const OPENS_LIST = /[：:]$/u;

/**
 * The items of the list a sentence opens, or the sentence right after it opens (`…决定成立…领导小组。现将领导小组成员名单通知如下：`):
 * the sentences after the opening one up to one that ends as prose does. None when neither opens a list.
 */
function itemsAfter(sentences: readonly string[], k: number): string[] {
  const opening = [k, k + 1].find((i) => OPENS_LIST.test(sentences[i] ?? ''));
  if (opening === undefined) return [];
  const items = opening > k ? [sentences[opening]!] : [];
  for (const item of sentences.slice(opening + 1)) {
    if (/[。！？!?]$/u.test(item)) break;
    items.push(item);
  }
  return items;
}

/** A sentence of a top passage as the checks read it: with the headings over it and the sentence after it. */
interface TopSentence {
  sentence: string;
  frame: string;
  next: string;
}

/** A top sentence with where it stands: its passage's sentences and its position among them. */
interface PlacedSentence extends TopSentence {
  sentences: readonly string[];
  k: number;
}

/**
 * The sentences most about a question, with the items of a list one of them
 * opens: the line `冯勇（义马市政府市长）` answers `领导小组里义马市是谁参加`
 * though only the sentence announcing the member list shares its words.
 */
function withListItems(near: readonly PlacedSentence[]): TopSentence[] {
  return near.flatMap((s) => {
    const items = itemsAfter(s.sentences, s.k);
    return [s, ...items.map((item, j) => ({ sentence: item, frame: s.frame, next: items[j + 1] ?? '' }))];
  });
}

/** Whether a place is a province: a name the documents write with 省. */
function isProvince(place: string, corpus: Corpus): boolean {
  return place.endsWith('省') || corpus.documentFrequency(`${place}省`) > 0;
}

/**
 * Whether a sentence speaks of a place: by name, or, for a province, as
 * 全省/我省/本省 — a city's documents name their own province that way (河南
 * asked, `居全省第4位` answers).
 */
function metIn(sentence: string, place: string, province: boolean): boolean {
  return sentence.includes(place) || (province && /[全我本]省/u.test(sentence));
}

/** Each place once, in its shortest form: 灵宝 stands for 灵宝市 too (a sentence naming either names it). */
function shortestForms(places: readonly string[]): string[] {
  return places.filter((place) => !places.some((other) => other !== place && place.startsWith(other)));
}

/** Question words, in Chinese and English: the words next to one are what the question asks about. */
const QUESTION_WORD = /多少|几|什么|哪|谁|啥|咋|怎么|如何|吗|是否|有没有|能不能|多大|多长|多久|多高|多远|多宽|when|how|what|which|who|where/giu;

/** How far before a question word (and after it) its focus words stand, in characters. */
const FOCUS_BEFORE = 8;
const FOCUS_AFTER = 6;

/** The question's own words standing beside a question word: `大石涧水库总库容多大` → 库容. */
function focusWords(text: string, own: readonly string[]): string[] {
  const spots = [...text.matchAll(QUESTION_WORD)].map((m) => m.index);
  return own.filter((term) => {
    if (term.length < 2) return false;
    const at = text.indexOf(term);
    return at >= 0 && spots.some((spot) => at >= spot - FOCUS_BEFORE && at <= spot + FOCUS_AFTER);
  });
}

/** A question asking where, or in which county or place (`哪个县`): a place, or where something stands, answers it. */
const ASKS_WHERE = /在哪|哪里|哪儿|什么地方|什么位置|啥地方|选址|地址|哪个(?:县|区|市|村|镇|乡|小区|位置|路)|\bwhere\b/iu;
/** Words saying where something is. */
const LOCATED = /位于|设在|建在|落户|坐落|选址|地处|境内|路[东西南北]|[东西南北]侧|附近/u;

/** Words in at most this many passages are specific: a name, a project, a rare term. */
const SPECIFIC_DF = 8;

/** What frames a passage's sentences: its document, headings, table header and date, normalised as the sentences are. */
function frameOf(passage: Passage): string {
  const { title, section, header } = normalized(passage);
  return [title, section, header, passage.date ?? ''].join(' ');
}

/**
 * Reads the meaning checks for a question and its best passages, given with
 * their normalised sentences (cut once, when the index is loaded).
 */
export function abstainSignals(
  query: ParsedQuery,
  top: readonly Passage[],
  topSentences: ReadonlyArray<readonly string[]>,
  topCosine: number | null,
  corpus: Corpus,
  tuning: AbstainTuning = DEFAULT_ABSTAIN,
  tokenizer: Tokenizer = jiebaTokenizer,
): AbstainSignals {
  const english = query.translated.length > 0;
  const asks = answerType(query.question);
  const asksWhere = ASKS_WHERE.test(query.text);
  const heads = top.slice(0, tuning.depth).map(aboutText);
  // bge-small-zh reads English poorly, so an English question is judged on its translated terms instead.
  const asked = english ? query.translated : query.ownTerms;
  const tagged = tokenizer.tag(query.text);
  // A bare name is a place when the documents write it with a unit somewhere (灵宝 → 灵宝市); jieba tags 东西 and 上市 as places too.
  const withUnit = writtenWithUnit(corpus);
  const known = { tagged: withUnit, untagged: withUnit };
  // A question asking which city or county (`河南哪个城市入选了`, `哪个河南城市`) names the area to look in, not a constraint on the answer.
  const asksForPlace = /哪(?:个|些|几个)?[\u4e00-\u9fff]{0,3}?(?:省|城市|市|县|区|地市)|which (?:\w+ )?(?:city|county|district|province)/iu.test(query.text);
  // An English question's places are among its Chinese terms (Lingbao → 灵宝, 灵宝市): the shortest form of each is the one to find.
  const named = english ? shortestForms(placesIn(tokenizer.tag(query.translated.join(' ')), known)) : placesIn(tagged, known);
  const places = asksForPlace ? [] : named.filter((place) => !isHomePlace(place, corpus, tuning));
  const weights = asked.map((term) => ({ term, weight: corpus.idf(term) }));
  const quantity = english ? null : askedQuantity(query.text);
  const frames = top.slice(0, tuning.depth).map(frameOf);
  const near = withListItems(
    closestSentences(
      topSentences
        .slice(0, tuning.depth)
        .flatMap((sentences, i) => sentences.map((sentence, k) => ({ sentence, frame: frames[i]!, next: sentences[k + 1] ?? '', sentences, k }))),
      weights,
    ),
  );
  // The question's rarest word: a sentence naming the year must be about it too (造林 in 2018年计划完成造林多少亩, not 2018年's 两区 plan).
  const rarest = [...weights]
    .filter((w) => w.term.length > 1 && !/^\d+$/u.test(w.term) && corpus.documentFrequency(w.term) > 0)
    .sort((a, b) => b.weight - a.weight)[0]?.term;
  const focus = english ? [] : focusWords(query.text, query.ownTerms).map((term) => ({ term, weight: corpus.idf(term) }));
  const specific = asked.filter((term) => term.length > 1 && corpus.documentFrequency(term) > 0 && corpus.documentFrequency(term) <= SPECIFIC_DF);
  // (What a passage is about includes a table's header rows, where units often sit: `单位：万元`.)
  const states = quantity ? heads.map((about) => statesQuantity(about, quantity)) : [];
  return {
    asks,
    asksWhere,
    unrelated: !asked.some((term) => heads.some((h) => h.includes(term))),
    lowCosine: !english && topCosine !== null && topCosine < tuning.minCosine,
    yearMissing: query.years.some((year) => !heads.some((h) => h.includes(year))),
    placeMissing: places.some((place) => !heads.some((h) => h.includes(place))),
    placeMissingNear: places.some((place) => {
      const province = isProvince(place, corpus);
      return !near.some(({ sentence, frame }) => metIn(sentence, place, province) || frame.includes(place));
    }),
    topYearOther:
      top[0] !== undefined &&
      yearMatch(top[0], query.years) === -1 &&
      !query.years.some((year) =>
        near.some(
          ({ sentence, frame }) => (containsTerm(sentence, year) || frame.includes(year)) && (!rarest || sentence.includes(rarest) || frame.includes(rarest)),
        ),
      ),
    focusMissing: focus.length > 0 && heads[0] ? 1 - coverage(heads[0], focus) : 0,
    dateMissingNear: asks === 'when' && !near.some(({ sentence, next }) => hasAnswerShape(`${sentence} ${next}`, 'when', query.years)),
    specificMissingNear: Math.min(2, specific.filter((term) => !near.some(({ sentence, frame }) => sentence.includes(term) || frame.includes(term))).length),
    unknownNoun:
      !english && tagged.some((t) => t.tag.startsWith('n') && t.word.length > 1 && corpus.documentFrequency(t.word) === 0 && !COLLOQUIAL.has(t.word)),
    locationMissingNear:
      !english &&
      asksWhere &&
      !near.some(
        ({ sentence }) =>
          LOCATED.test(sentence) || placesIn(tokenizer.tag(sentence), known).some((place) => !named.includes(place) && !isHomePlace(place, corpus, tuning)),
      ),
    quantityMissing: quantity !== null && !states.some(Boolean),
    quantityMissingNear: quantity !== null && !near.some(({ sentence, next }) => statesQuantity(`${sentence} ${next}`, quantity)),
    topCoverage: heads[0] ? coverage(heads[0], weights) : 0,
    missingRare: Math.max(0, ...weights.filter((w) => w.term.length > 1 && !heads.some((h) => h.includes(w.term))).map((w) => w.weight / maxIdf(corpus))),
  };
}

/** The names of the abstention classifier's features, in vector order. */
export const ABSTAIN_FEATURES = [
  'topScore',
  'margin',
  'topCosine',
  'topSentenceCoverage',
  'topCoverage',
  'missingRare',
  'unrelated',
  'lowCosine',
  'yearMissing',
  'placeMissing',
  'topYearOther',
  'focusMissing',
  'dateMissingNear',
  'specificMissingNear',
  'unknownNoun',
  'quantityMissingNear',
  'locationMissingNear',
  'english',
  'ownTerms',
  'asksNumber',
  'asksWhen',
  'asksWhere',
] as const;

/** What the classifier sees of a question and its ranking. */
export interface RankingSummary {
  /** Ranker scores of the first two hits (the second may be missing). */
  scores: number[];
  topCosine: number;
  topSentenceCoverage: number;
}

/** The abstention feature vector, in `ABSTAIN_FEATURES` order. */
export function abstainFeatures(query: ParsedQuery, signals: AbstainSignals, ranking: RankingSummary): number[] {
  const [first = 0, second = first - 1] = ranking.scores;
  const { asks } = signals;
  const values: Record<(typeof ABSTAIN_FEATURES)[number], number> = {
    topScore: first,
    margin: Math.min(first - second, 5),
    topCosine: ranking.topCosine,
    topSentenceCoverage: ranking.topSentenceCoverage,
    topCoverage: signals.topCoverage,
    missingRare: signals.missingRare,
    unrelated: signals.unrelated ? 1 : 0,
    lowCosine: signals.lowCosine ? 1 : 0,
    yearMissing: signals.yearMissing ? 1 : 0,
    placeMissing: signals.placeMissing ? 1 : 0,
    topYearOther: signals.topYearOther ? 1 : 0,
    focusMissing: signals.focusMissing,
    dateMissingNear: signals.dateMissingNear ? 1 : 0,
    specificMissingNear: signals.specificMissingNear,
    unknownNoun: signals.unknownNoun ? 1 : 0,
    quantityMissingNear: signals.quantityMissingNear ? 1 : 0,
    locationMissingNear: signals.locationMissingNear ? 1 : 0,
    english: query.translated.length > 0 ? 1 : 0,
    ownTerms: Math.log(1 + query.ownTerms.length),
    asksNumber: asks === 'number' || asks === 'frequency' ? 1 : 0,
    asksWhen: asks === 'when' ? 1 : 0,
    asksWhere: signals.asksWhere ? 1 : 0,
  };
  return ABSTAIN_FEATURES.map((name) => values[name]);
}

/**
 * The checks that refuse on their own, whatever the classifier says: none of
 * the question's words in the top passages, a year it names in none of them,
 * a quantity it asks for (`多少亩`) stated in none of them, or a place it names
 * (other than the corpus's home) in none of the sentences most about it. Each
 * was chosen on the train split for how few answerable questions it refuses:
 * the first two fired on 2 of 69 unanswerable questions and 1 of 258
 * answerable ones, the quantity check on 10 of 29 unanswerable and 0 of 33
 * answerable questions that ask a quantity (an earlier, smaller train split);
 * the place check on 14 of 289 unanswerable and 1 of 475 answerable questions
 * the others leave open. The other checks (unknown noun, low cosine, a best
 * passage about other years) fired on answerable questions too often, so they
 * only inform the classifier.
 */
export function certainRefusal(signals: AbstainSignals): boolean {
  return signals.unrelated || signals.yearMissing || signals.quantityMissing || signals.placeMissingNear;
}

/** The reason to give for a refusal: the first meaning check that failed, else a weak best passage. */
export function reasonFor(signals: AbstainSignals): Exclude<AbstainReason, null | 'empty'> {
  if (signals.unrelated || signals.lowCosine) return 'unrelated';
  if (signals.yearMissing) return 'year';
  if (signals.quantityMissing) return 'quantity';
  if (signals.placeMissing || signals.placeMissingNear) return 'place';
  if (signals.unknownNoun) return 'unknown-concept';
  return 'weak';
}
