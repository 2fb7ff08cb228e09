import type { DocumentFormat, PrintedLine } from './extract/types.js';

/** A document file as read from disk, its text as lines whatever its format. */
export interface SourceFile {
  /** File name relative to the seeds folder, as cited. */
  name: string;
  sha256: string;
  bytes: number;
  /**
   * The file's lines; line n of the file is lines[n - 1]. For a text file its
   * lines as an editor numbers them; for Word and web pages its paragraphs
   * (headings, list items and table rows included); for a PDF its paragraphs
   * as printed, each within one page.
   */
  lines: string[];
  /** Absent means `txt`. */
  format?: DocumentFormat;
  /** PDF only: where each line was printed, aligned with `lines`. */
  printed?: PrintedLine[];
}

/** Where a passage comes from, precisely enough to find it again in the file. */
export interface Citation {
  file: string;
  /** Title of the document the passage belongs to (a gazette issue holds many). */
  title: string;
  /** Heading path inside the document, outermost first. */
  section: string[];
  /** ISO date (yyyy-mm-dd, or yyyy-mm / yyyy when that is all the source says), or null. */
  date: string | null;
  /** Gazette issue, e.g. "2020年第3号", or null outside the gazette. */
  issue: string | null;
  /**
   * First and last line of the passage in the file, 1-based, inclusive: lines of
   * a text file, paragraphs of a Word file or web page, paragraphs of a PDF's
   * extracted text (the printed place is `page` and `pageLines`).
   */
  lines: [number, number];
  /** PDF only: the 1-based page the passage starts on. */
  page?: number;
  /** PDF only: the page it ends on, when not `page`. */
  pageEnd?: number;
  /** PDF only: the printed line it starts on (on `page`) and ends on (on `pageEnd ?? page`), 1-based, counting every printed line of a page. */
  pageLines?: [number, number];
}

/**
 * What kind of source text a passage was cut from. `meta` holds the lines that
 * say what a document is: its header (title with 文号, a speech's date note, a
 * report's subtitle and speaker) or its closing (signing office and date).
 */
export type PassageKind = 'paragraph' | 'table' | 'qa' | 'meta';

/** Why a source line is in no passage. */
export type DropReason =
  /** A label line repeated across files: mastheads, editorial boards, imprint lines. */
  | 'masthead'
  /** A table-of-contents entry (a title ending in a page number). */
  | 'table of contents'
  /** A `【category】` label of a gazette's contents. */
  | 'label'
  /** A phrase glued onto a line by a spammer; the rest of the line is kept. */
  | 'spam'
  /** Page furniture: running headers and footers and page numbers of a PDF, table continuation markers, the documented noise list. */
  | 'page furniture'
  /** Front matter of a gazette issue before its first document (masthead, issue line, contents heading). */
  | 'front matter'
  /** A caption repeating part of its document's title. */
  | 'caption'
  /** A line whose text is already indexed at an earlier copy (the same report printed again). */
  | 'repeated copy';

/** A source line (or, for spam, the part of one) that is in no passage, and why. */
export interface DroppedLine {
  file: string;
  /** 1-based line number. */
  line: number;
  /** The dropped text (for spam, the phrase removed). */
  text: string;
  reason: DropReason;
}

/** A citable unit of text: what search returns and the bot quotes. */
export interface Passage extends Citation {
  /** Stable across rebuilds while the text and its file stay the same. */
  id: string;
  /** The source text exactly as shown to users (broken lines rejoined, never normalised). */
  text: string;
  kind: PassageKind;
  /** Table passages: the table's header rows, shown above the rows (they are not part of `text`). */
  header?: string;
}
