import { jiebaTokenizer } from '../index/tokenizer.js';
import { normalizeForIndex, simplified } from '../ingest/normalize.js';
import type { SearchContext } from './features.js';
import { PLACE_UNITS, placesIn } from './places.js';
import { fullYears, stripBotNoise, YEAR, yearsIn } from './query.js';

/** What a chat was last about: the question as it was searched, and how many passages were shown. */
export interface Topic {
  /** The question as searched (a follow-up's rewritten form, not what was typed). */
  question: string;
  /** Title of the document that answered it, for `这个方案`, `该讲话`. */
  title: string | null;
  /** Passages shown so far, for 还有呢. */
  shown: number;
  /**
   * What it is about without what it asked, when a follow-up said so: after `谁负责？` the topic is still the
   * 新增城镇就业 target, and the next `19年实际新增了多少` asks that, not who is responsible.
   */
  entity?: string;
  /** The passage that answered it first, and the years it named: a follow-up about another year is unlikely to be answered there again. */
  answered?: SearchContext['answered'];
}

/** What understanding may ask of the index. */
export interface UnderstandContext {
  /** Whether every one of these words is in the document the chat's topic came from. */
  inTopicDocument?: (words: readonly string[]) => boolean;
  /** Chinese words for an English name (`Luoyang` → 洛阳). */
  chineseFor?: (english: string) => string[];
  /** Whether a place is the documents' own home (三门峡, named everywhere) rather than one place among others. */
  isHome?: (place: string) => boolean;
  /** Whether a word jieba does not tag as a place names one all the same: the documents write it with a unit (卢氏 as 卢氏县). */
  isPlace?: (word: string) => boolean;
}

/** Question words and particles: what is left of a message once its year and place are read says nothing. */
const FILLER = /多少|什么|怎么样|怎样|哪些|哪里|哪儿|几|谁|吗|呢|了|的|是|有|呀|啊|吧|在|情况|如何|[\s？?。.!！，,]/gu;

/** How a message is understood in its chat. */
export type Understanding =
  /** A complete question: searched as typed, starting a new topic. */
  | { kind: 'standalone'; question: string }
  /** A follow-up rewritten with what the chat was about, and that thing without what it now asks (for the next turn). */
  | { kind: 'followup'; question: string; entity?: string }
  /** 还有呢 / 更多: the next passages for the previous question. */
  | { kind: 'more' }
  /** A follow-up with nothing before it to follow. */
  | { kind: 'no-topic' };

const MORE = /^(还有呢|还有吗|还有没有|还有|更多|更多结果|再来点|继续|接着说|别的呢|其他的呢|more|what else|anything else)[\s？?。.!！]*$/iu;
const LEAD = /^(那么|那|还有(?:呢[？?]?)?|另外|然后|那要是|要是|再问一下|and|what about|how about)[\s,，、]*/iu;
const TAIL = /(呢|咧|捏)?[\s？?。.!！]*$/u;
const ENDS_IN_NE = /呢[\s？?。.!！]*$/u;
/** A name typed in English (`Lingbao`, `Mianchi County`): it stands for an English name, or for its Chinese place. */
const ENGLISH_NAME = /^[a-z][a-z' -]*$/iu;
/** 呢 closing the first clause marks a follow-up as one closing the message does (`19年呢，出了啥文件？`). */
const NE_CLOSING_CLAUSE = /呢(?=[，,])/u;
/** A demonstrative with its classifier (`那篇`, `这个`): after a name it only picks that thing out (`安伟“五彩三门峡”那篇专访`). */
const DEMONSTRATIVES = '[这那][个项些篇条种类]|此项';
const DEMONSTRATIVE = new RegExp(`^(?:${DEMONSTRATIVES})$`, 'u');
/**
 * Words pointing back at what was just discussed (`其中` only opening a message: `其中灵宝市划了多少亩`; `那届`, `那次`
 * only after nothing but a year: `18年那届是第几届`, not `义马气化厂那次爆炸`).
 */
const PRONOUN = new RegExp(
  `(^其中|(?<=^(?:\\d{4}年?)?)[这那][届次]|它们|它|其(?![他中余实次])|(?<![应活本])该(?=[\\u4e00-\\u9fff])|${DEMONSTRATIVES}|他们|this|that|\\bit\\b)`,
  'iu',
);

/**
 * The word of a message that points back at the chat's topic, or null. A demonstrative right after a noun or a
 * quoted name belongs to that name (`安伟“五彩三门峡”那篇专访是哪家媒体做的` names its own interview).
 */
function pointingBack(core: string): RegExpExecArray | null {
  const pronoun = PRONOUN.exec(core);
  if (!pronoun || !DEMONSTRATIVE.test(pronoun[0]) || pronoun.index === 0) return pronoun;
  const before = jiebaTokenizer.tag(core.slice(0, pronoun.index)).at(-1);
  return before && (/^n/u.test(before.tag) || /[”》」』]$/u.test(before.word)) ? null : pronoun;
}

/** The year just asked about: `当年失业率是多少`. */
const SAME_YEAR = /当年|同年|那年|那一年|这一年/u;
/**
 * `今年` in a follow-up keeps the topic's year: a chat has no calendar of its own, and the documents' 今年 is the
 * year they report on (`今年一季度呢` after a 2019 figure asks the topic's first quarter). It does not mark a
 * follow-up: `今年GDP目标多少` opening a chat is a question.
 */
const THIS_YEAR = /今年|本年/u;
/** English words that ask nothing and name nothing: `what about`, `and in`. */
const ENGLISH_FILLER = /\b(what|about|how|and|for|in|of|at|the|then)\b/giu;
/**
 * A year counted from the one just asked about: the year before (上一年), the year after (下一年). Not a comparison with
 * it: `比上一年提高了多少` asks the same year's rise.
 */
const RELATIVE_YEAR =
  /(?<![比较])(?:(上一年|前一年|the year before|the previous year|a year earlier)|(下一年|后一年|the next year|the following year|a year later))/iu;

/**
 * A message that only asks another year counted from the previous question's, with that year put in
 * (`上一年呢` after 2019 → `2018年呢`). A question of its own saying 上一年 keeps its words.
 */
function withRelativeYear(core: string, previous: string): string {
  const relative = RELATIVE_YEAR.exec(core);
  const [year] = yearsIn(fullYears(normalizeForIndex(previous)));
  if (!relative || !year) return core;
  const rest = core.replace(relative[0], '').replace(FILLER, '').replace(ENGLISH_FILLER, '');
  if (rest.length > 4) return core;
  const counted = Number(year) + (relative[1] ? -1 : 1);
  return core.replace(relative[0], /[a-z]/iu.test(relative[0]) ? ` ${counted} ` : `${counted}年`).trim();
}

/** The kinds of document a pointer may name. */
const DOCUMENT_KINDS = '文件|方案|通知|意见|讲话|报告|决定|办法|预案|计划|政策|措施|解读|专访|文章';
/**
 * A pointer at the document itself: `这个方案`, `该通知`, `这篇讲话`, with a few words between (`这个奖补办法`), where
 * the document's kind ends a phrase (not the verb of `这个项目计划投资多少`).
 */
const DOCUMENT_POINTER = new RegExp(
  `(这个|那个|该|这篇|那篇|这份|那份|这条|那条|此)(?:(?:(?!的)[\\u4e00-\\u9fff]){1,4}?(?=(?:${DOCUMENT_KINDS})(?:[的是由在对中里有要把将从于何哪什谁几多]|[^\\u4e00-\\u9fff]|$)))?(${DOCUMENT_KINDS})`,
  'u',
);
/** Part-of-speech tags of words that name a topic: nouns, names, verbal nouns, English words. */
const CONTENT_TAG = /^(n|nr|ns|nt|nz|nw|vn|an|eng|j|l|i)$/u;
/** Words that ask: a message holding one asks an aspect, it does not name a thing. */
const ASKS = /多少|什么|怎么|怎样|哪|几|谁|吗|如何|是否|啥|咋/u;
/** Words asking a count or a thing, not a yes or no. */
const ASKS_THING = /多少|什么|哪|几|啥/u;
/** Words that ask or hedge, naming nothing (实际 and 具体 say how exactly, not what). */
const QUESTION_LIKE = /^(多少|什么|怎么|怎样|哪|几|谁|时候|是否|有没有|吗|呢|情况|问题|意思|实际|具体|一共|总共|大概|分别)$/u;

interface Parts {
  years: string[];
  places: string[];
  /** Topic words of its own (not years, places, pronouns or question words). */
  content: string[];
}

/** Reads a short message's years, places and topic words. */
function partsOf(text: string): Parts {
  const tagged = jiebaTokenizer.tag(text);
  const places = placesIn(tagged);
  const inPlace = (word: string): boolean => places.some((place) => place.includes(word));
  const content = tagged
    .filter(
      (t) => CONTENT_TAG.test(t.tag) && !inPlace(t.word) && t.word.length >= 2 && !QUESTION_LIKE.test(t.word) && !PRONOUN.test(t.word) && !/^\d/u.test(t.word),
    )
    .map((t) => t.word);
  return { years: yearsIn(text), places, content };
}

/** Levels of government whose figures the documents give apart. */
const LEVEL = /全市|市本级|市级|县级|全省|省级/u;

/** Whether a name is a level of government and nothing else (市本级, not 市本级收入). */
function isLevel(name: string): boolean {
  return LEVEL.exec(name)?.[0] === name;
}

/**
 * Whether a verb, adjective or unknown word is part of a name rather than a predicate: a run of
 * them ending at a noun (国道310南移项目, 健康三门峡, 速达纯电动汽车, 一般公共预算收入实际).
 */
function isNamePart(tagged: readonly { word: string; tag: string }[], k: number): boolean {
  for (let j = k; j < tagged.length; j += 1) {
    const t = tagged[j]!;
    // (A verbal noun ends one too: 产教融合, 融合 a vn.)
    if (/^(n|vn)/u.test(t.tag) && j > k) return true;
    // What modifies a noun through 的 names it too (新增就业的目标 is the 新增就业 target).
    if (t.word === '的' && j > k) return /^n/u.test(tagged[j + 1]?.tag ?? '');
    if (!/^[\u4e00-\u9fff]+$/u.test(t.word) || !['x', 'v', 'a', 'b'].includes(t.tag) || ASKS.test(t.word) || /^(是|有|为|到)$/u.test(t.word)) return false;
  }
  return false;
}

/** Words joined as written: Chinese ones run together, English ones and numbers keep a space between them. */
function joinWords(words: readonly string[]): string {
  return words.reduce((text, word) => (/[a-z0-9]$/iu.test(text) && /^[a-z0-9]/iu.test(word) ? `${text} ${word}` : text + word), '');
}

/** A period within a year: `一季度`, `上半年`, `1—2月份`, `年底`. */
const PERIOD = /([一二三四1-4]季度|[上下]半年|全年|年底|年初|年中|\d{1,2}\s*[—–\-~至到]\s*\d{1,2}\s*月份?|\d{1,2}\s*月份?)/u;

/**
 * Whether the word at k is the quantity a count asks (`投资多少`, `总投资是多少`): the next question asks its own. (The
 * word that sets it apart, 总 in 总投资, goes with it.)
 */
function isAskedQuantity(tagged: readonly { word: string; tag: string }[], k: number): boolean {
  const next = tagged[k + 1]?.word ?? '';
  const asks = (word: string): boolean => /^(多少|几)/u.test(word);
  return tagged[k]?.tag === 'vn' && (asks(next) || (/^(是|为)$/u.test(next) && asks(tagged[k + 2]?.word ?? '')));
}

/** A place jieba cuts in two (湖滨区 → 湖滨, 区), where the question names it: kept whole in a topic. */
function cutPlace(question: string): RegExpExecArray | null {
  const tagged = jiebaTokenizer.tag(question);
  const place = placesIn(tagged).find((name) => !tagged.some((t) => t.word === name));
  return place ? new RegExp(place, 'u').exec(question) : null;
}

/** The topic words of a question, its year kept: what a pronoun or a new aspect refers to. */
function entityOf(question: string): string {
  // A level of government is kept whole, where it stands (jieba cuts 市本级 into 市 and 本级, which it tags a pronoun).
  // So is a period (一季度, 1—4月), which jieba cuts into numbers and measure words.
  const kept = LEVEL.exec(question) ?? PERIOD.exec(question) ?? cutPlace(question);
  if (kept) return `${entityOf(question.slice(0, kept.index))}${kept[0]}${entityOf(question.slice(kept.index + kept[0].length))}`;
  // A year set apart, so jieba does not read its 年 into the next word (2020年速达纯 → 年速, 达纯).
  const tagged = jiebaTokenizer.tag(question.replace(new RegExp(`${YEAR}年?`, 'gu'), ' $& '));
  const words = tagged.flatMap((t, k) => {
    if (/^\d{4}$/u.test(t.word) && yearsIn(t.word).length > 0) return [tagged[k + 1]?.word === '年' ? `${t.word}年` : t.word];
    // The one-character noun a count asks in (多少人, 多少钱) is the unit of the answer, not what it is about;
    // so is the quantity a count asks (投资多少, 增长多少): the next question asks its own.
    if (t.word.length === 1 && ASKS.test(tagged[k - 1]?.word ?? '')) return [];
    if (isAskedQuantity(tagged, k) || (t.tag === 'b' && isAskedQuantity(tagged, k + 1))) return [];
    // (A place is part of the topic however jieba tags it: 陕州区 comes out x.)
    const place = placesIn([t]).length > 0;
    return CONTENT_TAG.test(t.tag) || place || isNamePart(tagged, k) || /^\d+$/u.test(t.word) ? (QUESTION_LIKE.test(t.word) ? [] : [t.word]) : [];
  });
  // (A word said twice in a row once; 健康 in both 健康三门峡 and 居民健康素养 stays twice.)
  return joinWords(words.filter((w, k) => w !== words[k - 1]));
}

/**
 * What a question of the form `X是…` is about: X's topic words (`健康三门峡行动实施方案是市政府第几次常务会议审议通过的`
 * is about the plan, not the meeting). Null when nothing before 是 names a thing, or it asks (`哪个部门是…`), or a
 * question word follows 是 (`疫情期间三门峡是怎么补齐基层防控短板的`).
 */
function subjectOf(question: string): string | null {
  const tagged = jiebaTokenizer.tag(question);
  const at = tagged.findIndex((t) => t.word === '是');
  // `X是怎么补齐短板的` asks about what follows 是: X alone is not the topic.
  if (at < 1 || ASKS.test(tagged[at + 1]?.word ?? '')) return null;
  const before = tagged
    .slice(0, at)
    .map((t) => t.word)
    .join('');
  if (ASKS.test(before)) return null;
  const subject = entityOf(before);
  return subject.length >= 4 ? subject : null;
}

/** Puts a period in place of the question's period, or right after its year (or in front). */
function withPeriod(question: string, period: string): string {
  if (PERIOD.test(question)) return question.replace(PERIOD, period);
  const [year] = yearsIn(question);
  if (year) return question.replace(new RegExp(`${year}年?`, 'u'), (m) => `${m}${period}`);
  return `${period}${question}`;
}

/**
 * A span of years starting at a year: `2012年以来的五年里`, `2016—2020年`,
 * `2009至2017年`. Another year asked of it is one year: `那2016年当年呢`.
 */
function spanFrom(year: string): RegExp {
  return new RegExp(`${year}年?(?:以来(?:的?[一二三四五六七八九十两\\d]+年(?:里|间|来|中)?)?|\\s*[—–\\-~～至到]\\s*${YEAR}年?)`, 'u');
}

/** Replaces the first year (`2019年`/`2019`, or a span from it) of a question by another, or puts the year in front. */
function withYear(question: string, year: string): string {
  const [old] = yearsIn(question);
  if (!old) return `${year}年${question}`;
  const span = spanFrom(old);
  return span.test(question) ? question.replace(span, `${year}年`) : question.replace(old, year);
}

/** The plan a notice issues (关于印发X的通知 → X), asked about as the plan itself; null for any other title. */
export function issuedBy(title: string): string | null {
  return /关于印发(.+?)的通知$/u.exec(title)?.[1] ?? null;
}

/**
 * Puts a name in place of the previous question's name of the same kind: a
 * level of government for a level (全市 → 市本级), a word for its counterpart
 * (城市 → 农村), a place for a place (三门峡 → 灵宝; a county for 全市), a quoted
 * name for a quoted one (“三地” → “五中心”), else the words ending the same way
 * (千秋煤矿 → 龙王庄煤矿, 生产总值预期增长目标 → 固定资产投资目标). Null when the
 * previous question has none.
 */
function withSameKind(question: string, name: string, isPlace: boolean, context: UnderstandContext = {}): string | null {
  const isHome = context.isHome ?? (() => false);
  // A level of government stands for another (全市 → 市本级): budgets and reports give each. Every mention changes.
  const level = isLevel(name) ? LEVEL.exec(question) : null;
  if (level) return level[0] === name ? null : question.split(level[0]).join(name);
  // A word stands for its counterpart (农村 for 城市: `城市低保标准` → `农村低保标准`).
  const counterpart = COUNTERPARTS.get(name)?.find((word) => question.includes(word));
  if (counterpart) return question.replace(counterpart, name);
  // A place stands for the question's first county, district or city other than the documents' home (渑池县 for 义马市 in
  // `三门峡…领导小组里，义马市是谁参加`), else its first other place (西安 in `从三门峡坐高铁到西安`), else the home; a
  // county asked of the whole city's figure (`三门峡全市的供地率`) drops 全市. A short word jieba does not know as a place
  // may be one (义马), unless the question has a name ending as it does (千秋煤矿 stands for 耿村煤矿).
  const words = jiebaTokenizer.tag(question);
  const endsAlike = name.length > 2 && words.some((t) => t.word.endsWith(name.slice(-2)));
  const placeLike = isPlace || (name.length <= 4 && !endsAlike);
  const places = placeLike ? placesIn(words, { untagged: context.isPlace }) : [];
  const place = places.find((p) => !isHome(p) && /[市县区]$/u.test(p)) ?? places.find((p) => !isHome(p)) ?? places[0];
  // (Replaced by a function: a name typed with `$&` in it is text, not a replacement pattern.)
  if (place && place !== name) return question.replace(new RegExp(`${place}(?:全市)?`, 'u'), () => name);
  // With no place named, a county asked of the whole city's figure takes the place of 全市 (`湖滨区呢` after `全市供地率是多少`).
  if (placeLike && !place && question.includes('全市')) return question.replace('全市', () => name);
  // An English name stands for the English question's last proper name (Sanmenxia → Lingbao; not its first word, nor GDP).
  if (ENGLISH_NAME.test(name)) {
    const proper = [...question.matchAll(/(?<=\s)[A-Z][a-z]+(?:\s[A-Z][a-z]+)*/gu)].at(-1);
    if (!proper) return null;
    const titled = name.replace(/\b[a-z]/gu, (c) => c.toUpperCase());
    return proper[0] === titled ? null : question.slice(0, proper.index) + titled + question.slice(proper.index + proper[0].length);
  }
  // A quoted name stands for the question's last quoted name (“三地” → “五中心”).
  const quoted = /^“[^“”]+”$/u.test(name) ? [...question.matchAll(/“[^“”]+”/gu)].at(-1) : undefined;
  if (quoted) return quoted[0] === name ? null : question.slice(0, quoted.index) + name + question.slice(quoted.index + quoted[0].length);
  // The same ending (煤矿, 目标): the old name is the words ending there, back to a place, a number or a particle
  // (2017年三门峡生产总值预期增长目标 → 生产总值预期增长目标); a number in Chinese characters is part of a name
  // (九六八煤业).
  for (const size of [2, 1]) {
    const ending = name.slice(-size);
    if (size === 1 && !/[县市区镇乡村矿厂局委办校院税费险]/u.test(ending)) continue;
    // (A name of its own, 耿村煤矿, before a bare word, the 煤矿 of 三门峡煤矿智能化.)
    const ends = words.flatMap((t, k) => (t.word.endsWith(ending) ? [k] : []));
    const spans = ends.map((last) => {
      let first = last;
      while (first > 0 && last - first < 4 && isNameWord(words[first - 1]!)) first -= 1;
      return { first, last };
    });
    const span = spans.find(({ first, last }) => first < last || words[last]!.word.length > ending.length) ?? spans[0];
    if (!span) continue;
    const { first, last } = span;
    const start = words.slice(0, first).reduce((n, t) => n + t.word.length, 0);
    const end = words.slice(0, last + 1).reduce((n, t) => n + t.word.length, 0);
    const old = question.slice(start, end);
    return old === name ? null : question.slice(0, start) + name + question.slice(end);
  }
  return null;
}

/**
 * The name a short message asks about instead: itself without a closing 的 (`农村的` → 农村), or only whose it is when what
 * follows 的 is already in the question (`卢氏的供地率` after `湖滨区供地率是多少` → 卢氏).
 */
function lonelyName(core: string, question: string): string {
  const name = core.replace(/的$/u, '');
  const owned = /^(.+?)的(.+)$/u.exec(name);
  return owned && question.includes(owned[2]!) ? owned[1]! : name;
}

/** Words that stand for each other in a follow-up: the documents give each one's figures apart. */
const COUNTERPARTS = new Map<string, readonly string[]>([
  ['农村', ['城市', '城镇']],
  ['乡村', ['城市', '城镇']],
  ['城市', ['农村', '乡村']],
  ['城镇', ['农村', '乡村']],
]);

/**
 * The Chinese place an English name stands for (`Luoyang` → 洛阳, `Lingbao` → 灵宝市), or null when it is not English
 * or names no place. A name the dictionary gives without its unit (灵宝) is a place when it is one with it.
 */
function chinesePlace(name: string, context: UnderstandContext): string | null {
  if (!ENGLISH_NAME.test(name)) return null;
  const isPlace = (word: string): boolean => placesIn(jiebaTokenizer.tag(word)).includes(word);
  for (const word of context.chineseFor?.(name) ?? []) {
    const place = [word, ...PLACE_UNITS.map((unit) => word + unit)].find(isPlace);
    if (place) return place;
  }
  return null;
}

/** Whether a word can be part of a name before its last word: a noun, verb or adjective in Chinese, or a number in Chinese characters. */
function isNameWord(t: { word: string; tag: string }): boolean {
  if (!/^[\u4e00-\u9fff]+$/u.test(t.word)) return false;
  return /^(n|nr|nz|vn|v|a|j|x|l)$/u.test(t.tag) || (t.tag === 'm' && /^[〇零一二三四五六七八九十百千]+$/u.test(t.word));
}

/** Where a name ending at `end` starts: back over characters that are not a boundary, at most `limit` before `end`. */
function nameStart(question: string, end: number, limit: number, boundary: RegExp): number {
  let start = end;
  while (start > 0 && end - start < limit && !boundary.test(question[start - 1]!)) start -= 1;
  return start;
}

/** Characters a name does not run across: spaces, punctuation, 的 and the small words that link a predicate. */
const NAME_BOUNDARY = /[\s，。、？！,.?!的是在和与及把对从要]/u;

/** The name in a question that ends with a noun (领导小组 → 三门峡市中国天然氧吧城市创建工作领导小组), or null. */
function fullName(question: string, noun: string): string | null {
  const at = question.indexOf(noun);
  if (at < 0) return null;
  // A number ends a name (`2019年` is not part of one, nor is its 年)…
  let start = nameStart(question, at, 20, /[\d\s，。、？！,.?!的是在和与及把对从要]/u);
  if (/\d/u.test(question[start - 1] ?? '') && /[年月日]/u.test(question[start] ?? '')) start += 1;
  // …but whose it is comes too, numbers and all, when a name stands right before the 的 (国道310南移东段的土地罚款).
  if (question[start - 1] === '的') {
    const owner = nameStart(question, start - 1, 24 - (at - start + 1), NAME_BOUNDARY);
    if (start - 1 - owner >= 2) start = owner;
  }
  return question.slice(start, at + noun.length);
}

/**
 * Understands a chat message against what the chat was about. It is a
 * follow-up when it says so (starts with 那/还有/另外, ends in 呢, points back
 * with 它/其/该/这个…, English `what about`) or when it has no topic of its own
 * (only a year or a place). A follow-up is rewritten: a new year or place
 * replaces the previous one, a new aspect is asked of the previous topic, a
 * pronoun becomes that topic. Anything else is a complete question and
 * inherits nothing.
 */
export function understand(message: string, previous: Topic | null, context: UnderstandContext = {}): Understanding {
  // Read in Simplified, half-width form (它什麼時候能通車 is 它什么时候能通车); standalone questions go to search as typed.
  const text = fullYears(normalizeForIndex(stripBotNoise(message)));
  if (MORE.test(text)) return previous ? { kind: 'more' } : { kind: 'no-topic' };
  const lead = LEAD.exec(text);
  const typed = text.replace(LEAD, '').replace(TAIL, '').replace(NE_CLOSING_CLAUSE, '').trim();
  const core = previous ? withRelativeYear(typed, previous.question) : typed;
  const parts = partsOf(core);
  const pronoun = pointingBack(core);
  const marked = lead !== null || ENDS_IN_NE.test(text) || NE_CLOSING_CLAUSE.test(text) || pronoun !== null || SAME_YEAR.test(core);
  // No topic word of its own: only a year or a place (2018年？ 灵宝), or only an aspect (增长了多少, 谁负责).
  const residue = [...parts.years, ...parts.places].reduce((rest, w) => rest.replace(new RegExp(`${w}年?`, 'u'), ''), core).replace(FILLER, '');
  const bare = parts.content.length === 0 && (parts.years.length > 0 || parts.places.length > 0 ? residue.length < 2 : core.length <= 10);
  // A short question whose words are all in the document the chat is about asks more of that document (专项资金有多少).
  const ofTopicDocument =
    !!previous &&
    parts.years.length === 0 &&
    parts.places.length === 0 &&
    core.length <= 12 &&
    parts.content.length <= 2 &&
    (context.inTopicDocument?.(parts.content) ?? false);
  // A year or a place and little else (灵宝市分到多少亩, 18年的目标是多少): the topic asked again of another year or place,
  // when what else it says is a verb or two asking a count or a thing (a yes/no of the place itself stands alone:
  // 卢氏县脱贫了吗), or, beside a year, one word of the topic's document (a place and a noun is a question of its
  // own: 有多少条河流流入黄河).
  const framed =
    !!previous &&
    parts.years.length + parts.places.length > 0 &&
    core.length <= 12 &&
    (parts.content.length === 0
      ? residue.length <= 4 && ASKS_THING.test(core)
      : parts.content.length === 1 && parts.years.length > 0 && (context.inTopicDocument?.(parts.content) ?? false));
  if (!marked && !bare && !ofTopicDocument && !framed) return { kind: 'standalone', question: stripBotNoise(message) };
  // Marked, but with a topic of its own and nothing pointing back, and not short: a new question put casually (那卢氏县的贫困发生率呢).
  // (Short in English is a few words: `lushi county`.)
  const english = /^[a-z0-9][a-z0-9' -]*$/iu.test(core);
  const short = (english ? core.split(/\s+/u).length <= 3 : core.length <= 8) && !pronoun && parts.years.length === 0;
  // A name alone (灵宝呢, 固定资产投资目标呢) stands for a name; a short question (贷款落实了多少) asks an aspect.
  // (An English name is one written with a capital: `What about Lingbao?`, not `and the growth rate?`.)
  const typedAt = message.toLowerCase().indexOf(core);
  const lone = short && !ASKS.test(core) && (!english || (typedAt >= 0 && /[A-Z]/u.test(message[typedAt]!)));
  // (English content words are cut finer than Chinese ones: `and to Zhengzhou` is a follow-up, not a new question.)
  if (parts.content.length >= 2 && !pronoun && !short && /[\u4e00-\u9fff]/u.test(core)) return { kind: 'standalone', question: core };
  // Unmarked and bare with nothing before it (卢, 1234, an emoji): just a question, searched as it is. So is one
  // whose pronoun can only point at what the message itself named first (`What was Sanmenxia's GDP growth in Q1
  // 2017, and where did it rank in Henan?`): with no topic there is nothing else it could mean.
  if (!previous) {
    const namedFirst = pronoun !== null && pronoun.index > 0 && partsOf(core.slice(0, pronoun.index)).content.length > 0;
    return marked && !namedFirst ? { kind: 'no-topic' } : { kind: 'standalone', question: stripBotNoise(message) };
  }

  // (Rewritten in Simplified: jieba reads names in it, and a question typed in Traditional, 三門峽城鎮居民醫保, has none.)
  let question = simplified(previous.question);
  // What the chat is about, without the aspect it last asked; it changes year, period and name with the question.
  let entity = previous.entity ? simplified(previous.entity) : null;
  for (const year of parts.years.slice(0, 1)) {
    question = withYear(question, year);
    entity = entity && withYear(entity, year);
  }
  // 当年 is the previous question's year, which the topic keeps.
  let aspect = core.replace(SAME_YEAR, '').replace(THIS_YEAR, '');
  // (A year's 年度 goes with it: `2018年度的呢` asks nothing but the year.)
  for (const year of parts.years) aspect = aspect.replace(new RegExp(`${year}(?:年度|年)?`, 'u'), '');
  const period = PERIOD.exec(aspect)?.[0];
  if (period) {
    question = withPeriod(question, period);
    entity = entity && withPeriod(entity, period);
    aspect = aspect.replace(period, '');
  }
  // A lone name (灵宝呢, 龙王庄煤矿呢) stands for the previous question's name of the same kind.
  // (A period already replaced is not a name: `1—2月份` must not stand for the `月份` it just put in.)
  // (So is a longer one jieba knows no word of, 梁家洼煤业; a short one is a term asked of the topic, 户贷率.)
  // A level of government alone or beside a year is one too (市本级呢, 那2019年全市的呢; not 它的尾气对全市…).
  const bareAspect = aspect.replace(/[的\s]/gu, '');
  const level = isLevel(bareAspect) ? bareAspect : undefined;
  const names =
    parts.places.length > 0
      ? parts.places
      : lone && !period && (parts.content.length > 0 || core.length > 4)
        ? [lonelyName(core, question)]
        : level
          ? [level]
          : [];
  for (const typed of names.slice(0, 1)) {
    // An English place in a chat asked in Chinese is its Chinese name (`And Luoyang?` after a question about 三门峡).
    const place = /[\u4e00-\u9fff]/u.test(question) ? chinesePlace(typed, context) : null;
    const name = place ?? typed;
    const isPlace = parts.places.length > 0 || place !== null;
    const swapped = withSameKind(question, name, isPlace, context);
    if (swapped) {
      question = swapped;
      entity = entity && (withSameKind(entity, name, isPlace, context) ?? entity);
      aspect = aspect.replace(typed, '');
      // (What followed its 的 is already asked: `卢氏的供地率` asks nothing beside 卢氏.)
      if (question.includes(aspect.replace(/^的/u, ''))) aspect = '';
    }
  }
  aspect = aspect.replace(/^[\s,，、的]+|[\s,，、]+$/gu, '').replace(new RegExp(`^${ENGLISH_FILLER.source}$`, 'iu'), '');
  const pointer = DOCUMENT_POINTER.exec(aspect);
  if (pointer && previous.title) {
    return { kind: 'followup', question: aspect.replace(pointer[0], issuedBy(previous.title) ?? previous.title) };
  }
  // 该领导小组, 这些罚款: the pronoun and the noun after it stand for that noun's full name in the previous question.
  const pointed = pronoun
    ? new RegExp(`${pronoun[0]}([\u4e00-\u9fff]{2,6}?)(?=的|[\u4e00-\u9fff]{0,2}(?:是|由|在|有|要|什么|多少|哪|何|怎))`, 'u').exec(aspect)
    : null;
  const named = pointed?.[1] ? fullName(question, pointed[1]) : null;
  // (The year the message asked stays: `2019年这个比重是多少` asks 2019's 第三产业增加值比重.)
  const year = parts.years[0];
  if (pointed && named) return { kind: 'followup', question: aspect.replace(pointed[0], () => (year && !named.includes(year) ? `${year}年${named}` : named)) };
  const about = entity ?? subjectOf(question) ?? entityOf(question);
  if (pronoun) return { kind: 'followup', question: aspect.replace(PRONOUN, () => about), entity: about };
  // Something asked beyond the year or name: ask it of the previous topic.
  return aspect.length >= 2
    ? { kind: 'followup', question: `${about} ${aspect}`, entity: about }
    : { kind: 'followup', question, ...(entity ? { entity } : {}) };
}
