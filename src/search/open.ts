import { indexDir } from '../config.js';
import { loadEmbedder } from '../embed/embedder.js';
import { MODEL_DTYPE, MODEL_ID } from '../embed/model.js';
import { loadIndex } from '../index/store.js';
import { normalizeForIndex } from '../ingest/normalize.js';
import { englishToChinese, isEnglishQuestion, preloadEnglishDictionary } from './english.js';
import { HomophoneIndex } from './homophones.js';
import type { QueryHelpers } from './query.js';
import { DEFAULT_TUNING, Searcher, type SearchTuning } from './searcher.js';

/** Loads the index and the model once, and wires in the corpus-aware query helpers. */
export async function openSearcher(options: { dir?: string; tuning?: SearchTuning; log?: (line: string) => void } = {}): Promise<Searcher> {
  const index = loadIndex(options.dir ?? indexDir(), { id: MODEL_ID, dtype: MODEL_DTYPE });
  const embedder = await loadEmbedder(options.log);
  const vocabulary = new Set(Object.keys(index.bm25.postings));
  preloadEnglishDictionary();
  const homophones = HomophoneIndex.build(
    Object.entries(index.bm25.postings).map(([term, postings]) => [term, postings.length / 2] as [string, number]),
    { texts: index.passages.map((p) => normalizeForIndex(p.text)) },
  );
  const helpers: QueryHelpers = {
    correct: (text) => homophones.correct(text, (term) => vocabulary.has(term)),
    translate: (question) => (isEnglishQuestion(question) ? englishToChinese(question, vocabulary) : []),
  };
  const searcher = new Searcher(index, embedder, helpers, options.tuning ?? DEFAULT_TUNING);
  // The first search pays for lazy set-up (tokenizer dictionaries, ONNX session); pay it here, not on a user's question.
  await searcher.search('三门峡');
  return searcher;
}
