import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { UserError, describeError } from '../errors.js';
import type { DroppedLine, Passage } from '../ingest/types.js';
import { fromLookupFile, isLookupFile, type EnglishLookup, type EnglishLookupFile } from '../search/english/lookup.js';
import type { Bm25Index } from './bm25.js';
import { ARTIFACTS, FORMAT_VERSION, type Manifest } from './manifest.js';

const { HierarchicalNSW } = hnswlib;

/** The file in the index folder naming the build in service; replaced by rename, so readers never see half a switch. */
const CURRENT = 'CURRENT';
const REBUILD = 'rebuild it with `npm run index -- --force`';

/** Everything a build writes, in memory. `vectors[i]` belongs to `passages[i]`. */
export interface IndexData {
  manifest: Omit<Manifest, 'artifacts'>;
  passages: Passage[];
  /** The audit of what is in no passage, and why; written for maintainers, never loaded for search. */
  dropped: DroppedLine[];
  /** Content keys of the embedded text, aligned with passages, for reuse by the next build. */
  embedKeys: string[];
  vectors: Float32Array[];
  bm25: Bm25Index;
  /** CC-CEDICT reversed for this corpus's vocabulary, for English questions. */
  english: EnglishLookupFile;
}

/** A loaded, verified index ready for search. */
export interface LoadedIndex extends Omit<IndexData, 'manifest' | 'dropped' | 'english'> {
  manifest: Manifest;
  dir: string;
  hnsw: InstanceType<typeof HierarchicalNSW>;
  english: EnglishLookup;
}

function sha256(data: Buffer | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

function packVectors(vectors: readonly Float32Array[], dim: number): Buffer {
  const flat = new Float32Array(vectors.length * dim);
  vectors.forEach((v, i) => flat.set(v, i * dim));
  return Buffer.from(flat.buffer, flat.byteOffset, flat.byteLength);
}

function unpackVectors(buffer: Buffer, dim: number): Float32Array[] {
  const flat = new Float32Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength));
  return Array.from({ length: flat.length / dim }, (_, i) => flat.subarray(i * dim, (i + 1) * dim));
}

/** Builds the HNSW graph; the seed is fixed so the same input gives the same graph. */
export function buildHnsw(vectors: readonly Float32Array[], dim: number, m: number, efConstruction: number) {
  const index = new HierarchicalNSW('cosine', dim);
  index.initIndex(Math.max(1, vectors.length), m, efConstruction, 100);
  vectors.forEach((v, i) => index.addPoint(Array.from(v), i));
  return index;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Removes half-written builds left by a process that died, and builds no longer in service. */
function sweep(outDir: string, keep: ReadonlySet<string>): void {
  for (const name of fs.readdirSync(outDir)) {
    const tmp = /^\.tmp-(\d+)-/u.exec(name);
    const stale = tmp ? !isAlive(Number(tmp[1])) : name.startsWith('build-') && !keep.has(name);
    if (stale) fs.rmSync(path.join(outDir, name), { recursive: true, force: true });
  }
}

/** The build folder in service, or undefined when there is none. */
export function currentBuild(outDir: string): string | undefined {
  try {
    const name = fs.readFileSync(path.join(outDir, CURRENT), 'utf8').trim();
    return name ? path.join(outDir, name) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes a build atomically: everything goes into a temporary folder, which is
 * renamed into place, and only then does CURRENT switch to it (by rename). A
 * build killed at any point leaves the previous index in service.
 */
export function writeIndex(outDir: string, data: IndexData): { dir: string; manifest: Manifest } {
  fs.mkdirSync(outDir, { recursive: true });
  const previous = currentBuild(outDir);
  sweep(outDir, new Set(previous ? [path.basename(previous)] : []));
  const stamp = new Date().toISOString().replace(/[-:.]/gu, '').replace('T', '-').slice(0, 15);
  const name = `build-${stamp}-${crypto.randomBytes(3).toString('hex')}`;
  // The writer's pid is in the temporary name so a later build can tell a dead writer's leftovers from a live one's.
  const tmp = path.join(outDir, `.tmp-${process.pid}-${name}`);
  fs.mkdirSync(tmp);

  const { dim } = data.manifest.model;
  const files: Record<string, Buffer> = {
    [ARTIFACTS.passages]: Buffer.from(JSON.stringify(data.passages)),
    [ARTIFACTS.keys]: Buffer.from(JSON.stringify(data.embedKeys)),
    [ARTIFACTS.vectors]: packVectors(data.vectors, dim),
    [ARTIFACTS.bm25]: Buffer.from(JSON.stringify(data.bm25)),
    [ARTIFACTS.english]: Buffer.from(JSON.stringify(data.english)),
    // One record a line, so a maintainer can grep it.
    [ARTIFACTS.dropped]: Buffer.from(`[\n${data.dropped.map((d) => JSON.stringify(d)).join(',\n')}\n]\n`),
  };
  const { m, efConstruction } = data.manifest.hnsw;
  buildHnsw(data.vectors, dim, m, efConstruction).writeIndexSync(path.join(tmp, ARTIFACTS.hnsw));
  files[ARTIFACTS.hnsw] = fs.readFileSync(path.join(tmp, ARTIFACTS.hnsw));

  const artifacts: Manifest['artifacts'] = {};
  for (const [file, buffer] of Object.entries(files)) {
    if (file !== ARTIFACTS.hnsw) fs.writeFileSync(path.join(tmp, file), buffer);
    artifacts[file] = { bytes: buffer.length, sha256: sha256(buffer) };
  }
  const manifest: Manifest = { ...data.manifest, artifacts };
  fs.writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2));

  const final = path.join(outDir, name);
  fs.renameSync(tmp, final);
  const pointer = path.join(outDir, `${CURRENT}.${process.pid}.tmp`);
  fs.writeFileSync(pointer, `${name}\n`);
  fs.renameSync(pointer, path.join(outDir, CURRENT));
  sweep(outDir, new Set([name]));
  return { dir: final, manifest };
}

function readArtifact(dir: string, manifest: Manifest, file: string): Buffer {
  const expected = manifest.artifacts[file];
  const where = path.join(dir, file);
  if (!expected) throw new UserError(`The index manifest in ${dir} does not list ${file}; ${REBUILD}.`);
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(where);
  } catch {
    throw new UserError(`The index file ${where} is missing; ${REBUILD}.`);
  }
  if (buffer.length !== expected.bytes || sha256(buffer) !== expected.sha256) {
    throw new UserError(`The index file ${where} is corrupt (its checksum does not match the manifest); ${REBUILD}.`);
  }
  return buffer;
}

function parseJson<T>(buffer: Buffer, where: string): T {
  try {
    return JSON.parse(buffer.toString('utf8')) as T;
  } catch (err) {
    throw new UserError(`The index file ${where} is not valid JSON (${describeError(err)}); ${REBUILD}.`);
  }
}

/** Reads and checks the manifest of the build in service. */
export function readManifest(outDir: string): { dir: string; manifest: Manifest } {
  const dir = currentBuild(outDir);
  if (!dir) throw new UserError(`There is no index in ${outDir}; build it with \`npm run index\`.`);
  const where = path.join(dir, 'manifest.json');
  let raw: Buffer;
  try {
    raw = fs.readFileSync(where);
  } catch {
    throw new UserError(`The index manifest ${where} is missing; ${REBUILD}.`);
  }
  const manifest = parseJson<Manifest>(raw, where);
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new UserError(`The index in ${dir} has format ${String(manifest.formatVersion)}, this version reads ${FORMAT_VERSION}; ${REBUILD}.`);
  }
  return { dir, manifest };
}

/**
 * Loads the index in service and verifies every file against the manifest, so
 * a corrupt index is refused with one sentence naming the file, never misread.
 */
export function loadIndex(outDir: string, expected?: { id: string; dtype: string; tokenizer?: string }): LoadedIndex {
  const { dir, manifest } = readManifest(outDir);
  if (expected && (manifest.model.id !== expected.id || manifest.model.dtype !== expected.dtype)) {
    throw new UserError(`The index in ${dir} was built with ${manifest.model.id} (${manifest.model.dtype}), not ${expected.id} (${expected.dtype}); ${REBUILD}.`);
  }
  if (expected?.tokenizer && manifest.tokenizer !== expected.tokenizer) {
    throw new UserError(`The index in ${dir} was built with the ${manifest.tokenizer} tokenizer, this version uses ${expected.tokenizer}; rebuild it with \`npm run index\`.`);
  }
  const passages = parseJson<Passage[]>(readArtifact(dir, manifest, ARTIFACTS.passages), path.join(dir, ARTIFACTS.passages));
  const embedKeys = parseJson<string[]>(readArtifact(dir, manifest, ARTIFACTS.keys), path.join(dir, ARTIFACTS.keys));
  const vectors = unpackVectors(readArtifact(dir, manifest, ARTIFACTS.vectors), manifest.model.dim);
  const bm25 = parseJson<Bm25Index>(readArtifact(dir, manifest, ARTIFACTS.bm25), path.join(dir, ARTIFACTS.bm25));
  const english = readEnglish(dir, manifest);
  readArtifact(dir, manifest, ARTIFACTS.hnsw);
  const hnsw = new HierarchicalNSW('cosine', manifest.model.dim);
  try {
    hnsw.readIndexSync(path.join(dir, ARTIFACTS.hnsw));
  } catch (err) {
    throw new UserError(`The index file ${path.join(dir, ARTIFACTS.hnsw)} could not be read (${describeError(err)}); ${REBUILD}.`);
  }
  hnsw.setEf(manifest.hnsw.efSearch);
  const n = manifest.counts.passages;
  if (passages.length !== n || embedKeys.length !== n || vectors.length !== n || bm25.docCount !== n || hnsw.getCurrentCount() !== n) {
    throw new UserError(`The index in ${dir} is inconsistent (the files disagree on the number of passages); ${REBUILD}.`);
  }
  return { dir, manifest, passages, embedKeys, vectors, bm25, hnsw, english: fromLookupFile(english) };
}

/** The stored English lookup of a build, checked. */
function readEnglish(dir: string, manifest: Manifest): EnglishLookupFile {
  const where = path.join(dir, ARTIFACTS.english);
  const english = parseJson<unknown>(readArtifact(dir, manifest, ARTIFACTS.english), where);
  if (!isLookupFile(english)) throw new UserError(`The index file ${where} is not an English lookup; ${REBUILD}.`);
  return english;
}

/**
 * The English lookup of the build in service, for reuse by the next build when
 * the vocabulary has not changed; undefined when there is none usable.
 */
export function readEnglishCache(outDir: string): EnglishLookupFile | undefined {
  try {
    const { dir, manifest } = readManifest(outDir);
    return readEnglish(dir, manifest);
  } catch {
    return undefined; // no usable previous index: the lookup is built afresh
  }
}

/**
 * Vectors of the build in service keyed by their content key, for reuse by an
 * incremental build. Anything unreadable just means nothing is reused.
 */
export function readVectorCache(outDir: string, model: { id: string; dtype: string }): Map<string, Float32Array> {
  const cache = new Map<string, Float32Array>();
  try {
    const { dir, manifest } = readManifest(outDir);
    if (manifest.model.id !== model.id || manifest.model.dtype !== model.dtype) return cache;
    const keys = parseJson<string[]>(readArtifact(dir, manifest, ARTIFACTS.keys), ARTIFACTS.keys);
    const vectors = unpackVectors(readArtifact(dir, manifest, ARTIFACTS.vectors), manifest.model.dim);
    keys.forEach((key, i) => {
      const vector = vectors[i];
      if (vector) cache.set(key, vector);
    });
  } catch {
    // No usable previous index: everything is embedded afresh.
  }
  return cache;
}
