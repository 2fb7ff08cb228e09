import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { UserError, describeError } from '../errors.js';
import { locateModel, type ModelLocation } from './locate.js';
import { MODEL_DIM, MODEL_DTYPE, MODEL_ID, QUERY_INSTRUCTION } from './model.js';

/** Turns text into unit-length vectors; passages and queries are embedded differently. */
export interface Embedder {
  readonly modelId: string;
  readonly dtype: string;
  readonly dim: number;
  readonly location: ModelLocation;
  /** Embeds passages (no instruction), one vector per text, in order. */
  embedPassages(texts: readonly string[]): Promise<Float32Array[]>;
  /** Embeds a user question with bge's retrieval instruction. */
  embedQuery(text: string): Promise<Float32Array>;
}

/** Splits a flat batch output into one vector per input. */
function splitRows(data: Float32Array, rows: number, dim: number): Float32Array[] {
  return Array.from({ length: rows }, (_, i) => data.slice(i * dim, (i + 1) * dim));
}

/**
 * Loads the model once (locating or downloading it first). A missing or broken
 * model becomes one sentence that names what to set, never a stack trace.
 */
export async function loadEmbedder(log?: (line: string) => void): Promise<Embedder> {
  const location = await locateModel(log);
  env.localModelPath = location.root;
  env.allowLocalModels = true;
  // Everything the project needs is local by now; reaching for the hub would only hang offline.
  env.allowRemoteModels = false;
  let extractor: FeatureExtractionPipeline;
  try {
    extractor = await pipeline('feature-extraction', MODEL_ID, { dtype: MODEL_DTYPE });
  } catch (err) {
    throw new UserError(
      `Could not load the embedding model from ${location.root} (${describeError(err)}); set MODEL_DIR to a folder that holds a working ${MODEL_ID}/, or delete models/ to download it again.`,
    );
  }

  const run = async (texts: string[]): Promise<Float32Array[]> => {
    const output = await extractor(texts, { pooling: 'cls', normalize: true });
    const dim = output.dims.at(-1) ?? 0;
    if (dim !== MODEL_DIM)
      throw new UserError(`The embedding model produced ${dim}-dimensional vectors, expected ${MODEL_DIM}; set MODEL_DIR to a copy of ${MODEL_ID}.`);
    return splitRows(output.data as Float32Array, texts.length, dim);
  };

  return {
    modelId: MODEL_ID,
    dtype: MODEL_DTYPE,
    dim: MODEL_DIM,
    location,
    embedPassages: (texts) => (texts.length === 0 ? Promise.resolve([]) : run([...texts])),
    embedQuery: async (text) => {
      const [vector] = await run([QUERY_INSTRUCTION + text]);
      if (!vector) throw new Error('the model returned no vector');
      return vector;
    },
  };
}
