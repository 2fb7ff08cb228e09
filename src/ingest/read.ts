import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError, describeError } from '../errors.js';
import { EXTRACT_VERSION, extractDocument } from './extract/index.js';
import { FORMAT_OF_EXTENSION, formatOfName } from './extract/sniff.js';
import { DocumentSkipped, MAX_FILE_BYTES, type ExtractedText } from './extract/types.js';
import type { SourceFile } from './types.js';

/** File extensions `npm run index` reads (lower case, with the dot): the formats table of the README. */
export const DOCUMENT_EXTENSIONS: readonly string[] = Object.keys(FORMAT_OF_EXTENSION);

/** Whether the indexer reads a file of this name (by its extension, in any case). */
export function isDocumentName(name: string): boolean {
  return formatOfName(name) !== undefined;
}

/** A file of the documents folder that was not indexed, and why (one line, for `skipped FILE: reason`). */
export interface SkippedFile {
  name: string;
  reason: string;
}

/** What reading a documents folder found. */
export interface ReadResult {
  /** The readable documents, in name order. */
  files: SourceFile[];
  /** Files left out, with their reasons; every other file is read. */
  skipped: SkippedFile[];
  /** Files whose text was extracted now, and files whose text came from the cache (same sha256). */
  extracted: number;
  cached: number;
}

/** Options of `readDocuments`. */
export interface ReadOptions {
  /** Folder caching extracted text by the file's sha256, so unchanged PDFs and Word files are not extracted again. */
  cacheDir?: string;
  /** Called for each skipped file as it is found. */
  onSkip?: (skipped: SkippedFile) => void;
}

/** Extensions of document files this indexer cannot read but a person may expect it to. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  '.doc': 'an old Word .doc file; save it as .docx',
  '.wps': 'a WPS file; save it as .docx',
  '.rtf': 'an RTF file; save it as .docx',
};

function folderError(dir: string, problem: string): UserError {
  return new UserError(`The documents folder ${dir} ${problem}; pass --seeds DIR or set SEEDS_DIR to a folder of ${DOCUMENT_EXTENSIONS.join(' ')} files.`);
}

function listFolder(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
      .sort();
  } catch {
    throw folderError(dir, 'cannot be read');
  }
}

/** A cache entry: the extracted text of one file content, under the extractor version that made it. */
interface CacheEntry {
  version: number;
  text: ExtractedText;
}

function readCache(cacheDir: string | undefined, sha256: string): ExtractedText | undefined {
  if (!cacheDir) return undefined;
  try {
    const entry = JSON.parse(fs.readFileSync(path.join(cacheDir, `${sha256}.json`), 'utf8')) as CacheEntry;
    return entry.version === EXTRACT_VERSION && Array.isArray(entry.text.lines) ? entry.text : undefined;
  } catch {
    // No entry, or an unreadable one: extract again.
    return undefined;
  }
}

function writeCache(cacheDir: string | undefined, sha256: string, text: ExtractedText): void {
  if (!cacheDir) return;
  fs.mkdirSync(cacheDir, { recursive: true });
  const entry: CacheEntry = { version: EXTRACT_VERSION, text };
  // Written under a temporary name and renamed, so a build killed midway never leaves half an entry.
  const tmp = path.join(cacheDir, `.${sha256}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(entry));
  fs.renameSync(tmp, path.join(cacheDir, `${sha256}.json`));
}

/** Removes cache entries of files no longer in the folder. */
function pruneCache(cacheDir: string | undefined, keep: ReadonlySet<string>): void {
  if (!cacheDir || !fs.existsSync(cacheDir)) return;
  for (const name of fs.readdirSync(cacheDir)) if (!keep.has(name)) fs.rmSync(path.join(cacheDir, name), { force: true });
}

/**
 * Reads every document of a folder (.txt, .md, .pdf, .docx, .html, .htm), in
 * name order so builds are reproducible, each into lines for the shared
 * cleaning, structure and passage steps. A file that cannot be read is skipped
 * with its reason and the others are read; text extracted from PDF, Word and
 * web pages is cached by sha256.
 */
export async function readDocuments(dir: string, options: ReadOptions = {}): Promise<ReadResult> {
  const result: ReadResult = { files: [], skipped: [], extracted: 0, cached: 0 };
  const skip = (name: string, reason: string): void => {
    const skipped = { name, reason };
    result.skipped.push(skipped);
    options.onSkip?.(skipped);
  };
  const used = new Set<string>();
  const names = listFolder(dir);
  for (const name of names) {
    const ext = path.extname(name).toLowerCase();
    const unsupported = UNSUPPORTED[ext];
    if (unsupported) skip(name, unsupported);
    const format = formatOfName(name);
    if (!format) continue;
    const file = path.join(dir, name);
    try {
      const { size } = fs.statSync(file);
      if (size > MAX_FILE_BYTES) throw new DocumentSkipped(`${(size / 2 ** 20).toFixed(1)} MB, over the ${MAX_FILE_BYTES / 2 ** 20} MB limit`);
      const buffer = fs.readFileSync(file);
      const sha256 = crypto.createHash('sha256').update(buffer).digest('hex');
      let text = format === 'txt' ? undefined : readCache(options.cacheDir, sha256);
      if (text) result.cached += 1;
      else {
        text = await extractDocument(name, file, buffer);
        if (format !== 'txt') {
          result.extracted += 1;
          writeCache(options.cacheDir, sha256, text);
        }
      }
      if (format !== 'txt') used.add(`${sha256}.json`);
      result.files.push({ name, sha256, bytes: buffer.length, lines: text.lines, format: text.format, ...(text.printed ? { printed: text.printed } : {}) });
    } catch (err) {
      skip(name, err instanceof DocumentSkipped ? err.message : `could not be read (${describeError(err)})`);
    }
  }
  pruneCache(options.cacheDir, used);
  if (result.files.length === 0)
    throw folderError(dir, names.some((n) => formatOfName(n)) ? 'holds no readable documents (every one was skipped)' : 'holds no documents');
  return result;
}
