import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as jieba from 'nodejs-jieba';

/**
 * jieba's full dictionary (350k words) costs about 260 MB of native memory in
 * cppjieba's trie; words seen fewer than this many times in jieba's own corpus
 * add little to segmentation but most of that memory. Dropping them keeps the
 * bot within its memory budget (about 120 MB instead of 260 MB).
 */
export const MIN_WORD_FREQUENCY = 5;

/** Changes whenever segmentation does, so an index built with other segmentation is rebuilt. */
export const SEGMENTER_ID = `jieba-f${MIN_WORD_FREQUENCY}`;

let loaded = false;

/** Writes the filtered dictionary once per machine (named by the source's hash), atomically. */
function filteredDictionary(): string {
  const source = fs.readFileSync(jieba.DEFAULT_DICT, 'utf8');
  const hash = crypto.createHash('sha256').update(source).digest('hex').slice(0, 12);
  const file = path.join(os.tmpdir(), `smx-jieba-${hash}-f${MIN_WORD_FREQUENCY}.utf8`);
  if (fs.existsSync(file)) return file;
  const kept = source.split('\n').filter((line) => Number(line.split(' ')[1]) >= MIN_WORD_FREQUENCY);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${kept.join('\n')}\n`);
  fs.renameSync(tmp, file);
  return file;
}

/** Loads jieba with the filtered dictionary, once, before any segmentation. */
function ensureLoaded(): void {
  if (loaded) return;
  jieba.load({ dict: filteredDictionary() });
  loaded = true;
}

/** jieba search-mode segmentation: each long word plus its sub-words. */
export function cutForSearch(text: string, strict?: boolean): string[] {
  ensureLoaded();
  return jieba.cutForSearch(text, strict);
}

/** Every dictionary word found anywhere in the text. */
export function cutAll(text: string): string[] {
  ensureLoaded();
  return jieba.cutAll(text);
}

/** Words with part-of-speech tags (`ns` place names, `n` nouns, …). */
export function tag(text: string): jieba.TagResult[] {
  ensureLoaded();
  return jieba.tag(text);
}
