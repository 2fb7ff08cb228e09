import { matchGlossary } from './glossary.js';
import type { EnglishLookup } from './lookup.js';
import { supportOf } from './support.js';
import { tokenize, type Token } from './tokenize.js';
import { MAX_PHRASE, bagKey } from './words.js';

/*
 * English questions meet a Chinese-only index: the embedding model and the BM25
 * terms are Chinese, so an English question finds nothing until its key words
 * become Chinese search terms. This does that with the corpus's English lookup
 * (CC-CEDICT read backwards, built by `npm run index`) plus a few hand-kept
 * domain phrases (`glossary.ts`). It is not machine translation: it only has to
 * name the words the documents use.
 */

/** How many terms one English question yields; past a dozen, BM25 weight spreads too thin. */
const MAX_TERMS = 12;

/**
 * Chinese search terms for the key words of an English question, best first,
 * at most twelve. Only terms the corpus can match are kept: a term in
 * `vocabulary` (the index's jieba terms, the one `lookup` was built for), or
 * one that splits wholly into such terms (政府工作报告 → 政府 工作 报告), since
 * the caller tokenises what it gets. An empty vocabulary keeps every
 * candidate. Phrases win over their words ("work style" → 作风, not 工作 + 风格),
 * and a gloss equal to the English beats one merely containing it.
 */
export function englishToChinese(
  text: string,
  lookup: EnglishLookup,
  vocabulary: ReadonlySet<string>,
  passagesWith?: (term: string) => readonly number[],
): string[] {
  const tokens = tokenize(text, lookup.known);
  const support = (term: string): number => supportOf(term, vocabulary);
  const { groups, consumed } = matchGlossary(tokens, lookup.known, support);
  // Content words, as positions into `tokens`.
  const content = tokens.flatMap((t, i) => (t.stop || consumed.has(i) || /^\d/u.test(t.lemma) ? [] : [i]));
  groups.push(...phraseGroups(tokens, content, consumed, lookup, support));
  groups.push(...wordGroups(tokens, content, consumed, lookup, support, vocabulary));
  const general = groups.map(generalTerms);
  return roundRobin(passagesWith ? byCooccurrence(general, passagesWith) : general, MAX_TERMS);
}

/**
 * A word's candidates without those holding another of them: GDP is 生产总值, not also 地区生产总值. The narrower
 * wording would count twice for the passages that happen to use it, and outrank the passage that answers.
 */
function generalTerms(group: readonly string[]): string[] {
  return group.filter((term) => !group.some((other) => other !== term && term.includes(other)));
}

/**
 * Each word's candidates reordered by how many of the question's other words they share a passage with, the
 * dictionary's order kept among equals: "materials" beside "industry" and "action plan" is 材料, not 资料; "project"
 * beside "investment" is 计划, not 投影. A candidate that meets none of them is dropped when another one does.
 * A term no single passage list covers (政府工作报告, split by the tokenizer) is left where it is.
 */
function byCooccurrence(groups: readonly string[][], passagesWith: (term: string) => readonly number[]): string[][] {
  const sets = new Map<string, ReadonlySet<number> | null>();
  const setOf = (term: string): ReadonlySet<number> | null => {
    if (!sets.has(term)) {
      const list = passagesWith(term);
      sets.set(term, list.length > 0 ? new Set(list) : null);
    }
    return sets.get(term)!;
  };
  const meets = (own: ReadonlySet<number>, group: readonly string[]): boolean =>
    group.some((term) => {
      const other = setOf(term);
      return other !== null && intersects(own, other);
    });
  return groups.map((group, g) => {
    if (group.length < 2) return [...group];
    const scored = group.map((term, order) => {
      const own = setOf(term);
      const score = own === null ? null : groups.filter((other, h) => h !== g && meets(own, other)).length;
      return { term, order, score };
    });
    if (scored.some((c) => c.score === null)) return [...group];
    const best = Math.max(...scored.map((c) => c.score!));
    return scored
      .filter((c) => best === 0 || c.score! > 0)
      .sort((a, b) => b.score! - a.score! || a.order - b.order)
      .map((c) => c.term);
  });
}

/** Whether two sets of passage positions share one (walking the smaller). */
function intersects(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const position of small) if (large.has(position)) return true;
  return false;
}

/**
 * Runs of 2–4 neighbouring content words whose lemma bag is a gloss, longest
 * first; their words are consumed. Cut at punctuation, so a phrase never spans
 * two clauses.
 */
function phraseGroups(
  tokens: readonly Token[],
  content: readonly number[],
  consumed: Set<number>,
  lookup: EnglishLookup,
  support: (term: string) => number,
): string[][] {
  const groups: string[][] = [];
  const adjacent = (a: number, b: number): boolean => tokens[b]!.clause === tokens[a]!.clause && b - a <= 2;
  for (let size = MAX_PHRASE; size >= 2; size--) {
    for (let start = 0; start + size <= content.length; start++) {
      const window = content.slice(start, start + size);
      if (window.some((i) => consumed.has(i))) continue;
      if (!window.every((i, k) => k === 0 || adjacent(window[k - 1]!, i))) continue;
      const ranked = rank(lookup, lookup.exact.get(bagKey(window.map((i) => tokens[i]!.lemma))), undefined, support);
      if (ranked.length === 0) continue;
      groups.push(ranked);
      for (const i of window) consumed.add(i);
    }
  }
  return groups;
}

/** The remaining content words one by one (each lemma once); a word no gloss uses may be a romanised name. */
function wordGroups(
  tokens: readonly Token[],
  content: readonly number[],
  consumed: ReadonlySet<number>,
  lookup: EnglishLookup,
  support: (term: string) => number,
  vocabulary: ReadonlySet<string>,
): string[][] {
  const groups: string[][] = [];
  const seenLemmas = new Set<string>();
  for (const i of content) {
    if (consumed.has(i)) continue;
    const { lemma, word } = tokens[i]!;
    if (seenLemmas.has(lemma)) continue;
    seenLemmas.add(lemma);
    let ranked = rank(lookup, lookup.exact.get(lemma), lookup.partial.get(lemma), support);
    if (ranked.length === 0 && !lookup.known.has(word)) ranked = byPinyin(word, lookup, vocabulary);
    if (ranked.length > 0) groups.push(ranked);
  }
  return groups;
}

/** Every key word's best term before any word's second choice, up to `max` distinct terms. */
function roundRobin(groups: readonly string[][], max: number): string[] {
  const out = new Set<string>();
  for (let pass = 0; out.size < max && groups.some((g) => g.length > pass); pass++) {
    for (const group of groups) {
      const term = group[pass];
      if (term !== undefined && out.size < max) out.add(term);
    }
  }
  return [...out];
}

/**
 * Scores a word's or phrase's candidates and keeps the two best that are close
 * to the best. Exact glosses outrank containing ones; earlier senses outrank
 * later ones ("toilet" is 一号's fourth sense, 厕所's first); corpus presence
 * outranks both; single characters lose because they are ambiguous and jieba's
 * search mode yields them anyway.
 */
function rank(
  lookup: EnglishLookup,
  exact: readonly number[] | undefined,
  partial: readonly number[] | undefined,
  support: (term: string) => number,
): string[] {
  const scores = new Map<string, number>();
  const offer = (id: number, score: number): void => {
    const term = lookup.headwords[id]!;
    const present = support(term);
    if (present === 0) return;
    const total = score + (present === 2 ? 4 : 1) - lengthPenalty(term.length) + (term.length > 1 ? lookup.common[id]! : 0);
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

/**
 * Corpus terms whose toneless pinyin spells the word ("daika" → 戴卡). Only for
 * words no gloss uses, so ordinary English never gets here.
 */
function byPinyin(word: string, lookup: EnglishLookup, vocabulary: ReadonlySet<string>): string[] {
  if (vocabulary.size === 0 || !/^[a-z]{4,}$/u.test(word)) return [];
  return (lookup.pinyin.get(word) ?? []).slice(0, 2);
}
