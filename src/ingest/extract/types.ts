/** The document formats `npm run index` reads. */
export type DocumentFormat = 'txt' | 'pdf' | 'docx' | 'html';

/** Where a line of extracted text was printed: PDF sources (text layer or OCR) only. */
export interface PrintedLine {
  /** 1-based page. */
  page: number;
  /** 1-based printed line on that page where this line starts (counting every line printed on the page, running header included). */
  line: number;
  /** Offsets in the line's text where the following printed lines begin: a paragraph wrapped over several printed lines is one line of text. */
  wraps: number[];
}

/** A document's text as lines, ready for the cleaning, structure and passage steps every format shares. */
export interface ExtractedText {
  format: DocumentFormat;
  /** Lines of text, each trimmed of surrounding white space except table rows' tabs; line n is lines[n - 1]. */
  lines: string[];
  /** PDF only: where each line was printed, aligned with `lines`. */
  printed?: PrintedLine[];
  /** True when the text was read from page images by OCR. */
  ocr?: boolean;
}

/** The largest file read at all. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** The most a Word file may inflate to (the sizes its zip directory declares), against zip bombs. */
export const MAX_UNZIPPED_BYTES = 200 * 1024 * 1024;

/**
 * A file that cannot be indexed, for a reason the person who added it can act on
 * (`encrypted (password-protected)…`). The build skips it and goes on; it is an
 * expected outcome, never printed with a stack.
 */
export class DocumentSkipped extends Error {
  override readonly name = 'DocumentSkipped';
}
