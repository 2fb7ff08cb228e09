import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { formatOfName } from './extract/sniff.js';
import { DOCUMENT_EXTENSIONS, isDocumentName } from './read.js';

/**
 * The documents folder as staff manage it from the chat: a safe name for an
 * uploaded file, a check that its content is something the indexer can read,
 * and storing, replacing and removing files without ever overwriting one
 * silently or leaving one half-written.
 */

/** Longest stored file name, in UTF-8 bytes (file systems allow 255; room is left for a temporary suffix). */
export const MAX_NAME_BYTES = 180;

/** Why a file cannot go into the documents folder (or come out of it). */
export type LibraryProblem =
  /** The name's extension is not one the indexer reads. */
  | { kind: 'type'; name: string; accepted: readonly string[] }
  /** The file holds nothing (or only white space). */
  | { kind: 'empty'; name: string }
  /** A text file that is not UTF-8 (often GBK from Windows). */
  | { kind: 'not-utf8'; name: string }
  /** A file named as text that holds binary data. */
  | { kind: 'binary'; name: string }
  /** Another file of this name is already there and replacing was not asked for. */
  | { kind: 'exists'; name: string }
  /** The same content is already there (under this or another name). */
  | { kind: 'duplicate'; name: string; existing: string }
  /** No file of this name in the folder. */
  | { kind: 'missing'; name: string; closest: string[] }
  /** The build left the file out (with the build's reason when it gives one). */
  | { kind: 'not-indexed'; name: string; reason: string | null }
  /** The build read the file but it adds no passage: blank, noise, or text already indexed. */
  | { kind: 'no-passages'; name: string };

/** A refusal with its reason as data, for the caller to word for people. */
export class LibraryError extends Error {
  override readonly name = 'LibraryError';
  constructor(readonly problem: LibraryProblem) {
    super(`${problem.kind}: ${problem.name}`);
  }
}

/** One file of the documents folder. */
export interface LibraryFile {
  name: string;
  bytes: number;
  sha256: string;
}

export function sha256(data: Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** Windows device names, which no file may be called whatever its extension. */
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/iu;

/** Cuts a string to at most `max` UTF-8 bytes without splitting a character. */
function clipBytes(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch) > max) break;
    out += ch;
  }
  return out;
}

/**
 * A safe name for a file as the sender called it: the last path component only
 * (no `../`, no folders, either slash), control and invisible formatting
 * characters (bidi overrides that disguise an extension, zero-width spaces)
 * removed, characters file systems refuse replaced by `_`, white space folded,
 * no leading dot (no hidden files), the extension in lower case, and at most
 * MAX_NAME_BYTES bytes. Chinese and other letters are kept. An empty stem
 * becomes `document`.
 */
export function safeFileName(raw: string): string {
  const base = raw.normalize('NFC').split(/[/\\]/u).at(-1) ?? '';
  const cleaned = base
    .replace(/\s+/gu, ' ')
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/[<>:"|?*]/gu, '_')
    .trim()
    .replace(/^[.\s]+/u, '');
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 ? cleaned.slice(dot).toLowerCase().replace(/\s/gu, '') : '';
  let stem = (dot > 0 ? cleaned.slice(0, dot) : cleaned).replace(/[.\s]+$/u, '');
  if (RESERVED.test(stem)) stem = `_${stem}`;
  stem = clipBytes(stem, MAX_NAME_BYTES - Buffer.byteLength(ext)).trim() || 'document';
  return stem + ext;
}

/**
 * Checks that a file's content is something the indexer can read, by its
 * content, not just its name: text must be UTF-8 (a BOM is fine), hold no
 * binary data and not be empty. Formats the indexer reads by other means are
 * left to the build, which reports what it skips. Returns the problem, or null.
 */
export function contentProblem(name: string, data: Buffer): LibraryProblem | null {
  if (!isDocumentName(name)) return { kind: 'type', name, accepted: DOCUMENT_EXTENSIONS };
  // Plain text (.txt, .md) is checked here; the other formats are read, and judged, by the build.
  if (formatOfName(name) !== 'txt') return null;
  // NUL and other C0 controls (tab, line breaks and form feed aside) occur in no text, UTF-8 or GBK.
  if (data.some((byte) => byte < 0x09 || (byte > 0x0d && byte < 0x20) || byte === 0x7f)) return { kind: 'binary', name };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return { kind: 'not-utf8', name };
  }
  if (text.replace(/^\uFEFF/u, '').trim() === '') return { kind: 'empty', name };
  return null;
}

/** The files the indexer reads in a folder, in name order. */
export function listLibrary(dir: string): LibraryFile[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && isDocumentName(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const data = fs.readFileSync(path.join(dir, name));
      return { name, bytes: data.length, sha256: sha256(data) };
    });
}

/** Edit distance between two strings, by code point. */
function distance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i += 1) {
    const next = [i];
    for (let j = 1; j <= y.length; j += 1) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    row = next;
  }
  return row[y.length]!;
}

/** The names most like `name` (containing it first, then by edit distance), at most `n`. */
export function closestNames(name: string, names: readonly string[], n = 5): string[] {
  const wanted = name.toLowerCase();
  const score = (candidate: string): number => {
    const lower = candidate.toLowerCase();
    return lower.includes(wanted) || wanted.includes(lower.replace(/\.[^.]+$/u, '')) ? -1 : distance(wanted, lower);
  };
  return [...names]
    .map((candidate) => ({ candidate, score: score(candidate) }))
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, n)
    .map((s) => s.candidate);
}

/** What storing a file changed, so it can be undone if the index cannot take it. */
export interface Stored {
  name: string;
  /** The content it replaced, or null for a new file. */
  previous: Buffer | null;
}

/**
 * Stores a file under `name` (already made safe by `safeFileName`). A new name
 * is linked into place, so a file that appeared meanwhile is never overwritten;
 * an existing name is replaced (by rename, never half-written) only when
 * `replace` is set. Content already in the folder is refused as a duplicate.
 */
export function storeFile(dir: string, name: string, data: Buffer, replace: boolean): Stored {
  if (name !== safeFileName(name) || name !== path.basename(name)) throw new Error(`unsafe file name ${JSON.stringify(name)}`);
  const problem = contentProblem(name, data);
  if (problem) throw new LibraryError(problem);
  const hash = sha256(data);
  const same = listLibrary(dir).find((file) => file.sha256 === hash);
  if (same) throw new LibraryError({ kind: 'duplicate', name, existing: same.name });
  const target = path.join(dir, name);
  const previous = fs.existsSync(target) ? fs.readFileSync(target) : null;
  if (previous && !replace) throw new LibraryError({ kind: 'exists', name });
  const tmp = path.join(dir, `.upload-${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`);
  fs.writeFileSync(tmp, data);
  try {
    if (previous) fs.renameSync(tmp, target);
    else fs.linkSync(tmp, target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new LibraryError({ kind: 'exists', name });
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return { name, previous };
}

/** Removes a file of the folder; returns its content so the removal can be undone. */
export function removeFile(dir: string, name: string): Stored {
  const names = listLibrary(dir).map((file) => file.name);
  if (!names.includes(name)) throw new LibraryError({ kind: 'missing', name, closest: closestNames(name, names) });
  const target = path.join(dir, name);
  const previous = fs.readFileSync(target);
  fs.rmSync(target);
  return { name, previous };
}

/** Undoes `storeFile` or `removeFile`: puts back what was there before (or removes a new file). */
export function undo(dir: string, stored: Stored): void {
  const target = path.join(dir, stored.name);
  if (!stored.previous) return void fs.rmSync(target, { force: true });
  const tmp = path.join(dir, `.undo-${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`);
  fs.writeFileSync(tmp, stored.previous);
  fs.renameSync(tmp, target);
}
