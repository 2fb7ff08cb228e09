import { indexDir } from '../config.js';
import type { Embedder } from '../embed/embedder.js';
import { loadEmbedder } from '../embed/embedder.js';
import { MODEL_DTYPE, MODEL_ID } from '../embed/model.js';
import { Corpus } from '../index/corpus.js';
import { loadIndex, type LoadedIndex } from '../index/store.js';
import { normalizeForIndex } from '../ingest/normalize.js';
import { jiebaTokenizer } from '../index/tokenizer.js';
import { isEnglishQuestion } from './english/detect.js';
import { englishToChinese } from './english/translate.js';
import { HomophoneIndex } from './homophones.js';
import type { QueryHelpers } from './query.js';
import { loadSearchModel, type SearchModel } from './model.js';
import { DEFAULT_TUNING, Searcher, type SearchTuning } from './searcher.js';

/** The query helpers that depend on the corpus: homophone fixing and English translation against its vocabulary. */
export function corpusHelpers(corpus: Corpus): QueryHelpers {
  const frequencies = corpus.vocabulary();
  const vocabulary = new Set(frequencies.keys());
  const homophones = HomophoneIndex.build([...frequencies], { texts: corpus.passages.map((p) => normalizeForIndex(p.text)) });
  return {
    correct: (text) => homophones.correct(text, (term) => vocabulary.has(term)),
    translate: (question) => (isEnglishQuestion(question) ? englishToChinese(question, corpus.english, vocabulary, (term) => corpus.passagesWith(term)) : []),
    chineseFor: (english) => englishToChinese(english, corpus.english, vocabulary),
  };
}

/** A ready searcher over a loaded index, warmed up so the first real question is fast. */
export async function searcherFor(
  index: LoadedIndex,
  embedder: Embedder,
  tuning: SearchTuning = DEFAULT_TUNING,
  model: SearchModel = loadSearchModel(),
): Promise<Searcher> {
  const corpus = new Corpus(index);
  const searcher = new Searcher(corpus, embedder, corpusHelpers(corpus), tuning, model);
  // The first search pays for lazy set-up (tokenizer dictionaries, ONNX session); pay it here, not on a user's question.
  await searcher.search('三门峡');
  return searcher;
}

/** Loads the index and the model once, and wires in the corpus-aware query helpers. */
export async function openSearcher(options: { dir?: string; tuning?: SearchTuning; log?: (line: string) => void } = {}): Promise<Searcher> {
  const index = loadIndex(options.dir ?? indexDir(), { id: MODEL_ID, dtype: MODEL_DTYPE, tokenizer: jiebaTokenizer.name });
  return searcherFor(index, await loadEmbedder(options.log), options.tuning);
}
