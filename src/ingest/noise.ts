import { compact } from './normalize.js';
import { NOISE_LINES, SPAM_SUFFIXES } from './noise-list.js';
import { CATEGORY_LABEL, DATE_LINE, DOC_NUMBER, HEADING_MARKERS, TOC_ENTRY } from './patterns.js';
import type { DroppedLine, DropReason, SourceFile } from './types.js';

/** A non-empty source line that survived cleaning. */
export interface Line {
  /** 1-based line number in the file. */
  no: number;
  /** The source line as it is (table rows keep their leading tabs: empty cells). */
  raw: string;
  /** The line trimmed, with glued-on spam removed: what may be quoted. */
  text: string;
  /** `text` without white space, for matching shapes. */
  key: string;
  /** True when `text` is the whole trimmed source line (nothing was stripped from it). */
  intact: boolean;
}

/** What cleaning one file kept and dropped. */
export interface CleanedFile {
  lines: Line[];
  /** Titles listed in the file's table of contents (white space removed), to anchor document starts. */
  contents: string[];
  /** Noise lines, and spam phrases cut from kept lines. */
  dropped: DroppedLine[];
}

/**
 * A line that repeats across files is boilerplate (mastheads, editorial boards,
 * imprint lines) when it also looks like a label: short, no sentence inside it,
 * and none of the structural shapes that legitimately repeat (headings, dates,
 * salutations such as `同志们：`, signatures, which `structure.ts` needs).
 */
function looksLikeLabel(key: string): boolean {
  return (
    // A Latin-script masthead (`GAZETTE OF THE PEOPLE'S GOVERNMENT OF …`) is longer in characters than a Chinese one.
    (key.length <= 30 || (/^[\x20-\x7e]+$/u.test(key) && key.length <= 80)) &&
    !/[。，；！？]/u.test(key) &&
    !/[：:]$/u.test(key) &&
    !DATE_LINE.test(key) &&
    !DOC_NUMBER.test(key) &&
    !key.startsWith('附件') &&
    !HEADING_MARKERS.some((marker) => marker.test(key)) &&
    !/(人民政府|办公室)$/u.test(key)
  );
}

/** Lines (white space removed) that appear in two or more files and look like labels. */
export function findBoilerplate(files: readonly SourceFile[]): Set<string> {
  const seenIn = new Map<string, Set<string>>();
  for (const file of files) {
    for (const raw of file.lines) {
      const key = compact(raw);
      if (!key || !looksLikeLabel(key)) continue;
      const owners = seenIn.get(key) ?? new Set<string>();
      owners.add(file.name);
      seenIn.set(key, owners);
    }
  }
  return new Set([...seenIn].filter(([, owners]) => owners.size >= 2).map(([key]) => key));
}

/** Removes spam glued onto the end of a line; returns the line and whether anything was removed. */
export function stripSpam(text: string): { text: string; stripped: boolean } {
  for (const spam of SPAM_SUFFIXES) {
    if (text.endsWith(spam) && text.length > spam.length) return { text: text.slice(0, -spam.length).trimEnd(), stripped: true };
  }
  return { text, stripped: false };
}

/** A table-of-contents line: a title ending in a page number, not a table row (rows have several tabs). */
export function tocTitle(raw: string): string | undefined {
  const line = raw.trim();
  if ((line.match(/\t/gu) ?? []).length > 1) return undefined;
  const match = TOC_ENTRY.exec(line);
  if (!match?.[1]) return undefined;
  const title = compact(match[1]);
  // A sentence broken after a number (`…新建燃气管道 10`) is not an entry: entries are short and have no clauses.
  return /[。；，,]/u.test(title) || /^\d/u.test(title) || title.length > 80 ? undefined : title;
}

/** A page number as printed: `5`, `- 5 -`, `—5—`, `第5页`, `5/15`, `第5页共15页`. */
const PAGE_NUMBER = /^[-—–－~·]*第?\d{1,4}页?(?:[/／]\d{1,4}|共\d{1,4}页)?[-—–－~·]*$/u;

/** Running headers and footers are short: a publication's name, a chapter title, a page number. */
const RUNNING_MAX_CHARS = 40;

/** Indices of lines printed at the top or bottom of their page (the first or last two), where running headers and footers stand. */
function pageEdges(file: SourceFile): Set<number> {
  const edges = new Set<number>();
  const byPage = new Map<number, number[]>();
  file.printed?.forEach((at, i) => byPage.set(at.page, [...(byPage.get(at.page) ?? []), i]));
  for (const indices of byPage.values()) for (const i of [...indices.slice(0, 2), ...indices.slice(-2)]) edges.add(i);
  return edges;
}

/** A line's key with its numbers folded, so `第3页` and `第4页`, or a header carrying the page number, compare equal. */
function runningKey(text: string): string {
  return compact(text).replace(/\d+/gu, '#');
}

/**
 * Page furniture of a printed file (a PDF): lines at the top or bottom of a
 * page that are bare page numbers, or short lines recurring at the edges of
 * most pages (running headers and footers). Returns the indices of those lines;
 * none for files that were not printed on pages.
 */
export function pageFurniture(file: SourceFile): Set<number> {
  const found = new Set<number>();
  if (!file.printed) return found;
  const edges = pageEdges(file);
  const pages = new Set(file.printed.map((at) => at.page)).size;
  const seenOn = new Map<string, Set<number>>();
  for (const i of edges) {
    const key = runningKey(file.lines[i] ?? '');
    if (!key || key.length > RUNNING_MAX_CHARS) continue;
    seenOn.set(key, (seenOn.get(key) ?? new Set()).add(file.printed[i]!.page));
  }
  // A line at the edge of at least half the pages (and three) is a running header or footer, not text.
  const running = new Set([...seenOn].filter(([, on]) => on.size >= 3 && on.size >= pages / 2).map(([key]) => key));
  for (const i of edges) {
    const line = file.lines[i] ?? '';
    if (PAGE_NUMBER.test(compact(line)) || running.has(runningKey(line))) found.add(i);
  }
  return found;
}

/**
 * Drops noise lines by general rules (blank, a PDF's running headers, footers
 * and page numbers, boilerplate shared across files, table-of-contents entries
 * and category labels, the documented noise list) and
 * strips glued-on spam, keeping line numbers for citations.
 */
export function cleanFile(file: SourceFile, boilerplate: ReadonlySet<string>): CleanedFile {
  const lines: Line[] = [];
  const contents: string[] = [];
  const dropped: DroppedLine[] = [];
  const furniture = pageFurniture(file);
  file.lines.forEach((raw, i) => {
    const trimmed = raw.trim();
    if (!trimmed) return;
    const key = compact(trimmed);
    const title = tocTitle(trimmed);
    if (title) contents.push(title);
    const reason: DropReason | null = furniture.has(i)
      ? 'page furniture'
      : title
        ? 'table of contents'
        : CATEGORY_LABEL.test(key)
          ? 'label'
          : boilerplate.has(key)
            ? 'masthead'
            : NOISE_LINES.includes(trimmed)
              ? 'page furniture'
              : null;
    if (reason) {
      dropped.push({ file: file.name, line: i + 1, text: trimmed, reason });
      return;
    }
    const { text, stripped } = stripSpam(trimmed);
    if (stripped) dropped.push({ file: file.name, line: i + 1, text: trimmed.slice(text.length).trim(), reason: 'spam' });
    lines.push({ no: i + 1, raw: raw.trimEnd(), text, key: compact(text), intact: !stripped });
  });
  return { lines, contents, dropped };
}
