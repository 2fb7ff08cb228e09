/*
 * The English→Chinese lookup: CC-CEDICT read backwards, restricted to what one
 * corpus's vocabulary can match. `npm run index` builds it (`reverse.ts`) and
 * stores it with the index as `english.json`; search loads it with the index,
 * so the bot never reads the 16 MB dictionary.
 */

/**
 * The lookup in memory. Hits are flat number arrays, not objects: reversing
 * all of CC-CEDICT, as an empty vocabulary does, yields about a million.
 */
export interface EnglishLookup {
  /** Simplified headwords the corpus supports, in dictionary order; hits refer to them by position. */
  headwords: readonly string[];
  /** Per headword, a small bonus for words many other headwords are built on: a stand-in for frequency. */
  common: readonly number[];
  /** Bag of gloss lemmas (sorted, space-joined) → flat [headword, sense rank, …]. */
  exact: ReadonlyMap<string, readonly number[]>;
  /** One gloss lemma → flat [headword, sense rank, gloss size, …] for glosses that merely contain it. */
  partial: ReadonlyMap<string, readonly number[]>;
  /** Every English word the whole dictionary's glosses use: what the lemmatiser may reduce a word to. */
  known: ReadonlySet<string>;
  /** Toneless pinyin spelling ("daika") → corpus terms of 2–4 Han characters spelt so, for romanised names. */
  pinyin: ReadonlyMap<string, readonly string[]>;
}

/** The lookup as stored in `english.json`: maps as [key, value] pairs, so no key can clash with an object's own. */
export interface EnglishLookupFile {
  /** Identifies what the lookup was built from (vocabulary, dictionary, builder); equal keys mean an equal lookup. */
  key: string;
  headwords: string[];
  common: number[];
  exact: Array<[string, number[]]>;
  partial: Array<[string, number[]]>;
  known: string[];
  pinyin: Array<[string, string[]]>;
}

/** The stored form of a lookup built from `key`. */
export function toLookupFile(lookup: EnglishLookup, key: string): EnglishLookupFile {
  return {
    key,
    headwords: [...lookup.headwords],
    common: [...lookup.common],
    exact: [...lookup.exact].map(([k, hits]) => [k, [...hits]]),
    partial: [...lookup.partial].map(([k, hits]) => [k, [...hits]]),
    known: [...lookup.known],
    pinyin: [...lookup.pinyin].map(([k, terms]) => [k, [...terms]]),
  };
}

/** A stored lookup ready for translating. */
export function fromLookupFile(file: EnglishLookupFile): EnglishLookup {
  return {
    headwords: file.headwords,
    common: file.common,
    exact: new Map(file.exact),
    partial: new Map(file.partial),
    known: new Set(file.known),
    pinyin: new Map(file.pinyin),
  };
}

/** Whether parsed JSON has the stored lookup's shape (the checksum already guards its bytes; this guards a reshaped file). */
export function isLookupFile(value: unknown): value is EnglishLookupFile {
  if (typeof value !== 'object' || value === null) return false;
  const file = value as Partial<Record<keyof EnglishLookupFile, unknown>>;
  const fields = [file.headwords, file.common, file.exact, file.partial, file.known, file.pinyin];
  return typeof file.key === 'string' && fields.every(Array.isArray);
}
