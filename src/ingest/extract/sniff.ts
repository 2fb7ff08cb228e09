import path from 'node:path';
import type { DocumentFormat } from './types.js';

/** What a file's first bytes say it is, whatever its name. */
export type SniffedKind = 'pdf' | 'zip' | 'ole' | 'html' | 'text' | 'binary' | 'empty';

/** File extensions read, and the format each one names. */
export const FORMAT_OF_EXTENSION: Readonly<Record<string, DocumentFormat>> = {
  '.txt': 'txt',
  '.md': 'txt',
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.html': 'html',
  '.htm': 'html',
};

/** The format a file name claims, or undefined for a file that is not a document. */
export function formatOfName(name: string): DocumentFormat | undefined {
  return FORMAT_OF_EXTENSION[path.extname(name).toLowerCase()];
}

/** Reads the magic bytes (and, for text, the first characters) of a file. */
export function sniff(buffer: Buffer): SniffedKind {
  if (buffer.length === 0) return 'empty';
  const head = buffer.subarray(0, 1024);
  // A PDF's header may follow a little junk (some generators write a BOM or a blank line first).
  if (head.includes('%PDF-')) return 'pdf';
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'zip';
  if (head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'ole';
  if (head.includes(0)) return 'binary';
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/u, '')
    .trimStart()
    .toLowerCase();
  if (!text) return 'empty';
  if (/^(<!doctype html|<html|<head|<body|<meta|<!--)/u.test(text) || /<(html|body|div|p)[\s>]/u.test(text)) return 'html';
  return 'text';
}

/** Names a sniffed kind for a skip reason. */
export function describeKind(kind: SniffedKind): string {
  return {
    pdf: 'a PDF',
    zip: 'a zip archive',
    ole: 'an old binary Office file (.doc/.xls); save it as .docx',
    html: 'a web page',
    text: 'plain text',
    binary: 'binary data of no known document format',
    empty: 'empty',
  }[kind];
}

/**
 * Whether a file's content matches the format its name claims. A web page may
 * hold bare text, and a text file may hold markup (it is read as text).
 */
export function contentMatches(format: DocumentFormat, kind: SniffedKind): boolean {
  switch (format) {
    case 'pdf':
      return kind === 'pdf';
    case 'docx':
      return kind === 'zip';
    case 'html':
      return kind === 'html' || kind === 'text';
    case 'txt':
      return kind === 'text' || kind === 'html';
  }
}
