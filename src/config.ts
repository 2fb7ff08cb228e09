import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';

dotenv.config({ quiet: true });

/** The nearest folder above this file holding package.json: the same from src/ (tsx) and dist/src/ (compiled). */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..');
  }
}

/** The project root, so paths work the same from any working directory. */
export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

/** True when running the compiled JavaScript in dist/ rather than the TypeScript sources through tsx. */
export const COMPILED = fileURLToPath(import.meta.url).includes(`${path.sep}dist${path.sep}`);

/**
 * How to run one of the project's scripts in a child process, the same way this
 * process runs: compiled JavaScript with plain node (lean on memory), or the
 * TypeScript source through tsx.
 */
export function scriptCommand(name: string): string[] {
  return COMPILED ? [path.join(PROJECT_ROOT, 'dist', 'scripts', `${name}.js`)] : ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', `${name}.ts`)];
}

/** Resolves a path from the environment against the working directory, or a default against the project root. */
function pathFromEnv(key: string, fallback: string): string {
  const value = process.env[key]?.trim();
  return value ? path.resolve(value) : path.join(PROJECT_ROOT, fallback);
}

/** Where the documents to index live (`SEEDS_DIR`, default `seeds/`). */
export function seedsDir(): string {
  return pathFromEnv('SEEDS_DIR', 'seeds');
}

/** Where the built index lives (`INDEX_DIR`, default `index/`). */
export function indexDir(): string {
  return pathFromEnv('INDEX_DIR', 'index');
}

/** A folder holding `Xenova/bge-small-zh-v1.5` that the user pointed at, if any (`MODEL_DIR`). */
export function modelDirFromEnv(): string | undefined {
  const value = process.env.MODEL_DIR?.trim();
  return value ? path.resolve(value) : undefined;
}

/** The project-local model cache that a first run downloads into. */
export function modelCacheDir(): string {
  return path.join(PROJECT_ROOT, 'models');
}
