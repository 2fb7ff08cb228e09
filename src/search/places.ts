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
const HAN = /^[\u4e00-\u9fff]+$/u;

/** Whether a word of the question (already read as a whole) names a place by its ending. */
function namedByUnit(word: string): boolean {
  return HAN.test(word) && word.length >= 3 && word.length <= 5 && /[省市县区]$/u.test(word) && !GENERIC.test(word);
}

/**
 * The place names a question holds, in order, each once (`湖滨区`, `灵宝市`,
 * `洛阳`). A word jieba tags as a place without a unit counts only when
 * `known` says it is one (by default, always).
 */
export function placesIn(tagged: readonly TaggedWord[], known: (word: string) => boolean = () => true): string[] {
  const out: string[] = [];
  for (let k = 0; k < tagged.length; k += 1) {
    const { word, tag } = tagged[k]!;
    const next = tagged[k + 1]?.word ?? '';
    // Only a word tagged as a place joins the unit after it: a plain noun does not (`小麦`+`区` is a field, `实际`+`市` a misreading).
    // The unit may open a word jieba does not know (`湖滨`+`区建` in 其中湖滨区建了几个), not a word it knows (`灵宝`+`市场`).
    const unknownAfter = tagged[k + 1]?.tag === 'x' && UNIT.test(next.charAt(0)) && HAN.test(next);
    const joinsUnit = (UNIT.test(next) || unknownAfter) && HAN.test(word) && tag === 'ns';
    if (joinsUnit && !GENERIC.test(word + next.charAt(0))) {
      out.push(word + next.charAt(0));
      k += 1;
    } else if (namedByUnit(word) || (tag === 'ns' && word.length >= 2 && HAN.test(word) && !GENERIC.test(word) && known(word))) {
      out.push(word);
    }
  }
  return [...new Set(out)];
}
