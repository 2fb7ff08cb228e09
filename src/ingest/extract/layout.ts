import type { PrintedLine } from './types.js';

/** A line as printed on a page, with its box in page units (any unit, y growing downwards). */
export interface BoxLine {
  /** The line's text; a wide gap between table cells is a tab. */
  text: string;
  left: number;
  right: number;
  top: number;
  /** Height of the line's characters: the unit of the layout tests. */
  size: number;
}

/** Lines of text from one page: a paragraph wrapped over printed lines is rejoined into one. */
export interface PageText {
  lines: string[];
  printed: PrintedLine[];
}

/** A character is CJK (or full-width punctuation): no space is needed when joining next to it. */
const CJK_EDGE = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’]/u;

/** Joins the printed lines of a wrapped paragraph: Chinese runs on, Latin words need a space. */
function joinWrap(before: string, after: string): string {
  const a = before.at(-1) ?? '';
  const b = after[0] ?? '';
  return CJK_EDGE.test(a) || CJK_EDGE.test(b) || a === '-' ? before + after : `${before} ${after}`;
}

/**
 * Rejoins paragraphs a page wrapped: a printed line that runs to the right edge
 * of the text block continues on the next line, unless that line is indented (a
 * new paragraph's first-line indent, a centred title) or either is a table row.
 * A line that stops short of the edge ends its paragraph, so titles, headings,
 * signatures and the last line of a paragraph stay lines of their own. Breaks
 * between pages are left to the structure step's rules for broken lines, as in
 * the plain-text gazettes.
 */
export function joinPage(page: number, boxes: readonly BoxLine[]): PageText {
  const lines: string[] = [];
  const printed: PrintedLine[] = [];
  const body = boxes.filter((b) => b.text.trim());
  if (body.length === 0) return { lines, printed };
  const sizes = body.map((b) => b.size).sort((a, b) => a - b);
  const unit = sizes[Math.floor(sizes.length / 2)] ?? 10;
  // The text block's edges: where most lines start, and the furthest any line reaches.
  const left = Math.min(...body.map((b) => b.left));
  const right = Math.max(...body.map((b) => b.right));
  const full = (box: BoxLine): boolean => box.right >= right - unit * 2.2;
  // Wrapped text shares its right edge: one wide line alone (a centred English masthead) is not a margin.
  const wraps = body.filter((b) => !b.text.includes('\t') && full(b)).length >= 2;
  let open = false;
  body.forEach((box, k) => {
    const text = box.text.trim();
    const row = box.text.includes('\t');
    const indented = box.left > left + unit * 0.8;
    if (open && !row && !indented) {
      const last = lines.length - 1;
      const joined = joinWrap(lines[last]!, text);
      printed[last]!.wraps.push(joined.length - text.length);
      lines[last] = joined;
    } else {
      lines.push(row ? box.text.replace(/^\s+|\s+$/gu, '') : text);
      printed.push({ page, line: k + 1, wraps: [] });
    }
    open = wraps && !row && full(box);
  });
  return { lines, printed };
}

/** The printed line (on its page) of a character offset in an extracted line. */
export function printedLineAt(at: PrintedLine, offset: number): number {
  return at.line + at.wraps.filter((w) => w <= offset).length;
}
