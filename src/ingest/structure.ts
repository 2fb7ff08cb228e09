import type { Line } from './noise.js';
import { compact } from './normalize.js';
import { DATE_IN_TEXT, DATE_LINE, DOC_NUMBER, EXPLANATION_TITLE, HEADING_MARKERS, REPORT_SUBTITLE, SPEECH_DATE, TERMINAL } from './patterns.js';

/** A document found inside a file (a gazette issue holds many). */
export interface DocumentPart {
  title: string;
  /** ISO date the document itself gives, if any. */
  date: string | null;
  /** Official document number, e.g. `三政办〔2020〕4号`. */
  number: string | null;
  /**
   * The header lines: the title lines, then those that say what the document
   * is (文号, a speech's date note, a report's subtitle and speaker line).
   */
  head: Line[];
  /** How many of `head` are title lines. */
  titleLines: number;
  /** Lines under the headline repeating part of the title: a byline (`全国人大代表、三门峡市市长安伟`). */
  bylines: Line[];
  /** Lines after the header, up to the next document. */
  body: Line[];
}

/** A line that is in no document, and why. */
export interface DroppedSourceLine {
  line: Line;
  reason: 'repeated copy';
}

/** Gazette issue facts read from the masthead before it is dropped. */
export interface IssueInfo {
  label: string | null;
  date: string | null;
}

/** `2020年3月10日` → `2020-03-10`. */
export function isoDate(year: string, month: string, day?: string): string {
  const parts = [year, month.padStart(2, '0')];
  if (day) parts.push(day.padStart(2, '0'));
  return parts.join('-');
}

function dateIn(key: string): string | null {
  const m = DATE_IN_TEXT.exec(key);
  return m?.[1] && m[2] && m[3] ? isoDate(m[1], m[2], m[3]) : null;
}

/** Reads the issue number and publication date from a gazette masthead (raw lines, before cleaning drops them). */
export function readIssueInfo(rawLines: readonly string[]): IssueInfo {
  let number: RegExpExecArray | null = null;
  let published: RegExpExecArray | null = null;
  for (const raw of rawLines) {
    const key = compact(raw);
    number ??= /^第(\d+)号[(（]总第(\d+)号[)）]$/u.exec(key);
    published ??= /^出版日期[:：](\d{4})年(\d{1,2})月(\d{1,2})日$/u.exec(key);
  }
  const date = published?.[1] && published[2] && published[3] ? isoDate(published[1], published[2], published[3]) : null;
  const label = number && published ? `${published[1]}年第${number[1]}号（总第${number[2]}号）` : null;
  return { label, date };
}

/** Folds bracket variants so a contents entry and its body title compare equal. */
function foldKey(key: string): string {
  return key.replace(/（/gu, '(').replace(/）/gu, ')');
}

/** Close enough to a contents entry: equal, or off by a character or two in a long title (typos between TOC and body). */
function matchesContents(key: string, contents: ReadonlySet<string>): boolean {
  const folded = foldKey(key);
  if (folded.length < 6) return false;
  if (contents.has(folded)) return true;
  for (const entry of contents) {
    if (entry.length < 12 || Math.abs(entry.length - folded.length) > 2) continue;
    let prefix = 0;
    while (prefix < entry.length && entry[prefix] === folded[prefix]) prefix += 1;
    let suffix = 0;
    while (suffix < entry.length - prefix && entry[entry.length - 1 - suffix] === folded[folded.length - 1 - suffix]) suffix += 1;
    if (prefix + suffix >= Math.max(entry.length, folded.length) - 2) return true;
  }
  return false;
}

function isSignature(lines: readonly Line[], i: number): boolean {
  const next = lines[i + 1];
  return /(人民政府|办公室)$/u.test(lines[i]?.key ?? '') && lines[i]!.key.length <= 16 && !!next && DATE_LINE.test(next.key);
}

/** A line that can be (part of) a title: short, not a sentence, not a date, heading or table row. */
function isTitleLike(lines: readonly Line[], i: number): boolean {
  const line = lines[i];
  if (!line) return false;
  return (
    line.key.length <= 60 &&
    !TERMINAL.test(line.key) &&
    !/[:：]/u.test(line.key) &&
    !line.text.includes('\t') &&
    !DATE_LINE.test(line.key) &&
    !HEADING_MARKERS.some((marker) => marker.test(line.key)) &&
    !isSignature(lines, i)
  );
}

interface Head {
  start: number;
  titleEnd: number;
  bodyStart: number;
  date: string | null;
  number: string | null;
}

/** Walks back from a signal line over at most two title lines. */
function titleStart(lines: readonly Line[], signal: number, isSignal: (i: number) => boolean): number {
  let start = signal;
  while (start > 0 && signal - start < 2 && isTitleLike(lines, start - 1) && !isSignal(start - 1)) start -= 1;
  return start;
}

/**
 * Finds where documents start, from signals that hold across government
 * documents: a speech's `(date，根据录音整理)` note, a document-number line, a
 * report's `——date…会议上` subtitle, a `《…》解读` title, and the gazette's own
 * table of contents. Each gives the title lines above it and the header lines
 * it ends.
 */
function findHeads(lines: readonly Line[], contents: ReadonlySet<string>): Head[] {
  const signal = (i: number): boolean => {
    const key = lines[i]?.key ?? '';
    return SPEECH_DATE.test(key) || DOC_NUMBER.test(key) || REPORT_SUBTITLE.test(key) || EXPLANATION_TITLE.test(key);
  };
  const heads = new Map<number, Head>();
  const add = (head: Head): void => {
    const old = heads.get(head.start);
    heads.set(
      head.start,
      old ? { ...old, bodyStart: Math.max(old.bodyStart, head.bodyStart), date: old.date ?? head.date, number: old.number ?? head.number } : head,
    );
  };
  lines.forEach((line, i) => {
    const { key } = line;
    if (SPEECH_DATE.test(key) || DOC_NUMBER.test(key)) {
      const start = titleStart(lines, i, signal);
      if (start === i) return; // a signal with no title above it is a citation inside text
      add({
        start,
        titleEnd: i - 1,
        bodyStart: i + 1,
        date: SPEECH_DATE.test(key) ? dateIn(key) : null,
        number: DOC_NUMBER.test(key) ? line.text.replace(/\s+/gu, '') : null,
      });
    } else if (REPORT_SUBTITLE.test(key)) {
      const start = titleStart(lines, i, signal);
      // The speaker line under a report's subtitle (`三门峡市人民政府市长 安伟`) belongs to the header.
      const speaker = isTitleLike(lines, i + 1) && (lines[i + 1]?.key.length ?? 99) <= 20 ? 1 : 0;
      add({ start, titleEnd: Math.max(start, i - 1), bodyStart: i + 1 + speaker, date: dateIn(key), number: null });
    } else if (EXPLANATION_TITLE.test(key)) {
      add({ start: i, titleEnd: i, bodyStart: i + 1, date: null, number: null });
    } else if (contents.size > 0 && isTitleLike(lines, i)) {
      const two = lines[i + 1] && isTitleLike(lines, i + 1) ? key + lines[i + 1]!.key : '';
      if (matchesContents(key, contents)) add({ start: i, titleEnd: i, bodyStart: i + 1, date: null, number: null });
      else if (two && matchesContents(two, contents)) add({ start: i, titleEnd: i + 1, bodyStart: i + 2, date: null, number: null });
    }
  });
  const sorted = [...heads.values()].sort((a, b) => a.start - b.start);
  // A title found by the contents and again by its number is one head: keep the first, merged.
  return sorted.filter((head, k) => k === 0 || head.start > sorted[k - 1]!.bodyStart - 1);
}

/** Title text for display: white space next to Chinese characters is layout, not meaning. */
export function tidyTitle(text: string): string {
  return text
    .replace(/\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”《》])/gu, '')
    .replace(/(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”《》])\s+/gu, '')
    .trim();
}

/** The first date line in a body: a signature date. */
function signatureDate(body: readonly Line[]): string | null {
  for (const line of body) {
    const m = DATE_LINE.exec(line.key);
    if (m?.[1] && m[2] && m[3]) return isoDate(m[1], m[2], m[3]);
  }
  return null;
}

/**
 * `关于印发X的通知` carries plan X after its signature: X starts a document of
 * its own (better titled by X), dated and numbered by the notice.
 */
function splitEmbedded(doc: DocumentPart): DocumentPart[] {
  const issued = /关于印发(.+?)的通知$/u.exec(compact(doc.title))?.[1];
  if (!issued) return [doc];
  const at = doc.body.findIndex((line) => line.key === issued || line.key === `《${issued}》`);
  if (at < 0) return [doc];
  const notice = { ...doc, body: doc.body.slice(0, at) };
  const date = doc.date ?? signatureDate(notice.body);
  return [
    { ...notice, date },
    { title: tidyTitle(doc.body[at]!.text), date, number: doc.number, head: [doc.body[at]!], titleLines: 1, bylines: [], body: doc.body.slice(at + 1) },
  ];
}

/** Documents of a file, and the lines that were dropped around them. */
export interface SplitFile {
  documents: DocumentPart[];
  /** Lines before the first document when a file has document heads: a gazette's masthead (issue, publisher, editors, date). */
  frontMatter: Line[];
  /** The title lines of repeated copies. */
  dropped: DroppedSourceLine[];
}

/**
 * A body line that repeats the whole title starts another copy of the document
 * (one file holds the same report eight times): it splits the body there, and
 * deduplication drops the copy. A line that repeats part of the title is a
 * byline (`全国人大代表、三门峡市市长安伟` under the headline), unless it signs
 * the document above a date.
 */
function splitRepeats(doc: DocumentPart, dropped: DroppedSourceLine[]): DocumentPart[] {
  const title = compact(doc.title);
  const parts: DocumentPart[] = [{ ...doc, body: [] }];
  doc.body.forEach((line, i) => {
    if (line.key === title) {
      // The copy's header is its title alone: its passages repeat the first copy's and are dropped as such.
      dropped.push({ line, reason: 'repeated copy' });
      parts.push({ ...doc, head: [], titleLines: 0, bylines: [], body: [] });
    } else if (line.key.length >= 6 && title.includes(line.key) && !TERMINAL.test(line.key) && !isSignature(doc.body, i)) parts.at(-1)!.bylines.push(line);
    else parts.at(-1)!.body.push(line);
  });
  return parts;
}

/**
 * Splits a cleaned file into documents. A file with no document signals is one
 * document, titled by its first line (or first two, when the first is a lead-in
 * ending in a colon, as in `全国人大代表、三门峡市市长安伟：` + headline).
 */
export function splitDocuments(lines: readonly Line[], contents: readonly string[]): SplitFile {
  const heads = findHeads(lines, new Set(contents.map(foldKey)));
  if (heads.length === 0) {
    const first = lines[0];
    if (!first) return { documents: [], frontMatter: [], dropped: [] };
    const second = lines[1];
    const two = /[:：]$/u.test(first.key) && second && second.key.length <= 60 && !TERMINAL.test(second.key);
    const title = tidyTitle(two ? `${first.text}${second.text}` : first.text);
    const year = /^(\d{4})年/u.exec(first.key)?.[1] ?? null;
    const dropped: DroppedSourceLine[] = [];
    const titleLines = two ? 2 : 1;
    const doc = { title, date: year, number: null, head: lines.slice(0, titleLines), titleLines, bylines: [], body: lines.slice(titleLines) };
    return { documents: splitRepeats(doc, dropped), frontMatter: [], dropped };
  }
  const dropped: DroppedSourceLine[] = [];
  const documents = heads.flatMap((head, k) => {
    const end = heads[k + 1]?.start ?? lines.length;
    const title = tidyTitle(
      lines
        .slice(head.start, head.titleEnd + 1)
        .map((l) => l.text)
        .join(' '),
    );
    const body = lines.slice(head.bodyStart, end);
    const doc = {
      title,
      date: head.date ?? signatureDate(body),
      number: head.number,
      head: lines.slice(head.start, head.bodyStart),
      titleLines: head.titleEnd + 1 - head.start,
      bylines: [],
      body,
    };
    return splitEmbedded(doc).flatMap((part) => splitRepeats(part, dropped));
  });
  return { documents, frontMatter: lines.slice(0, heads[0]!.start), dropped };
}
