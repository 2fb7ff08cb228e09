import type { DocumentFormat } from '../ingest/extract/types.js';

/** Bumped whenever the on-disk layout changes, so an old index is rebuilt, not misread. */
export const FORMAT_VERSION = 4;

/** One indexed file, so a rebuild can tell what changed. */
export interface ManifestFile {
  name: string;
  sha256: string;
  bytes: number;
  /** Lines of its text: an editor's lines for text files, paragraphs for Word, web pages and PDFs. */
  lines: number;
  passages: number;
  format: DocumentFormat;
}

/** What a build produced and from what; written last, read first. */
export interface Manifest {
  formatVersion: number;
  builtAt: string;
  buildSeconds: number;
  model: { id: string; dtype: string; dim: number };
  splitter: Record<string, number | string>;
  tokenizer: string;
  hnsw: { space: 'cosine'; m: number; efConstruction: number; efSearch: number };
  files: ManifestFile[];
  /** Files of the documents folder that were not indexed, with the reason. */
  skipped: Array<{ name: string; reason: string }>;
  counts: {
    files: number;
    documents: number;
    passages: number;
    duplicatesDropped: number;
    noiseLinesDropped: number;
    /** Records in `dropped.json`: lines (or spam phrases) in no passage, each with a reason. */
    linesDropped: number;
    embedded: number;
    reused: number;
  };
  /** sha256 and size of every other file in the build, to refuse a corrupt or half-written index. */
  artifacts: Record<string, { bytes: number; sha256: string }>;
}

/** The files a build folder holds besides the manifest. */
export const ARTIFACTS = {
  passages: 'passages.json',
  keys: 'embed-keys.json',
  vectors: 'vectors.f32',
  hnsw: 'hnsw.bin',
  bm25: 'bm25.json',
  dropped: 'dropped.json',
  /** The English→Chinese lookup for this corpus's vocabulary (format 3 on). */
  english: 'english.json',
} as const;
