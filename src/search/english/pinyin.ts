import { pinyin } from 'pinyin-pro';

/** Corpus terms that may be romanised names: two to four Han characters. */
const NAME_LIKE = /^[\u4e00-\u9fff]{2,4}$/u;
/** A polyphonic term's spellings grow as a product; past this many, later readings are unlikely anyway. */
const MAX_SPELLINGS = 8;

/**
 * Corpus terms by their toneless pinyin spelling ("daika" → 戴卡): local
 * companies, towns and villages the dictionary lacks are written in pinyin by
 * English speakers. Every reading of each character counts, since an English
 * text may spell a name by any of them; terms read so as whole words (pinyin-pro
 * reads 影响 ying xiang, 景象 jing xiang) come before terms spelt so only by a
 * rarer reading of a character.
 */
export function pinyinSpellings(vocabulary: Iterable<string>): Map<string, string[]> {
  const usual = new Map<string, string[]>();
  const rarer = new Map<string, string[]>();
  for (const term of vocabulary) {
    if (!NAME_LIKE.test(term)) continue;
    const reading = wordReading(term);
    for (const spelling of spellingsOf(term)) add(spelling === reading ? usual : rarer, spelling, term);
  }
  for (const [spelling, terms] of rarer) for (const term of terms) add(usual, spelling, term);
  return usual;
}

/** Appends a term under a spelling. */
function add(index: Map<string, string[]>, spelling: string, term: string): void {
  const terms = index.get(spelling);
  if (terms) terms.push(term);
  else index.set(spelling, [term]);
}

/** How a term is read as a word (pinyin-pro picks each polyphonic character's reading from the word around it). */
function wordReading(term: string): string {
  return asEnglishWrites(pinyin(term, { type: 'array', toneType: 'none', v: true }).join(''));
}

/** A term's spellings, one reading per character, most common readings first. */
function spellingsOf(term: string): string[] {
  let spellings = [''];
  for (const char of term) spellings = spellings.flatMap((s) => readingsOf(char).map((r) => s + r)).slice(0, MAX_SPELLINGS);
  return spellings;
}

/** A character's toneless readings, as English texts write them. */
function readingsOf(char: string): string[] {
  const readings = pinyin(char, { multiple: true, type: 'array', toneType: 'none', v: true }).map(asEnglishWrites);
  return [...new Set(readings)].filter((r) => /^[a-z]+$/u.test(r));
}

/** English texts write ü as u ("Lüshi" is written "Lushi"); pinyin-pro's `v` option spells it v. */
function asEnglishWrites(reading: string): string {
  return reading.replace(/v/gu, 'u');
}
