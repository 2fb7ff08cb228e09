import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { joinPage, type BoxLine } from './layout.js';
import { DocumentSkipped, type ExtractedText, type PrintedLine } from './types.js';

const run = promisify(execFile);

/** What a scanned PDF needs, named as the Debian packages that provide it. */
export const OCR_PACKAGES = 'tesseract-ocr tesseract-ocr-chi-sim poppler-utils';

/** Resolution pages are rendered at for OCR: tesseract reads printed Chinese best at about 300 dpi. */
const DPI = 300;

/** The OCR language: Simplified Chinese, which also reads the digits and Latin letters in Chinese documents. */
const LANGUAGE = 'chi_sim';

let available: Promise<string | null> | undefined;

/** Null when OCR can run here; otherwise what is missing, as a sentence naming the packages to install. */
export function ocrUnavailable(): Promise<string | null> {
  available ??= (async () => {
    try {
      const { stdout, stderr } = await run('tesseract', ['--list-langs']);
      if (!`${stdout}\n${stderr}`.split(/\s+/u).includes(LANGUAGE)) return `tesseract has no Simplified Chinese data (install tesseract-ocr-chi-sim)`;
    } catch {
      return `tesseract is not installed (install ${OCR_PACKAGES})`;
    }
    try {
      await run('pdftoppm', ['-v']);
    } catch {
      return 'pdftoppm is not installed (install poppler-utils)';
    }
    return null;
  })();
  return available;
}

/** A CJK character on either side: OCR words join without a space. */
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’]/u;

/** Joins tesseract's words (it splits Chinese into single characters) into the line as printed. */
function joinWords(words: readonly string[]): string {
  return words.reduce((line, word) => (!line ? word : CJK.test(line.at(-1) ?? '') || CJK.test(word[0] ?? '') ? line + word : `${line} ${word}`), '');
}

/** Printed lines from tesseract's TSV output, in its reading order. */
export function tsvLines(tsv: string): BoxLine[] {
  const lines = new Map<string, { words: string[]; box: BoxLine }>();
  for (const row of tsv.split('\n').slice(1)) {
    const cells = row.split('\t');
    if (cells.length < 12) continue;
    const [level, , block, par, line, , left = 0, top = 0, width = 0, height = 0] = cells.map(Number);
    const key = `${block}.${par}.${line}`;
    if (level === 4) lines.set(key, { words: [], box: { text: '', left, right: left + width, top, size: height } });
    const text = cells[11]?.trim();
    if (level === 5 && text) lines.get(key)?.words.push(text);
  }
  return [...lines.values()].map(({ words, box }) => ({ ...box, text: joinWords(words) })).filter((l) => l.text);
}

/**
 * Reads a scanned PDF by OCR: each page rendered to an image by pdftoppm, read
 * by tesseract (Simplified Chinese), its printed lines rejoined like a text
 * layer's. Skips the file, naming the packages, when they are not installed.
 */
export async function ocrPdf(file: string, pages: number): Promise<ExtractedText> {
  const missing = await ocrUnavailable();
  if (missing) throw new DocumentSkipped(`a scanned PDF with no text layer, and OCR is not available: ${missing}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smx-ocr-'));
  try {
    const lines: string[] = [];
    const printed: PrintedLine[] = [];
    for (let n = 1; n <= pages; n += 1) {
      const image = path.join(dir, `page-${n}`);
      await run('pdftoppm', ['-f', String(n), '-l', String(n), '-r', String(DPI), '-gray', '-png', '-singlefile', file, image]);
      const { stdout } = await run('tesseract', [`${image}.png`, 'stdout', '-l', LANGUAGE, 'tsv'], { maxBuffer: 64 * 1024 * 1024 });
      const text = joinPage(n, tsvLines(stdout));
      lines.push(...text.lines);
      printed.push(...text.printed);
    }
    if (lines.length === 0) throw new DocumentSkipped('a scanned PDF in which OCR found no text');
    return { format: 'pdf', lines, printed, ocr: true };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
