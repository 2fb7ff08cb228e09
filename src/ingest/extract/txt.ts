import type { ExtractedText } from './types.js';

/** Splits a file into lines the way editors number them (CRLF or LF, BOM dropped). */
export function splitLines(content: string): string[] {
  return content.replace(/^\uFEFF/u, '').split(/\r?\n/u);
}

/** A text file is its own lines; line numbers are the editor's. */
export function extractTxt(buffer: Buffer): ExtractedText {
  return { format: 'txt', lines: splitLines(buffer.toString('utf8')) };
}
