import type { Token } from './tokenize.js';
import { lemmatise } from './words.js';

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
  // The dictionary gives "growth" as 发展 and 成长; figures grow as 增长, at a rate of 增长率 or 增速.
  { en: ['growth rate', 'rate of growth', 'rate of increase'], zh: ['增长率', '增速'] },
  { en: ['growth', 'grow', 'increase'], zh: ['增长', '增速'] },
  // A part of a whole is 比重 or 占比 in these texts; the dictionary's "share" is 共享 and 股份.
  { en: ['share of', 'what share', 'proportion', 'percentage'], zh: ['比重', '占比'] },
  { en: ['livelihood'], zh: ['民生'] },
  { en: ['alumina', 'aluminium oxide', 'aluminum oxide'], zh: ['氧化铝'] },
  { en: ['new third board', 'neeq'], zh: ['新三板'] },
];

/** What the glossary made of a question: one group of terms per matched entry, and the token positions it used. */
export interface GlossaryMatch {
  groups: string[][];
  consumed: Set<number>;
}

/**
 * The glossary entries a question's tokens match, keeping only terms the
 * corpus supports (`support` > 0). Every phrase of an entry is tried, not just
 * the first that matches: "aged care" also matches inside "old-age care", and
 * "old" must still be consumed so the dictionary does not translate it again.
 * Words an earlier entry matched are its own ("growth rate" is not also "growth").
 */
export function matchGlossary(tokens: readonly Token[], known: ReadonlySet<string>, support: (term: string) => number): GlossaryMatch {
  const groups: string[][] = [];
  const consumed = new Set<number>();
  for (const entry of GLOSSARY) {
    const taken = new Set(consumed);
    const terms = entry.zh.filter((term) => support(term) > 0);
    // A phrase whose terms this corpus lacks is left to the dictionary, which may know other words for it.
    if (terms.length === 0) continue;
    let hit = false;
    for (const phrase of entry.en ?? []) {
      const words = phrase.split(' ').map((word) => lemmatise(word, known));
      const at = findSequence(tokens, words, taken);
      if (at < 0) continue;
      hit = true;
      for (let i = at; i < at + words.length; i++) consumed.add(i);
    }
    const together = entry.together?.every((word) => tokens.some((t) => t.lemma === lemmatise(word, known))) ?? false;
    if (hit || together) groups.push(terms);
  }
  return { groups, consumed };
}

/** Where `words` occur consecutively among the tokens' lemmas, none of them `taken`, or -1. */
function findSequence(tokens: readonly Token[], words: readonly string[], taken: ReadonlySet<number>): number {
  outer: for (let start = 0; start + words.length <= tokens.length; start++) {
    for (let k = 0; k < words.length; k++) if (taken.has(start + k) || tokens[start + k]!.lemma !== words[k]) continue outer;
    return start;
  }
  return -1;
}
