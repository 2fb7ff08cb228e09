import type { TaggedWord } from '../index/tokenizer.js';

/**
 * Place names in a question, read from its tagged words.
 *
 * jieba's tags alone miss most county names (`陕州区` is `x`, `卢氏县` is `nr`,
 * `义马` is `n`, `湖滨区` is cut into `湖滨`+`区`), and a near miss is most often
 * the same figure asked of another county. So a place is a word jieba tags as
 * one and the caller knows as a place, a word of three to five characters
 * ending in an administrative unit (省/市/县/区), or a place word followed by a
 * lone unit character (`湖滨`+`区`) — but not the unit words every government
 * text uses (全市, 城区, 开发区). jieba also tags common words as places
 * (`东西`, `上市`), hence the caller's check.
 */

/** Words ending in a unit that name no particular place: a kind of area (开发区, 示范区, 景区) or a pointer (全市, 我市, 各县). */
const GENERIC = /(?:开发|示范|功能|保护|园|景|社|小|城|市|县|山|地|辖|街|片|库|矿|灾|校|全|我|本|各|该|新|老|郊|省|湖|两|多|跨)[省市县区]$/u;

/** The administrative units a place name may end in, the city's first (`灵宝` is written 灵宝市). */
export const PLACE_UNITS = ['市', '县', '区', '省'] as const;

const UNIT = /^[省市县区]$/u;
/** jieba's tags for a plain noun and for a person's name (`卢氏` is a surname to it). */
const NOUN_OR_NAME = /^(?:n|nr|nrt|nrfg)$/u;
const HAN = /^[\u4e00-\u9fff]+$/u;

/** What `writtenWithUnit` needs of a corpus: in how many passages the keyword side found a word. */
export interface WordCounts {
  documentFrequency(word: string): number;
}

/**
 * Whether the documents write a word with an administrative unit, as one word
 * (`灵宝` as 灵宝市): the check that tells a bare place name from a word jieba
 * merely tags as one (`东西`, `上市`) or reads as a surname (`卢氏`). As one
 * word, not as text: `国家` + `市` is in every 国家市场监管总局.
 */
export function writtenWithUnit(corpus: WordCounts): (word: string) => boolean {
  return (word) => PLACE_UNITS.some((unit) => corpus.documentFrequency(word + unit) > 0);
}

/** How to tell a bare word (no unit) that names a place. */
export interface PlaceCheck {
  /** Whether a word jieba tags as a place is one (default: always). */
  tagged?: (word: string) => boolean;
  /** Whether a noun or a name jieba does not tag as a place is one all the same (`卢氏`; default: never). */
  untagged?: (word: string) => boolean;
}

/** Whether a word of the question (already read as a whole) names a place by its ending. */
function namedByUnit(word: string): boolean {
  return HAN.test(word) && word.length >= 3 && word.length <= 5 && /[省市县区]$/u.test(word) && !GENERIC.test(word);
}

/** Whether a word without a unit names a place: jieba tags it as one and `check` agrees, or a noun or a name `check` knows as one. */
function bareName(word: string, tag: string, check: PlaceCheck): boolean {
  if (word.length < 2 || !HAN.test(word)) return false;
  if (tag === 'ns') return check.tagged?.(word) ?? true;
  return NOUN_OR_NAME.test(tag) && (check.untagged?.(word) ?? false);
}

/**
 * The place names a question holds, in order, each once (`湖滨区`, `灵宝市`,
 * `洛阳`). `check` tells which bare words (without a unit) are places.
 */
export function placesIn(tagged: readonly TaggedWord[], check: PlaceCheck = {}): string[] {
  const out: string[] = [];
  for (let k = 0; k < tagged.length; k += 1) {
    const { word, tag } = tagged[k]!;
    const next = tagged[k + 1]?.word ?? '';
    // Only a word tagged as a place joins the unit after it, or a noun or name the caller knows as one: a plain noun does not
    // (`小麦`+`区` is a field, `实际`+`市` a misreading). The unit may open a word jieba does not know (`湖滨`+`区建` in
    // 其中湖滨区建了几个), not a word it knows (`灵宝`+`市场`).
    const unknownAfter = tagged[k + 1]?.tag === 'x' && UNIT.test(next.charAt(0)) && HAN.test(next);
    const placeWord = tag === 'ns' || (NOUN_OR_NAME.test(tag) && check.untagged?.(word) === true);
    const joinsUnit = (UNIT.test(next) || unknownAfter) && HAN.test(word) && placeWord;
    if (joinsUnit && !GENERIC.test(word + next.charAt(0))) {
      out.push(word + next.charAt(0));
      k += 1;
    } else if (namedByUnit(word) || (bareName(word, tag, check) && !GENERIC.test(word))) {
      out.push(word);
    }
  }
  return [...new Set(out)];
}
