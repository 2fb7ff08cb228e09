import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import type { SourceFile } from './types.js';

/** The file extensions the indexer reads (lower case, with the dot); everything else in the folder is ignored. */
export const DOCUMENT_EXTENSIONS = ['.txt'] as const;

/** Whether the indexer reads a file of this name (by its extension, in any case). */
export function isDocumentName(name: string): boolean {
  return DOCUMENT_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext));
}

/** Splits a file into lines the way editors number them (CRLF or LF, BOM dropped). */
export function splitLines(content: string): string[] {
  return content.replace(/^\uFEFF/u, '').split(/\r?\n/u);
}

/** Reads every `.txt` file in a folder, in name order, so builds are reproducible. */
export function readSources(dir: string): SourceFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter(isDocumentName).sort();
  } catch {
    throw new UserError(`The documents folder ${dir} cannot be read; pass --seeds DIR or set SEEDS_DIR to a folder of .txt files.`);
  }
  if (names.length === 0) throw new UserError(`The documents folder ${dir} holds no .txt files; pass --seeds DIR or set SEEDS_DIR to a folder of .txt files.`);
  return names.map((name) => {
    const buffer = fs.readFileSync(path.join(dir, name));
    return {
      name,
      sha256: crypto.createHash('sha256').update(buffer).digest('hex'),
      bytes: buffer.length,
      lines: splitLines(buffer.toString('utf8')),
    };
  });
}
