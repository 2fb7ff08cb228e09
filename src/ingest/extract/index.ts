import { describeError } from '../../errors.js';
import { extractDocx } from './docx.js';
import { extractHtml } from './html.js';
import { extractPdf } from './pdf.js';
import { contentMatches, describeKind, formatOfName, sniff } from './sniff.js';
import { extractTxt } from './txt.js';
import { DocumentSkipped, type DocumentFormat, type ExtractedText } from './types.js';

/**
 * Bumped whenever an extractor changes what it makes of a file, so text cached
 * by an older version is extracted again.
 */
export const EXTRACT_VERSION = 1;

/**
 * Reads one document's bytes into lines by the format its name says, after
 * checking the content is that format (so a `.pdf` that is really text gets a
 * clear reason). Throws DocumentSkipped, with a reason a person can act on,
 * for any file that cannot be read: empty, of another format than its name
 * says, corrupt, encrypted, a zip bomb, a scan without OCR.
 */
export async function extractDocument(name: string, file: string, buffer: Buffer): Promise<ExtractedText> {
  const format = formatOfName(name);
  if (!format) throw new DocumentSkipped('not a document format this indexer reads');
  const kind = sniff(buffer);
  if (kind === 'empty') throw new DocumentSkipped('empty');
  if (!contentMatches(format, kind)) throw new DocumentSkipped(`named ${name.slice(name.lastIndexOf('.'))} but is ${describeKind(kind)}`);
  let text: ExtractedText;
  try {
    text = await extractAs(format, buffer, file);
  } catch (err) {
    if (err instanceof DocumentSkipped) throw err;
    throw new DocumentSkipped(`could not be read (${describeError(err)})`);
  }
  if (!text.lines.some((line) => line.trim())) throw new DocumentSkipped('no text in it');
  return text;
}

function extractAs(format: DocumentFormat, buffer: Buffer, file: string): Promise<ExtractedText> | ExtractedText {
  switch (format) {
    case 'txt':
      return extractTxt(buffer);
    case 'pdf':
      return extractPdf(buffer, file);
    case 'docx':
      return extractDocx(buffer);
    case 'html':
      return extractHtml(buffer);
  }
}
