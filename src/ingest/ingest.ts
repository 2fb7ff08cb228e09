import crypto from 'node:crypto';
import { cleanFile, findBoilerplate } from './noise.js';
import { normalizeForIndex } from './normalize.js';
import {
  BYLINE_SECTION,
  CONTENTS_SECTION,
  DEFAULT_SPLITTER,
  HEAD_SECTION,
  MASTHEAD_SECTION,
  packPassages,
  type Draft,
  type SplitterSettings,
} from './passages.js';
import type { Line } from './noise.js';
import { readIssueInfo, splitDocuments, tidyTitle, type DocumentPart } from './structure.js';
import { printedLineAt } from './extract/layout.js';
import type { Citation, DroppedLine, Passage, SourceFile } from './types.js';
import { toUnits } from './units.js';

/** What ingestion found and dropped, for the build summary and the manifest. */
export interface IngestStats {
  files: number;
  documents: number;
  passages: number;
  duplicatesDropped: number;
  noiseLinesDropped: number;
  spamStripped: number;
  /** Passages kept per file name. */
  perFile: Record<string, number>;
}

export interface IngestResult {
  passages: Passage[];
  /** Every source line (or spam phrase) in no passage, with its reason: the cleaner's audit trail. */
  dropped: DroppedLine[];
  stats: IngestStats;
}

/** The form under which two passages count as the same text (repeated reports, re-printed notices). */
export function duplicateKey(text: string): string {
  return normalizeForIndex(text).replace(/[\p{P}\p{S}\s]/gu, '');
}

/** Stable while the file name and the passage text stay the same, whatever moves around it. */
export function passageId(file: string, text: string): string {
  return crypto.createHash('sha1').update(`${file}\n${text}`).digest('hex').slice(0, 12);
}

/**
 * The header lines that say what a document is beyond its title (文号, a
 * speech's date note, a report's subtitle and speaker), quoted with the title
 * lines above them; none when the header is the title alone (the title is shown
 * with every passage already).
 */
function headDrafts(doc: DocumentPart): Draft[] {
  const head = doc.head.length > doc.titleLines ? [metaDraft(doc.head, HEAD_SECTION)] : [];
  return [...head, ...doc.bylines.map((line) => metaDraft([line], BYLINE_SECTION))];
}

/** Lines quoted as they are, one per row, under a section label that says what they are. */
function metaDraft(lines: readonly Line[], label: string): Draft {
  return { text: lines.map((l) => l.text).join('\n'), lines: [lines[0]!.no, lines.at(-1)!.no], section: [label], kind: 'meta' };
}

/** Contents lines further apart than this (in source lines) stand on different pages: cited apart. */
const CONTENTS_GAP = 4;

/**
 * A gazette issue's table of contents, quoted: its entries (each a title and
 * its page) and the category labels among them (【市政府文件】), in runs of
 * adjacent lines no longer than a passage. Cleaning keeps them out of the
 * text (they anchor where documents start); quoted under 目录 they answer what
 * an issue holds and on which page. Returns the drafts and the lines they quote.
 */
function contentsDrafts(dropped: readonly DroppedLine[], maxChars: number): { drafts: Draft[]; quoted: Set<DroppedLine> } {
  const entries = dropped.filter((d) => d.reason === 'table of contents');
  if (entries.length === 0) return { drafts: [], quoted: new Set() };
  const last = Math.max(...entries.map((d) => d.line));
  // Labels after the last entry head the documents themselves; those among the entries are the contents' own.
  const lines = dropped.filter((d) => d.reason === 'table of contents' || (d.reason === 'label' && d.line < last)).sort((a, b) => a.line - b.line);
  const runs: DroppedLine[][] = [];
  let size = 0;
  for (const line of lines) {
    const run = runs.at(-1);
    const previous = run?.at(-1);
    size += line.text.length + 1;
    if (run && previous && line.line - previous.line <= CONTENTS_GAP && size <= maxChars) run.push(line);
    else {
      runs.push([line]);
      size = line.text.length + 1;
    }
  }
  const drafts = runs.map((run): Draft => ({
    text: run.map((l) => l.text).join('\n'),
    lines: [run[0]!.line, run.at(-1)!.line],
    section: [CONTENTS_SECTION],
    kind: 'meta',
  }));
  return { drafts, quoted: new Set(lines) };
}

/**
 * Reads files into citable passages: cleans noise, finds documents and their
 * headings, rejoins broken lines, packs passages and drops any passage whose
 * text was already indexed (so a report printed eight times is cited once, at
 * its first copy).
 */
export function ingest(files: readonly SourceFile[], settings: SplitterSettings = DEFAULT_SPLITTER): IngestResult {
  const boilerplate = findBoilerplate(files);
  const seen = new Set<string>();
  const passages: Passage[] = [];
  const dropped: DroppedLine[] = [];
  const stats: IngestStats = { files: files.length, documents: 0, passages: 0, duplicatesDropped: 0, noiseLinesDropped: 0, spamStripped: 0, perFile: {} };

  for (const file of files) {
    const cleaned = cleanFile(file, boilerplate);
    const issue = readIssueInfo(file.lines);
    const split = splitDocuments(cleaned.lines, cleaned.contents);
    const contents = contentsDrafts(cleaned.dropped, settings.maxChars);
    dropped.push(
      ...cleaned.dropped.filter((d) => !contents.quoted.has(d)),
      ...split.dropped.map(({ line, reason }) => ({ file: file.name, line: line.no, text: line.text, reason })),
    );
    stats.perFile[file.name] = 0;
    const parts: DocumentDrafts[] = [];
    if (split.frontMatter.length > 0 || contents.drafts.length > 0) {
      // A gazette issue's front matter says who publishes it, its editors and its date, and its contents what it holds:
      // quotable, under the issue's name. Named by the file's first line (the publication's name, even when cleaning
      // drops it as a masthead) and the issue.
      const name = tidyTitle(file.lines.find((line) => line.trim())?.trim() ?? file.name);
      const title = issue.label ? `${name} ${issue.label}` : name;
      const masthead = adjacentRuns(file, split.frontMatter).map((run) => metaDraft(run, MASTHEAD_SECTION));
      parts.push({ title, date: issue.date, drafts: [...masthead, ...contents.drafts], isDocument: false });
    }
    for (const doc of split.documents) {
      const units = toUnits(doc.body);
      for (const unit of units) {
        if (unit.kind === 'table')
          dropped.push(...unit.furniture.map((line) => ({ file: file.name, line: line.no, text: line.text, reason: 'page furniture' as const })));
      }
      parts.push({ title: doc.title, date: doc.date, drafts: [...headDrafts(doc), ...packPassages(units, settings)], isDocument: true });
    }
    for (const part of parts) {
      let kept = 0;
      for (const draft of part.drafts) {
        // Header and closing lines repeat across documents (the same office, the same day): they are the same text only within one document.
        const key = duplicateKey(draft.kind === 'meta' ? `${part.title}\n${draft.text}` : draft.text);
        if (!key) continue;
        if (seen.has(key)) {
          stats.duplicatesDropped += 1;
          dropped.push(...linesOf(file, draft).map((line) => ({ ...line, reason: 'repeated copy' as const })));
          continue;
        }
        seen.add(key);
        kept += 1;
        passages.push({
          id: passageId(file.name, draft.text),
          file: file.name,
          title: part.title,
          section: draft.section,
          date: part.date ?? issue.date,
          issue: issue.label,
          lines: draft.lines,
          ...printedSpan(file, draft.lines, draft.text),
          text: draft.text,
          kind: draft.kind,
          ...(draft.header ? { header: draft.header } : {}),
        });
      }
      if (kept > 0 && part.isDocument) stats.documents += 1;
      stats.perFile[file.name] = (stats.perFile[file.name] ?? 0) + kept;
    }
  }
  stats.passages = passages.length;
  stats.spamStripped = dropped.filter((d) => d.reason === 'spam').length;
  stats.noiseLinesDropped = dropped.filter((d) => d.reason !== 'spam' && d.reason !== 'repeated copy').length;
  return { passages, dropped: uniqueDrops(dropped), stats };
}

/** Where in a line a fragment of the passage stands: the longest of a few prefixes (or suffixes) found, else the line's start (end). */
function offsetIn(line: string, text: string, fromEnd: boolean): number {
  for (const length of [16, 8, 4, 2, 1]) {
    if (text.length < length) continue;
    const part = fromEnd ? text.slice(-length) : text.slice(0, length);
    const at = fromEnd ? line.lastIndexOf(part) : line.indexOf(part);
    if (at >= 0) return fromEnd ? at + length - 1 : at;
  }
  return fromEnd ? Math.max(0, line.length - 1) : 0;
}

/**
 * Where a passage was printed, for PDF sources: the page it starts on and the
 * one it ends on, and the printed lines there. A PDF line is a paragraph as
 * printed on one page, so the printed line is found from where the passage
 * starts (ends) inside it.
 */
export function printedSpan(file: SourceFile, lines: readonly [number, number], text: string): Pick<Citation, 'page' | 'pageEnd' | 'pageLines'> {
  const first = file.printed?.[lines[0] - 1];
  const last = file.printed?.[lines[1] - 1];
  if (!first || !last) return {};
  const rows = text.split('\n');
  const start = offsetIn(file.lines[lines[0] - 1]?.trim() ?? '', rows[0]!.trim(), false);
  const end = offsetIn(file.lines[lines[1] - 1]?.trim() ?? '', rows.at(-1)!.trim(), true);
  return {
    page: first.page,
    ...(last.page !== first.page ? { pageEnd: last.page } : {}),
    pageLines: [printedLineAt(first, start), printedLineAt(last, end)],
  };
}

/** A document's passages before deduplication, with the citation fields they share. */
interface DocumentDrafts {
  title: string;
  date: string | null;
  drafts: Draft[];
  /** False for a gazette's masthead, which is not a document of its own. */
  isDocument: boolean;
}

/** Kept lines split where a dropped line stood between them, so each run is quoted from lines that hold nothing else. */
function adjacentRuns(file: SourceFile, lines: readonly Line[]): Line[][] {
  const runs: Line[][] = [];
  lines.forEach((line, k) => {
    const previous = lines[k - 1];
    const gap = previous ? file.lines.slice(previous.no, line.no - 1).some((raw) => raw.trim()) : true;
    if (gap) runs.push([line]);
    else runs.at(-1)!.push(line);
  });
  return runs;
}

/** The non-blank source lines a draft spans. */
function linesOf(file: SourceFile, draft: Draft): Array<{ file: string; line: number; text: string }> {
  const out: Array<{ file: string; line: number; text: string }> = [];
  for (let no = draft.lines[0]; no <= draft.lines[1]; no += 1) {
    const text = file.lines[no - 1]?.trim();
    if (text) out.push({ file: file.name, line: no, text });
  }
  return out;
}

/** One record per line and reason: overlapping windows of a repeated copy name a line more than once. */
function uniqueDrops(dropped: readonly DroppedLine[]): DroppedLine[] {
  const seen = new Set<string>();
  return dropped
    .filter((d) => {
      const key = `${d.file}\u0000${d.line}\u0000${d.reason}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}
