/** A document file as read from disk. */
export interface SourceFile {
  /** File name relative to the seeds folder, as cited. */
  name: string;
  sha256: string;
  bytes: number;
  /** The file's lines; line n of the file is lines[n - 1]. */
  lines: string[];
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
  /** First and last line of the passage in the file, 1-based, inclusive. */
  lines: [number, number];
}

/** What kind of source text a passage was cut from. */
export type PassageKind = 'paragraph' | 'table' | 'qa';

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
