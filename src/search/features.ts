import type { Passage } from '../ingest/types.js';
import { normalizeForIndex } from '../ingest/normalize.js';
import { CLOSING_SECTION, CONTENTS_SECTION, HEAD_SECTION } from '../ingest/passages.js';
import { answerType } from './answer-type.js';
import { containsTerm, type WeightedTerm } from './highlight.js';
import { askedQuantity, statesQuantity, type AskedQuantity } from './quantity.js';
import { yearsIn, type ParsedQuery } from './query.js';

/**
 * The names of a candidate's features, in the order of its feature vector. The
 * ranker's weights file stores these names, so a model trained on other
 * features is refused rather than misapplied.
 */
export const CANDIDATE_FEATURES = [
  'cosine',
  'cosineGap',
  'denseRank',
  'bm25',
  'bm25Rank',
  'sentence',
  'sentenceCoverage',
  'answerShape',
  'passageCoverage',
  'rarestTerm',
  'adjacentPairs',
  'titleCoverage',
  'sectionCoverage',
  'yearMatch',
  'yearMismatch',
  'yearInText',
  'otherYearInText',
  'sentenceYear',
  'sentenceOtherYear',
  'answeredOtherYear',
  'meta',
  'metaForDocumentQuestion',
  'headForDocumentQuestion',
  'closingForWhenQuestion',
  'contentsForIssueQuestion',
  'contentsForOtherQuestion',
  'table',
  'qa',
  'listForWhoQuestion',
  'listForOtherQuestion',
  'logLength',
  'short',
  'englishCosine',
  'englishBm25',
  'documentCosine',
  'documentCosineGap',
  'quantityStated',
  'quantityAbsent',
  'bigramCoverage',
] as const;

/** The features that read the chat, not the question: zero for a question asked alone. */
const CONTEXT_FEATURES: readonly number[] = (['answeredOtherYear'] as const).map((name) => CANDIDATE_FEATURES.indexOf(name));

/** Whether a candidate's features read anything of the chat. */
export function hasContext(features: readonly number[]): boolean {
  return CONTEXT_FEATURES.some((k) => features[k] !== 0);
}

/** A candidate's features as if its question were asked alone. */
export function withoutContext(features: readonly number[]): number[] {
  return features.map((value, k) => (CONTEXT_FEATURES.includes(k) ? 0 : value));
}

/**
 * What the chat said before a question, as far as ranking it needs: a follow-up
 * is asked in a conversation, a question alone in none (`{}`).
 */
export interface SearchContext {
  /** The passage that answered the chat's previous question, and the years that question named. */
  answered?: { passageId: string; years: readonly string[] };
}

/** What the question asks for, judged once per question from its words. */
export interface QuestionShape {
  /** Asks when. */
  asksWhen: boolean;
  /** Asks about a document itself: who issued or delivered it, its number, date, meeting. */
  aboutDocument: boolean;
  /** Asks what a gazette issue holds or on which page (`这期公报登了几篇讲话`, `第几页`): its contents may answer it. */
  aboutIssue: boolean;
  /** Asks who, which or for a list: a list of names or table rows may answer it. */
  asksWhoOrList: boolean;
  english: boolean;
  /** The quantity it asks a number of (`多少亩` → 亩), or null. */
  quantity: AskedQuantity | null;
}

// `发` is issued (哪天发的), not 发生/发展/发现 (an event asked of, not a document).
const ABOUT_DOCUMENT =
  /文号|发文|印发|签发|落款|哪个(部门|单位|机关)(发|印发|出|制定)|谁(发|印发|签)|(哪天|什么时候|何时|哪一天|几号|啥时候)(发(?![生展现])|印发|发布|出台|讲|说|出版|召开)|(讲话|发言|通知|意见|方案|决定|报告).*(哪天|什么时候|何时|谁|哪次|日期)|(谁|哪位).*(讲话|发言|作.*报告)|什么会(议)?上|会[^，。？?]{0,6}(哪天|什么时候|何时|哪一天|几号|啥时候)(召?开|举行)|哪次会|出版|第几号|总第|document number|issued|who (gave|delivered|signed)|when was .* (issued|given|delivered|published)/iu;
const ABOUT_ISSUE = /第几页|哪一?页|页码|栏目|目录|这期|本期|那期|公报[里上中]|登了|刊登|刊发|收了|收录|which page|contents|this issue/iu;
const WHO_OR_LIST = /谁|哪些|哪几|哪个|哪位|名单|成员|组长|有哪|列出|包括什么|包括哪|who|which|list|members/iu;

/** Reads the question's shape from its words (and whether it is English). */
export function questionShape(query: ParsedQuery): QuestionShape {
  return {
    asksWhen: answerType(query.question) === 'when',
    aboutDocument: ABOUT_DOCUMENT.test(query.question),
    aboutIssue: ABOUT_ISSUE.test(query.question),
    asksWhoOrList: WHO_OR_LIST.test(query.question),
    english: query.translated.length > 0,
    quantity: query.translated.length > 0 ? null : askedQuantity(query.text),
  };
}

/** A passage's fields in normalised form, as the features match them. */
export interface NormalizedPassage {
  /** Title, headings, a table's header rows, text and date together: everything the passage is about. */
  about: string;
  text: string;
  /** The text without spaces, punctuation or symbols: what a pasted quotation is matched against. */
  bare: string;
  title: string;
  section: string;
  /** A table's header rows (empty for other passages). */
  header: string;
  /** The years its text names (not its headings'). */
  textYears: string[];
}

/** A text without spaces, punctuation or symbols. */
export function bare(text: string): string {
  return text.replace(/[\s\p{P}\p{S}]+/gu, '');
}

// Normalising (OpenCC, NFKC) costs far more than matching: done once per passage, not per question.
const normalizedCache = new WeakMap<Passage, NormalizedPassage>();

/** The passage's normalised fields, computed once and kept as long as the passage is. */
export function normalized(passage: Passage): NormalizedPassage {
  let out = normalizedCache.get(passage);
  if (!out) {
    const text = normalizeForIndex(passage.text);
    out = {
      // A table's header rows (its columns' years and units) say what its rows are about.
      about: normalizeForIndex([passage.title, ...passage.section, passage.header ?? '', passage.text, passage.date ?? ''].join(' ')),
      text,
      bare: bare(text),
      title: normalizeForIndex(passage.title),
      section: normalizeForIndex(passage.section.join(' ')),
      header: normalizeForIndex(passage.header ?? ''),
      textYears: yearsIn(text),
    };
    normalizedCache.set(passage, out);
  }
  return out;
}

/** Everything a passage is about, normalised: title, headings, a table's header rows, text and date. */
export function aboutText(passage: Passage): string {
  return normalized(passage).about;
}

/** Share of the query's term weight found in a text (terms as substrings, numbers standing alone). */
export function coverage(text: string, terms: readonly WeightedTerm[]): number {
  const total = terms.reduce((sum, t) => sum + t.weight, 0);
  if (total === 0) return 0;
  return terms.reduce((sum, { term, weight }) => (containsTerm(text, term) ? sum + weight : sum), 0) / total;
}

/**
 * +1 when a passage is about a year the question names, -1 when it is about
 * other years only (a 2017 figure does not answer a question about 2019), 0
 * when it names no year or the question none.
 */
export function yearMatch(passage: Passage, years: readonly string[]): number {
  if (years.length === 0) return 0;
  // The normalised, cached text: search asks this of every candidate of every question naming a year.
  const { about } = normalized(passage);
  if (years.some((y) => about.includes(y))) return 1;
  return yearsIn(about).length > 0 ? -1 : 0;
}

/**
 * Whether the passage is the one that answered the chat's previous question,
 * which named other years than this one, and its text says nothing of this
 * one's: after `2019年…转贷…多少` answered by `2019 年，省财政厅转贷我市政府债券…`,
 * `2020年呢？` asks what that passage does not give. A table is not counted: it
 * gives several years side by side, in columns its text does not name.
 */
function answeredOtherYear(passage: Passage, years: readonly string[], textYears: readonly string[], context: SearchContext): boolean {
  const { answered } = context;
  if (!answered || years.length === 0 || passage.id !== answered.passageId || passage.kind === 'table') return false;
  return !years.some((y) => answered.years.includes(y)) && !textYears.some((y) => years.includes(y));
}

/**
 * Share of the question's consecutive word pairs that stand within a few
 * characters of each other in the text: the words used together, as asked,
 * rather than scattered over unrelated sentences.
 */
function adjacentPairs(text: string, own: readonly string[]): number {
  if (own.length < 2) return 0;
  let near = 0;
  for (let k = 0; k + 1 < own.length; k += 1) {
    const a = own[k]!;
    const b = own[k + 1]!;
    for (let at = text.indexOf(a); at >= 0; at = text.indexOf(a, at + 1)) {
      const window = text.slice(Math.max(0, at - 8), at + a.length + 8 + b.length);
      if (window.includes(b)) {
        near += 1;
        break;
      }
    }
  }
  return near / (own.length - 1);
}

/** A list of names or rows rather than prose: a table, or several short lines. */
function isList(passage: Passage): boolean {
  if (passage.kind === 'table') return true;
  const lines = passage.text.split('\n');
  return lines.length >= 3 && passage.text.length / lines.length < 30;
}

/** What the searcher knows of one candidate before ranking it. */
export interface CandidateSignals {
  passage: Passage;
  /** Cosine between question and passage, or null without the dense side. */
  cosine: number | null;
  /** Best cosine among the candidates. */
  bestCosine: number;
  /** 0-based rank by cosine among the candidates. */
  denseRank: number;
  /** BM25 score scaled by the best candidate's (0 when the keyword side did not find it). */
  bm25: number;
  /** 0-based rank by BM25, or null when the keyword side did not find it. */
  bm25Rank: number | null;
  /** Best sentence score, with the answer-shape bonus, and without it. */
  sentence: number;
  sentenceCoverage: number;
  /** The sentence the answer bolds (the best score with the answer-shape bonus), normalised ('' for none). */
  bestSentence: string;
  /** Cosine between the question and the passage's document as a whole (its centroid), 0 without the dense side. */
  documentCosine: number;
  /** Best document cosine among the candidates. */
  bestDocumentCosine: number;
  /** Share of the question's character-bigram weight in what the passage is about (see `bigrams.ts`). */
  bigramCoverage: number;
}

/** The feature vector of one candidate, in `CANDIDATE_FEATURES` order. */
export function candidateFeatures(
  signals: CandidateSignals,
  query: ParsedQuery,
  shape: QuestionShape,
  terms: readonly WeightedTerm[],
  context: SearchContext = {},
): number[] {
  const { passage } = signals;
  const cosine = signals.cosine ?? 0;
  const year = yearMatch(passage, query.years);
  const list = isList(passage);
  const meta = passage.kind === 'meta' ? 1 : 0;
  const contents = passage.section[0] === CONTENTS_SECTION;
  const norm = normalized(passage);
  const about = norm.about;
  // The question's most telling word (highest IDF): the passage that has it is usually about the thing asked.
  const rarest = terms
    .filter((t) => query.ownTerms.includes(t.term))
    .reduce<WeightedTerm | null>((best, t) => (!best || t.weight > best.weight ? t : best), null);
  const textYears = query.years.length > 0 ? norm.textYears : [];
  const sentenceYears = query.years.length > 0 ? yearsIn(signals.bestSentence) : [];
  const stated = shape.quantity ? statesQuantity(`${norm.text} ${passage.header ?? ''}`, shape.quantity) : false;
  const values: Record<(typeof CANDIDATE_FEATURES)[number], number> = {
    cosine,
    cosineGap: cosine - signals.bestCosine,
    denseRank: 1 / (1 + signals.denseRank),
    bm25: signals.bm25,
    bm25Rank: signals.bm25Rank === null ? 0 : 1 / (1 + signals.bm25Rank),
    sentence: signals.sentence,
    sentenceCoverage: signals.sentenceCoverage,
    answerShape: signals.sentence > signals.sentenceCoverage + 1e-9 ? 1 : 0,
    passageCoverage: coverage(about, terms),
    rarestTerm: rarest && containsTerm(about, rarest.term) ? 1 : 0,
    adjacentPairs: adjacentPairs(norm.text, query.ownTerms),
    titleCoverage: coverage(norm.title, terms),
    sectionCoverage: coverage(norm.section, terms),
    yearMatch: year > 0 ? 1 : 0,
    yearMismatch: year < 0 ? 1 : 0,
    // Said in the passage's own words, not only its heading: under `2016年工作回顾` stand the 2016 figures, the
    // five-year look-back and the next year's first quarter alike.
    yearInText: textYears.some((y) => query.years.includes(y)) ? 1 : 0,
    otherYearInText: textYears.length > 0 && !textYears.some((y) => query.years.includes(y)) ? 1 : 0,
    // Closer still: the sentence that holds the question's words is the one quoted. `2019 年，省财政厅转贷我市政府债券…`
    // answers 2019 though its passage sits in the 2020 budget report and names 2020 elsewhere.
    sentenceYear: sentenceYears.some((y) => query.years.includes(y)) ? 1 : 0,
    sentenceOtherYear: sentenceYears.length > 0 && !sentenceYears.some((y) => query.years.includes(y)) ? 1 : 0,
    answeredOtherYear: answeredOtherYear(passage, query.years, textYears, context) ? 1 : 0,
    meta,
    metaForDocumentQuestion: meta && shape.aboutDocument ? 1 : 0,
    headForDocumentQuestion: passage.section[0] === HEAD_SECTION && shape.aboutDocument ? 1 : 0,
    closingForWhenQuestion: passage.section[0] === CLOSING_SECTION && shape.asksWhen ? 1 : 0,
    // A gazette's contents list every title in it: they answer what the issue holds, and crowd out the documents otherwise.
    contentsForIssueQuestion: contents && shape.aboutIssue ? 1 : 0,
    contentsForOtherQuestion: contents && !shape.aboutIssue ? 1 : 0,
    table: passage.kind === 'table' ? 1 : 0,
    qa: passage.kind === 'qa' ? 1 : 0,
    listForWhoQuestion: list && shape.asksWhoOrList ? 1 : 0,
    listForOtherQuestion: list && !shape.asksWhoOrList ? 1 : 0,
    logLength: Math.log(1 + passage.text.length) / 6,
    short: passage.text.length < 40 ? 1 : 0,
    englishCosine: shape.english ? cosine : 0,
    englishBm25: shape.english ? signals.bm25 : 0,
    documentCosine: signals.documentCosine,
    documentCosineGap: signals.documentCosine - signals.bestDocumentCosine,
    quantityStated: shape.quantity && stated ? 1 : 0,
    quantityAbsent: shape.quantity && !stated ? 1 : 0,
    bigramCoverage: signals.bigramCoverage,
  };
  return CANDIDATE_FEATURES.map((name) => values[name]);
}
