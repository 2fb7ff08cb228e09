import crypto from 'node:crypto';
import path from 'node:path';
import type { Embedder } from '../embed/embedder.js';
import { MODEL_DIM, MODEL_DTYPE, MODEL_ID } from '../embed/model.js';
import { ingest, type IngestStats } from '../ingest/ingest.js';
import { DEFAULT_SPLITTER, type SplitterSettings } from '../ingest/passages.js';
import { readDocuments, type SkippedFile } from '../ingest/read.js';
import type { DroppedLine } from '../ingest/types.js';
import { UserError } from '../errors.js';
import { buildBm25 } from './bm25.js';
import { embedText, keywordText } from './fields.js';
import { FORMAT_VERSION, type Manifest } from './manifest.js';
import { englishLookupFile } from '../search/english/reverse.js';
import { readEnglishCache, readVectorCache, writeIndex } from './store.js';
import { jiebaTokenizer } from './tokenizer.js';

/** HNSW settings: at ~1,000 passages these give exact-search recall at well under a millisecond. */
export const HNSW = { space: 'cosine' as const, m: 16, efConstruction: 200, efSearch: 100 };

/**
 * Each passage is embedded alone. The int8 model quantises activations per
 * batch, so a passage embedded beside others gets a slightly different vector
 * (up to 0.015 a component), and an incremental build would differ from a
 * fresh one; alone, the same text always gets the same vector, as a question
 * does. It costs about 5 % more time than batches of 8.
 */
const BATCH_SIZE = 1;

export interface BuildOptions {
  seedsDir: string;
  outDir: string;
  /** Re-embed everything, ignoring vectors of the previous build. */
  force?: boolean;
  /** Loads the model; called only when something needs embedding, so a no-change rebuild never loads it. */
  loadEmbedder: () => Promise<Embedder>;
  splitter?: SplitterSettings;
  /** Called before embedding starts (with the total) and after each batch. */
  onProgress?: (done: number, total: number) => void;
  /** Called for each file that is skipped (unreadable, encrypted, too large, …), as it is found. */
  onSkip?: (skipped: SkippedFile) => void;
  /** Fail (throw StrictBuildError) when any file is skipped, leaving the previous index in service. */
  strict?: boolean;
}

/** Where extracted text is cached by file sha256, inside the index folder (kept across builds, unlike build folders). */
export const EXTRACT_CACHE = 'extracted';

/** A `--strict` build that skipped files: nothing was written, the previous index stays in service. */
export class StrictBuildError extends UserError {}

export interface BuildReport {
  dir: string;
  manifest: Manifest;
  stats: IngestStats;
  /** The lines in no passage, with their reasons (also written to the build as `dropped.json`). */
  dropped: DroppedLine[];
  /** Files left out, each with its reason; every other file was indexed. */
  skipped: SkippedFile[];
  /** PDF, Word and web-page files whose text was extracted in this build, and those whose text came from the cache (unchanged sha256). */
  extraction: { extracted: number; cached: number };
  seconds: number;
}

/** Content key of an embedded text: the same text under the same model never needs embedding again. */
export function embedKey(text: string): string {
  return crypto.createHash('sha256').update(`${MODEL_ID}\u0000${MODEL_DTYPE}\u0000${text}`).digest('hex').slice(0, 32);
}

/**
 * Builds the index: reads and splits the documents, embeds what the previous
 * build has not embedded already, builds the HNSW and BM25 sides and writes
 * them atomically next to a manifest.
 */
export async function buildIndex(options: BuildOptions): Promise<BuildReport> {
  const started = performance.now();
  const splitter = options.splitter ?? DEFAULT_SPLITTER;
  const read = await readDocuments(options.seedsDir, { cacheDir: path.join(options.outDir, EXTRACT_CACHE), onSkip: options.onSkip });
  if (options.strict && read.skipped.length > 0) {
    throw new StrictBuildError(
      `${read.skipped.length} file${read.skipped.length > 1 ? 's were' : ' was'} skipped and --strict is set: nothing was built, the previous index stays in service.`,
    );
  }
  const files = read.files;
  const { passages, dropped, stats } = ingest(files, splitter);
  const texts = passages.map(embedText);
  const keys = texts.map(embedKey);
  const cache = options.force ? new Map<string, Float32Array>() : readVectorCache(options.outDir, { id: MODEL_ID, dtype: MODEL_DTYPE });

  const vectors: Array<Float32Array | undefined> = keys.map((key) => cache.get(key));
  const missing = vectors.flatMap((v, i) => (v ? [] : [i]));
  if (missing.length > 0) {
    const embedder = await options.loadEmbedder();
    options.onProgress?.(0, missing.length);
    for (let start = 0; start < missing.length; start += BATCH_SIZE) {
      const batch = missing.slice(start, start + BATCH_SIZE);
      const out = await embedder.embedPassages(batch.map((i) => texts[i]!));
      batch.forEach((i, k) => {
        vectors[i] = out[k];
      });
      options.onProgress?.(Math.min(start + BATCH_SIZE, missing.length), missing.length);
    }
  }

  const bm25 = buildBm25(passages.map(keywordText), jiebaTokenizer);
  // English questions are translated into the terms this vocabulary holds, so the lookup is built here, not by the bot.
  const english = englishLookupFile(Object.keys(bm25.postings), options.force ? undefined : readEnglishCache(options.outDir));
  const seconds = (performance.now() - started) / 1000;
  const manifest: Omit<Manifest, 'artifacts'> = {
    formatVersion: FORMAT_VERSION,
    builtAt: new Date().toISOString(),
    buildSeconds: Math.round(seconds * 100) / 100,
    model: { id: MODEL_ID, dtype: MODEL_DTYPE, dim: MODEL_DIM },
    splitter: { ...splitter },
    tokenizer: jiebaTokenizer.name,
    hnsw: HNSW,
    files: files.map((file) => ({
      name: file.name,
      sha256: file.sha256,
      bytes: file.bytes,
      lines: file.lines.length,
      passages: stats.perFile[file.name] ?? 0,
      format: file.format ?? 'txt',
    })),
    skipped: read.skipped,
    counts: {
      files: stats.files,
      documents: stats.documents,
      passages: stats.passages,
      duplicatesDropped: stats.duplicatesDropped,
      noiseLinesDropped: stats.noiseLinesDropped,
      linesDropped: dropped.length,
      embedded: missing.length,
      reused: passages.length - missing.length,
    },
  };
  const written = writeIndex(options.outDir, { manifest, passages, dropped, embedKeys: keys, vectors: vectors as Float32Array[], bm25, english });
  return {
    ...written,
    stats,
    dropped,
    skipped: read.skipped,
    extraction: { extracted: read.extracted, cached: read.cached },
    seconds: (performance.now() - started) / 1000,
  };
}
