import { createRequire } from 'node:module';
import path from 'node:path';
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { describeError } from '../../errors.js';
import { joinPage, type BoxLine } from './layout.js';
import { ocrPdf } from './ocr.js';
import { DocumentSkipped, type ExtractedText, type PrintedLine } from './types.js';

// pdf.js reads the CJK character maps some Chinese PDFs need from its own package folder.
const PDFJS_DIR = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const CMAPS = `${path.join(PDFJS_DIR, 'cmaps')}/`;
const STANDARD_FONTS = `${path.join(PDFJS_DIR, 'standard_fonts')}/`;

/** Fewer characters than this per page on average: the pages are pictures (a scan), not text. */
const SCANNED_CHARS_PER_PAGE = 20;

/** A positioned run of text on a page. */
interface Run {
  text: string;
  x: number;
  /** Baseline, in PDF units from the page's bottom. */
  y: number;
  width: number;
  size: number;
}

function runOf(item: TextItem): Run {
  const [a, b, c, d, x, y] = item.transform as [number, number, number, number, number, number];
  const size = item.height || Math.hypot(c, d) || Math.hypot(a, b) || 10;
  return { text: item.str, x, y, width: item.width, size };
}

/**
 * Puts a page's runs into printed lines: runs on one baseline (within a third of
 * the text height) are one line, left to right. A gap wider than one and a half
 * characters separates table cells (a tab, as in the plain-text tables); a
 * smaller one is a space.
 */
export function printedLines(runs: readonly Run[], pageTop: number): BoxLine[] {
  const sorted = runs.filter((r) => r.text.length > 0).sort((p, q) => q.y - p.y || p.x - q.x);
  const rows: Run[][] = [];
  for (const run of sorted) {
    const row = rows.at(-1);
    if (row && Math.abs(row[0]!.y - run.y) <= Math.max(row[0]!.size, run.size) / 3) row.push(run);
    else rows.push([run]);
  }
  return rows.flatMap((row) => {
    row.sort((p, q) => p.x - q.x);
    let text = '';
    let end = -Infinity;
    for (const run of row) {
      const gap = run.x - end;
      if (text && gap > run.size * 1.5) text += '\t';
      else if (text && gap > run.size * 0.25 && !/\s$/u.test(text) && !/^\s/u.test(run.text)) text += ' ';
      text += run.text;
      end = Math.max(end, run.x + run.width);
    }
    if (!text.trim()) return [];
    const size = Math.max(...row.map((r) => r.size));
    return [{ text, left: row[0]!.x, right: end, top: pageTop - row[0]!.y, size }];
  });
}

async function openPdf(buffer: Buffer): Promise<PDFDocumentProxy> {
  try {
    return await getDocument({
      data: new Uint8Array(buffer),
      cMapUrl: CMAPS,
      cMapPacked: true,
      standardFontDataUrl: STANDARD_FONTS,
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    if (name === 'PasswordException') throw new DocumentSkipped('encrypted (password-protected); save a copy without a password and add that');
    throw new DocumentSkipped(`not a readable PDF (${describeError(err)})`);
  }
}

/**
 * Reads a PDF's text layer page by page into lines, each with the page and
 * printed line it starts on. A PDF with no text layer (a scan) is read by OCR
 * when tesseract is installed, and skipped with a reason naming the packages
 * otherwise.
 */
export async function extractPdf(buffer: Buffer, file: string): Promise<ExtractedText> {
  const doc = await openPdf(buffer);
  try {
    const lines: string[] = [];
    const printed: PrintedLine[] = [];
    let chars = 0;
    for (let n = 1; n <= doc.numPages; n += 1) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const runs = content.items.filter((item): item is TextItem => 'str' in item).map(runOf);
      chars += runs.reduce((sum, r) => sum + r.text.trim().length, 0);
      const text = joinPage(n, printedLines(runs, page.view[3] ?? 0));
      lines.push(...text.lines);
      printed.push(...text.printed);
      page.cleanup();
    }
    if (doc.numPages === 0) throw new DocumentSkipped('a PDF with no pages');
    if (chars < SCANNED_CHARS_PER_PAGE * doc.numPages) return await ocrPdf(file, doc.numPages);
    return { format: 'pdf', lines, printed };
  } catch (err) {
    if (err instanceof DocumentSkipped) throw err;
    throw new DocumentSkipped(`not a readable PDF (${describeError(err)})`);
  } finally {
    await doc.destroy();
  }
}
