import mammoth from 'mammoth';
import { describeError } from '../../errors.js';
import { fragmentLines } from './html.js';
import { DocumentSkipped, MAX_UNZIPPED_BYTES, type ExtractedText } from './types.js';
import { zipEntries } from './zip.js';

/**
 * Checks a Word file's zip directory before anything inflates it: it must hold
 * a document body, and its declared sizes must stay under the limit (a zip
 * bomb of a few hundred KB can inflate to gigabytes).
 */
export function checkDocx(buffer: Buffer): void {
  const entries = zipEntries(buffer);
  if (!entries.some((e) => e.name === 'word/document.xml')) throw new DocumentSkipped('a zip archive but not a Word document (no word/document.xml)');
  const total = entries.reduce((sum, e) => sum + e.uncompressedBytes, 0);
  if (total > MAX_UNZIPPED_BYTES)
    throw new DocumentSkipped(`inflates to ${Math.round(total / 2 ** 20)} MB, over the ${MAX_UNZIPPED_BYTES / 2 ** 20} MB limit for Word files (a zip bomb?)`);
}

/**
 * Reads a Word (.docx) file into lines: one per paragraph, heading or list
 * item, table rows with their cells separated by tabs. Line numbers are
 * therefore paragraph numbers.
 */
export async function extractDocx(buffer: Buffer): Promise<ExtractedText> {
  checkDocx(buffer);
  let html: string;
  try {
    html = (
      await mammoth.convertToHtml(
        { buffer },
        {
          ignoreEmptyParagraphs: true,
          externalFileAccess: false,
          // Pictures carry no quotable text: an empty image keeps mammoth from encoding them.
          convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
        },
      )
    ).value;
  } catch (err) {
    throw new DocumentSkipped(`not a readable Word document (${describeError(err)})`);
  }
  return { format: 'docx', lines: fragmentLines(html) };
}
