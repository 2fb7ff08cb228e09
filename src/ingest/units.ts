import type { Line } from './noise.js';
import { tidyTitle } from './structure.js';
import { DATE_LINE, HEADING_MARKERS, LABEL_RANK, QUESTION, SPEAKER, TABLE_CONTINUED, TERMINAL } from './patterns.js';

/** A heading: it names the section of what follows until a heading of the same or higher rank. */
export interface HeadingUnit {
  kind: 'heading';
  rank: number;
  title: string;
  line: Line;
}

/** A paragraph: one or more source lines rejoined where a page break cut a sentence. */
export interface ParagraphUnit {
  kind: 'paragraph';
  lines: Line[];
  /** A heading that opens the paragraph itself: `（一）强化招商引资扩增量。…`. */
  runIn: { rank: number; title: string } | null;
  role: 'question' | 'answer' | 'text';
}

/** A table: header rows, then its rows in pieces (a new piece where the table continues on a new page). */
export interface TableUnit {
  kind: 'table';
  header: string;
  pieces: Line[][];
  /** Continuation markers (`续表一`) and header rows repeated on a new page: page furniture, in no passage. */
  furniture: Line[];
}

/** Lines saying what a document is, inside its body: the signing office and date under a notice. */
export interface MetaUnit {
  kind: 'meta';
  lines: Line[];
}

export type Unit = HeadingUnit | ParagraphUnit | TableUnit | MetaUnit;

/** A line ending a sentence is text, whatever numbering it starts with: `（8）应急处置结束后，进行总结并进行评估。`. */
const SENTENCE_END = /[。；！？!?;][”’」』）)]?$/u;

/** Shape of a line that starts with heading numbering: a heading alone, or a heading run into its paragraph. */
export function headingShape(line: Line): { rank: number; title: string; pure: boolean } | null {
  const key = line.key.replace(/^-/u, '');
  const rank = HEADING_MARKERS.findIndex((marker) => marker.test(key));
  if (rank < 0) return null;
  const text = line.text.replace(/^-\s*/u, '');
  const pure = key.length <= 60 && !key.slice(0, -1).includes('。') && !/[；，、：;,:]$/u.test(key) && !SENTENCE_END.test(key);
  if (pure) return { rank, title: tidyTitle(text).replace(/。$/u, ''), pure };
  const first = text.search(/[。？！；：;:?!]/u);
  const head = first > 0 && first <= 50 ? text.slice(0, first) : `${text.slice(0, 30)}…`;
  return { rank, title: tidyTitle(head), pure };
}

function isTableRow(line: Line): boolean {
  return line.raw.includes('\t');
}

/** A short line with no sentence in it and no numbering: a label heading (interview subheadings, table titles). */
function isLabel(line: Line, next: Line | undefined): boolean {
  const { key } = line;
  return (
    key.length <= 40 &&
    !/[。，；！？：:,]/u.test(key) &&
    // A Latin-script sentence ends in a full stop or has one inside; Chinese decimals (2.35万) do not count.
    !/[.!?]$|[.!?]\s/u.test(line.text) &&
    !/[)）]$/u.test(key) &&
    !DATE_LINE.test(key) &&
    !(next && DATE_LINE.test(next.key) && /(人民政府|办公室)$/u.test(key))
  );
}

/** A signature or its date: closing furniture of a notice, not text. */
function isClosing(line: Line, next: Line | undefined): boolean {
  return DATE_LINE.test(line.key) || (/(人民政府|办公室)$/u.test(line.key) && line.key.length <= 16 && !!next && DATE_LINE.test(next.key));
}

/**
 * A line cut by a page break: it does not end a sentence, and it is prose (it has
 * a clause in it, ends in a comma or a number, or is longer than a printed line),
 * not a heading, title or label.
 */
/**
 * Whether the next line is the rest of a broken one: not a table row, not a
 * heading, and not a numbered item after a line closed by a bracket — plans
 * close each item with who is responsible (`（主要责任单位：…）`) and no full
 * stop, and the next item (`2.实施…`) is not the rest of its sentence.
 */
function continues(last: Line, next: Line): boolean {
  if (!isBroken(last) || isTableRow(next)) return false;
  const shape = headingShape(next);
  return !shape?.pure && !(shape && /[）)]$/u.test(last.key));
}

export function isBroken(line: Line): boolean {
  const { key } = line;
  if (TERMINAL.test(key) || isTableRow(line)) return false;
  if (headingShape(line)?.pure) return false;
  return /[，、,\d]$/u.test(key) || key.length > 60 || /[，。；]/u.test(key);
}

function readTable(lines: readonly Line[], from: number): { unit: TableUnit; next: number } {
  let i = from;
  const rows: Line[] = [];
  const breaks = new Set<number>();
  const furniture: Line[] = [];
  while (i < lines.length && (isTableRow(lines[i]!) || TABLE_CONTINUED.test(lines[i]!.key))) {
    if (TABLE_CONTINUED.test(lines[i]!.key)) {
      breaks.add(rows.length);
      furniture.push(lines[i]!);
    } else rows.push(lines[i]!);
    i += 1;
  }
  const firstCell = (row: Line): string => row.raw.split('\t')[0]?.trim() ?? '';
  let headerRows = rows.findIndex((row) => /^\d+$/u.test(firstCell(row)));
  if (headerRows < 0 || headerRows > 3) headerRows = 1;
  const header = rows.slice(0, headerRows);
  const headerKeys = new Set(header.map((row) => row.key));
  const pieces: Line[][] = [[]];
  rows.slice(headerRows).forEach((row, k) => {
    const repeatedHeader = headerKeys.has(row.key);
    if ((breaks.has(k + headerRows) || repeatedHeader) && pieces.at(-1)!.length > 0) pieces.push([]);
    if (repeatedHeader) furniture.push(row);
    else pieces.at(-1)!.push(row);
  });
  const unit: TableUnit = { kind: 'table', header: header.map((row) => row.raw).join('\n'), pieces: pieces.filter((p) => p.length > 0), furniture };
  return { unit, next: i };
}

/**
 * A heading that heads nothing (the next unit is a heading of the same or a
 * higher rank, or the document ends) is an item of a list, not a heading: it
 * becomes a paragraph so its words are quotable, not lost in a section path.
 */
function listItems(units: readonly Unit[]): Unit[] {
  return units.map((unit, k) => {
    if (unit.kind !== 'heading') return unit;
    const next = units[k + 1];
    // What follows opens a section of its own at this rank or above (a heading, or a numbered paragraph like `（二）压缩审批时限。…`): nothing is under this one.
    const nextRank = next?.kind === 'heading' ? next.rank : next?.kind === 'paragraph' && next.runIn ? next.runIn.rank : Infinity;
    const heads = next !== undefined && next.kind !== 'meta' && nextRank > unit.rank;
    if (heads) return unit;
    return { kind: 'paragraph', lines: [unit.line], runIn: unit.rank < LABEL_RANK ? { rank: unit.rank, title: unit.title } : null, role: 'text' };
  });
}

/**
 * Turns a document's body lines into headings, paragraphs, tables and closing
 * lines, rejoining lines that a page break cut mid-sentence.
 */
export function toUnits(body: readonly Line[]): Unit[] {
  return listItems(readUnits(body));
}

function readUnits(body: readonly Line[]): Unit[] {
  const units: Unit[] = [];
  let i = 0;
  while (i < body.length) {
    const line = body[i]!;
    const next = body[i + 1];
    if (isTableRow(line)) {
      const table = readTable(body, i);
      units.push(table.unit);
      i = table.next;
      continue;
    }
    if (isClosing(line, next)) {
      const previous = units.at(-1);
      if (previous?.kind === 'meta') previous.lines.push(line);
      else units.push({ kind: 'meta', lines: [line] });
      i += 1;
      continue;
    }
    const shape = headingShape(line);
    if (shape?.pure) {
      units.push({ kind: 'heading', rank: shape.rank, title: shape.title, line });
      i += 1;
      continue;
    }
    if (!shape && isLabel(line, next)) {
      units.push({ kind: 'heading', rank: LABEL_RANK, title: tidyTitle(line.text), line });
      i += 1;
      continue;
    }
    const lines = [line];
    i += 1;
    while (i < body.length && continues(lines.at(-1)!, body[i]!)) {
      lines.push(body[i]!);
      i += 1;
    }
    const previous = units.at(-1);
    const afterQuestion = previous?.kind === 'paragraph' && previous.role === 'question';
    // Policy explanations are laid out as numbered questions (`一、什么是“两区”？`), each answered by the paragraph below.
    const numberedQuestion = shape !== null && lines.length === 1 && /[？?]$/u.test(line.key);
    const role =
      QUESTION.test(line.key) || numberedQuestion
        ? 'question'
        : afterQuestion && (SPEAKER.test(line.key) || (previous.runIn !== null && !shape))
          ? 'answer'
          : 'text';
    units.push({ kind: 'paragraph', lines, runIn: shape ? { rank: shape.rank, title: shape.title } : null, role });
  }
  return units;
}
