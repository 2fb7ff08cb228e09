import type { Line } from './noise.js';
import { QUESTION_RANK } from './patterns.js';
import { tidyTitle } from './structure.js';
import type { PassageKind } from './types.js';
import type { Unit } from './units.js';

/** Section label of a document's header lines (title with 文号, date note, subtitle) when quoted. */
export const HEAD_SECTION = '文头';

/** Section label of a byline under a headline when quoted. */
export const BYLINE_SECTION = '署名';

/** Section label of a gazette issue's own masthead lines (issue number, publisher, editors, publication date) when quoted. */
export const MASTHEAD_SECTION = '刊头';

/** Section label of a gazette issue's table of contents (its entries with their pages, and the category labels among them) when quoted. */
export const CONTENTS_SECTION = '目录';

/** Section label of a document's closing lines (signing office, date) when quoted. */
export const CLOSING_SECTION = '落款';

/** How passages are sized, in characters of source text. Stored in the manifest. */
export interface SplitterSettings {
  /** Paragraphs shorter than this merge with a neighbour in the same section. */
  minChars: number;
  /** A long paragraph is cut into windows of about this size... */
  targetChars: number;
  /** ...and never more than this (bge truncates past 512 tokens). */
  maxChars: number;
  /** The last sentence of a window repeats at the start of the next when it is at most this long. */
  overlapChars: number;
}

export const DEFAULT_SPLITTER: SplitterSettings = { minChars: 80, targetChars: 300, maxChars: 400, overlapChars: 120 };

/** A passage before it gets its document's citation fields. */
export interface Draft {
  text: string;
  lines: [number, number];
  section: string[];
  kind: PassageKind;
  /** For table passages: the header rows, shown above the rows. */
  header?: string;
}

/** Text with a map from character offset to source line. */
interface Mapped {
  text: string;
  /** [start offset, line number], ascending. */
  starts: Array<[number, number]>;
}

/** Joins paragraphs (each a run of lines, rejoined without breaks) with newlines between paragraphs. */
function mapParagraphs(paragraphs: readonly (readonly Line[])[]): Mapped {
  let text = '';
  const starts: Array<[number, number]> = [];
  paragraphs.forEach((lines, k) => {
    if (k > 0) text += '\n';
    for (const line of lines) {
      starts.push([text.length, line.no]);
      text += line.text;
    }
  });
  return { text, starts };
}

function lineAt(mapped: Mapped, offset: number): number {
  let no = mapped.starts[0]?.[1] ?? 0;
  for (const [start, line] of mapped.starts) {
    if (start > offset) break;
    no = line;
  }
  return no;
}

/** Sentence spans: cut after 。！？； (with closing quotes) and at paragraph breaks. */
function sentences(text: string, maxChars: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const re = /[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』）)]*|\n|$)/gu;
  for (const m of text.matchAll(re)) {
    if (!m[0]) continue;
    const start = m.index ?? 0;
    let from = start;
    const end = start + m[0].length;
    // A sentence longer than a passage is cut at commas, the next-best boundary.
    while (end - from > maxChars) {
      const slice = text.slice(from, from + maxChars);
      const cut = Math.max(slice.lastIndexOf('，'), slice.lastIndexOf('、'), slice.lastIndexOf(','));
      const to = from + (cut > maxChars / 3 ? cut + 1 : maxChars);
      spans.push([from, to]);
      from = to;
    }
    spans.push([from, end]);
  }
  return spans;
}

/** Cuts mapped text into overlapping windows at sentence ends. */
export function windows(mapped: Mapped, settings: SplitterSettings): Array<{ text: string; lines: [number, number] }> {
  const spans = sentences(mapped.text, settings.maxChars);
  const out: Array<{ text: string; lines: [number, number] }> = [];
  let k = 0;
  while (k < spans.length) {
    const start = spans[k]![0];
    let j = k;
    while (j + 1 < spans.length) {
      const length = spans[j + 1]![1] - start;
      if (length <= settings.targetChars || (spans[j]![1] - start < settings.minChars && length <= settings.maxChars)) j += 1;
      else break;
    }
    const end = spans[j]![1];
    const raw = mapped.text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text) out.push({ text, lines: [lineAt(mapped, start + lead), lineAt(mapped, start + lead + text.length - 1)] });
    if (j + 1 >= spans.length) break;
    const last = spans[j]!;
    k = j > k && last[1] - last[0] <= settings.overlapChars ? j : j + 1;
  }
  return out;
}

/** The heading path as titles, outermost first. */
type Stack = Array<{ rank: number; title: string }>;

function enter(stack: Stack, rank: number, title: string): Stack {
  return [...stack.filter((h) => h.rank < rank), { rank, title }];
}

/**
 * Packs a document's units into passages of about one paragraph: short
 * paragraphs merge with neighbours in the same section, long ones become
 * overlapping windows, a question stays with its answer, and tables are cut
 * between rows, each piece carrying the header rows.
 */
export function packPassages(units: readonly Unit[], settings: SplitterSettings = DEFAULT_SPLITTER): Draft[] {
  const drafts: Draft[] = [];
  let stack: Stack = [];
  /** Paragraphs waiting to become a passage; `context` is the heading path after its last paragraph. */
  let buffer: { paragraphs: Line[][]; section: string[]; inner: string[]; context: string; kind: PassageKind } | null = null;
  let heading: Line | null = null;
  let question: Line[] | null = null;

  const pathKey = (s: Stack): string => s.map((h) => h.title).join('\u0000');
  const size = (paragraphs: readonly (readonly Line[])[]): number => paragraphs.reduce((n, p) => n + p.reduce((m, l) => m + l.text.length, 0), 0);
  /**
   * `inner` is the section of the windows after the first: a numbered item
   * (`3.实施全民健身行动。…`) is cited under the section above it, where its own
   * title opens the first window; the later windows no longer hold that title,
   * so they carry it in their section path.
   */
  const emit = (paragraphs: Line[][], section: string[], kind: PassageKind, inner: string[] = section): void => {
    const mapped = mapParagraphs(paragraphs);
    const parts =
      mapped.text.length > settings.maxChars
        ? windows(mapped, settings)
        : [{ text: mapped.text, lines: [lineAt(mapped, 0), lineAt(mapped, mapped.text.length - 1)] as [number, number] }];
    parts.forEach((part, k) => drafts.push({ ...part, section: k === 0 ? section : inner, kind }));
  };
  const flush = (): void => {
    if (buffer) emit(buffer.paragraphs, buffer.section, buffer.kind, buffer.inner);
    buffer = null;
  };
  /**
   * Adds a paragraph. Its passage is cited under the section that holds it: for
   * a paragraph opening with its own heading (a numbered item), the section
   * above that heading, so sibling items can share a passage.
   */
  const add = (paragraphs: Line[][], kind: PassageKind, runInRank: number | null): void => {
    const parent = runInRank === null ? stack : stack.filter((h) => h.rank < runInRank);
    const context = pathKey(stack);
    const length = size(paragraphs);
    if (buffer && buffer.kind === kind) {
      const held = size(buffer.paragraphs);
      const fits =
        runInRank === null
          ? buffer.context === context
          : pathKey(parent) === pathKey(stack.filter((h) => h.rank < runInRank)) && buffer.section.join('\u0000') === pathKey(parent);
      if (fits && (held < settings.minChars || (length < settings.minChars && held + length <= settings.maxChars))) {
        buffer.paragraphs.push(...paragraphs);
        buffer.context = context;
        buffer.inner = stack.map((h) => h.title);
        return;
      }
    }
    flush();
    buffer = { paragraphs: [...paragraphs], section: parent.map((h) => h.title), inner: stack.map((h) => h.title), context, kind };
  };
  const flushQuestion = (): void => {
    if (question) add([question], 'paragraph', null);
    question = null;
  };

  for (const unit of units) {
    if (unit.kind === 'heading') {
      flushQuestion();
      flush();
      stack = enter(stack, unit.rank, unit.title);
      heading = unit.line.intact ? unit.line : null;
      continue;
    }
    if (unit.kind === 'table') {
      flushQuestion();
      flush();
      const section = stack.map((h) => h.title);
      for (const piece of unit.pieces) {
        let rows: Line[] = [];
        const cut = (): void => {
          if (rows.length === 0) return;
          drafts.push({ text: rows.map((r) => r.raw).join('\n'), lines: [rows[0]!.no, rows.at(-1)!.no], section, kind: 'table', header: unit.header });
          rows = [];
        };
        // Rows whose first cell is empty continue the row above (merged cells): keep them together.
        const groups: Line[][] = [];
        for (const row of piece) {
          if (/^\t/u.test(row.raw) && groups.length > 0) groups.at(-1)!.push(row);
          else groups.push([row]);
        }
        const rowsLength = (list: readonly Line[]): number => list.reduce((n, r) => n + r.raw.length + 1, 0);
        for (const group of groups) {
          if (rows.length > 0 && rowsLength(rows) + rowsLength(group) > settings.maxChars) cut();
          rows.push(...group);
        }
        cut();
      }
      heading = null;
      continue;
    }
    if (unit.kind === 'meta') {
      flushQuestion();
      flush();
      drafts.push({
        text: unit.lines.map((l) => l.text).join('\n'),
        lines: [unit.lines[0]!.no, unit.lines.at(-1)!.no],
        section: [CLOSING_SECTION],
        kind: 'meta',
      });
      heading = null;
      continue;
    }
    if (unit.runIn) stack = enter(stack, unit.runIn.rank, unit.runIn.title);
    if (unit.role === 'question') {
      flushQuestion();
      flush();
      // A numbered question is already its own heading (run in); an interviewer's question becomes one.
      if (!unit.runIn)
        stack = enter(
          stack,
          QUESTION_RANK,
          tidyTitle(unit.lines.map((l) => l.text).join(''))
            .replace(/^(记者|问)[:：]/u, '')
            .slice(0, 60),
        );
      question = unit.lines;
      heading = null;
      continue;
    }
    if (unit.role === 'answer' && question) {
      // The question and the start of its answer are one passage: the answer alone does not say what was asked.
      flush();
      emit(
        [question, unit.lines],
        stack.map((h) => h.title),
        'qa',
      );
      question = null;
      heading = null;
      continue;
    }
    flushQuestion();
    const lead: Line[][] = heading && size([unit.lines]) < settings.minChars && !buffer ? [[heading]] : [];
    add([...lead, unit.lines], 'paragraph', unit.runIn?.rank ?? null);
    heading = null;
  }
  flushQuestion();
  flush();
  return drafts;
}
