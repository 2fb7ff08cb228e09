import type { Passage } from '../ingest/types.js';
import type { EnglishLookup } from '../search/english/lookup.js';
import { idf, scoreBm25 } from './bm25.js';
import type { Manifest } from './manifest.js';
import type { LoadedIndex } from './store.js';

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) sum += a[i]! * b[i]!;
  return sum;
}

/** A document of the corpus: its title, date and file, and its passages in order. */
export interface CorpusDocument {
  file: string;
  title: string;
  date: string | null;
  passages: Passage[];
}

/**
 * The one view of a loaded index that search and the bot use: dense search and
 * cosine by passage, keyword search and document frequency, the documents and
 * their passages in order, neighbours of a passage. How the index is stored
 * (hnswlib, flat postings, packed vectors) stays behind it, in `src/index`.
 */
export class Corpus {
  /** Documents in corpus order, keyed by file and title. */
  private readonly docs: CorpusDocument[] = [];
  private readonly docOf = new Map<string, CorpusDocument>();
  /** Each passage's document centroid (its passages' mean vector, normalised), made on first use. */
  private centroids: Float32Array[] | null = null;

  constructor(private readonly index: LoadedIndex) {
    for (const passage of index.passages) {
      const key = `${passage.file}\u0000${passage.title}`;
      let doc = this.docOf.get(key);
      if (!doc) {
        doc = { file: passage.file, title: passage.title, date: passage.date, passages: [] };
        this.docOf.set(key, doc);
        this.docs.push(doc);
      }
      doc.passages.push(passage);
    }
  }

  /** Every passage, in index order (a passage's position is its index everywhere below). */
  get passages(): readonly Passage[] {
    return this.index.passages;
  }

  get manifest(): Manifest {
    return this.index.manifest;
  }

  /** The build folder this corpus was loaded from. */
  get dir(): string {
    return this.index.dir;
  }

  /** The `k` passages nearest a (normalised) query vector by cosine: position → cosine. */
  dense(vector: Float32Array, k: number): Map<number, number> {
    const found = new Map<number, number>();
    this.index.hnsw.searchKnn(Array.from(vector), Math.min(k, this.index.passages.length)).neighbors.forEach((i) => found.set(i, this.cosine(vector, i)));
    return found;
  }

  /** Exact cosine between a query vector and a passage. */
  cosine(vector: Float32Array, position: number): number {
    return dot(vector, this.index.vectors[position]!);
  }

  /** BM25 score of every passage holding one of the terms: position → score. */
  keyword(terms: readonly string[]): Map<number, number> {
    return scoreBm25(this.index.bm25, terms);
  }

  /** How much a term tells (its IDF); the largest for a term no passage holds. */
  idf(term: string): number {
    return idf(this.index.bm25, term);
  }

  /** The positions of the passages holding a keyword term (empty for a term no passage holds). */
  passagesWith(term: string): number[] {
    const postings = this.index.bm25.postings[term] ?? [];
    return postings.filter((_, k) => k % 2 === 0);
  }

  /** Passages holding a keyword term. */
  documentFrequency(term: string): number {
    return (this.index.bm25.postings[term]?.length ?? 0) / 2;
  }

  /** Share of passages holding a keyword term. */
  share(term: string): number {
    return this.documentFrequency(term) / Math.max(1, this.index.bm25.docCount);
  }

  /** CC-CEDICT read backwards for this corpus's vocabulary, built with the index: the English side of query understanding. */
  get english(): EnglishLookup {
    return this.index.english;
  }

  /** Every keyword term with its document frequency. */
  vocabulary(): Map<string, number> {
    return new Map(Object.entries(this.index.bm25.postings).map(([term, postings]) => [term, postings.length / 2]));
  }

  /** The documents in corpus order, each with its passages in order. */
  documents(): readonly CorpusDocument[] {
    return this.docs;
  }

  /**
   * Cosine between a query vector and the centroid of a passage's document:
   * how much the whole document is about the question, not just the passage.
   */
  documentCosine(vector: Float32Array, position: number): number {
    this.centroids ??= this.makeCentroids();
    return dot(vector, this.centroids[position]!);
  }

  private makeCentroids(): Float32Array[] {
    const dim = this.index.vectors[0]?.length ?? 0;
    const sums = new Map<CorpusDocument, Float32Array>(this.docs.map((doc) => [doc, new Float32Array(dim)]));
    this.index.passages.forEach((p, position) => {
      const sum = sums.get(this.documentOf(p)!)!;
      const v = this.index.vectors[position]!;
      for (let i = 0; i < dim; i += 1) sum[i]! += v[i]!;
    });
    for (const sum of sums.values()) {
      const norm = Math.sqrt(dot(sum, sum)) || 1;
      for (let i = 0; i < dim; i += 1) sum[i]! /= norm;
    }
    return this.index.passages.map((p) => sums.get(this.documentOf(p)!)!);
  }

  /** The document a passage belongs to. */
  documentOf(passage: Passage): CorpusDocument | undefined {
    return this.docOf.get(`${passage.file}\u0000${passage.title}`);
  }

  /** A passage with the one before and after it in its document (fewer at a document's edge); empty for an unknown id. */
  neighbours(id: string): Passage[] {
    const passage = this.index.passages.find((p) => p.id === id);
    const doc = passage && this.documentOf(passage);
    if (!passage || !doc) return [];
    const at = doc.passages.indexOf(passage);
    return doc.passages.slice(Math.max(0, at - 1), at + 2);
  }
}
