import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadEmbedder } from '../../src/embed/embedder.js';
import { buildIndex, type BuildReport } from '../../src/index/build.js';
import { splitLines } from '../../src/ingest/extract/txt.js';
import type { SourceFile } from '../../src/ingest/types.js';

/** The project's own copy of the documents. */
export const SEEDS = path.join(PROJECT_ROOT, 'seeds');

/**
 * One real index shared by the test files of a run. The build is incremental, so
 * only the first test file pays for embedding; the others reuse its vectors.
 */
export const SHARED_INDEX = path.join(os.tmpdir(), 'smx-docs-qa-test-index');

/** Builds (or refreshes) the shared real index with the real model. */
export function buildSharedIndex(): Promise<BuildReport> {
  return buildIndex({ seedsDir: SEEDS, outDir: SHARED_INDEX, loadEmbedder: () => loadEmbedder() });
}

/**
 * Every `.txt` file of a folder as the indexer reads it, synchronously and
 * without skipping (an empty file included), for tests that drive the
 * cleaning and passage steps directly.
 */
export function readTextFolder(dir: string): SourceFile[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.toLowerCase().endsWith('.txt'))
    .sort()
    .map((name) => {
      const buffer = fs.readFileSync(path.join(dir, name));
      return {
        name,
        sha256: crypto.createHash('sha256').update(buffer).digest('hex'),
        bytes: buffer.length,
        lines: splitLines(buffer.toString('utf8')),
        format: 'txt' as const,
      };
    });
}

/** A fresh temporary folder, removed when the process exits. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `smx-${prefix}-`));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Copies a folder tree (an index, a seeds folder) so a test can damage the copy. */
export function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

/** Reads the dev set the retrieval issue is measured on. */
export interface DevItem {
  id: string;
  question: string;
  file: string;
  evidence: string[];
  type: string;
}

export function readDevSet(): DevItem[] {
  return fs
    .readFileSync(path.join(PROJECT_ROOT, '..', 'shared', 'eval', 'dev.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as DevItem);
}
