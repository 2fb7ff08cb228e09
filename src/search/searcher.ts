import type { Embedder } from '../embed/embedder.js';
import type { Passage } from '../ingest/types.js';
import { CONTENTS_SECTION } from '../ingest/passages.js';
import { Corpus } from '../index/corpus.js';
import type { LoadedIndex } from '../index/store.js';
import { jiebaTokenizer, type Tokenizer } from '../index/tokenizer.js';
import { UserError } from '../errors.js';
import {
  DEFAULT_ABSTAIN,
  abstainFeatures,
  abstainSignals,
  certainRefusal,
  reasonFor,
  type AbstainReason,
  type AbstainSignals,
  type AbstainTuning,
} from './abstain.js';
import { answerType } from './answer-type.js';
import { bigramCoverage, bigramTable, weightedBigrams, type BigramTable } from './bigrams.js';
import { DocumentCards } from './document-card.js';
import {
  aboutText,
  bare,
  candidateFeatures,
  hasContext,
  withoutContext,
  normalized,
  questionShape,
  type CandidateSignals,
  type SearchContext,
} from './features.js';
import { mapSentences, pickHighlights, scoreSentences, type SentenceMap, type Span } from './highlight.js';
import { predict, sigmoid } from './linear-model.js';
import type { SearchModel } from './model.js';
import { parseQuery, type ParsedQuery, type QueryHelpers } from './query.js';

/** Which sides of the index answer: both fused (the product), or one alone (to compare). */
export type SearchMode = 'hybrid' | 'dense' | 'bm25';

/** One returned passage with its score and the sentences to bold. */
export interface Hit {
  rank: number;
  score: number;
  /** Position of the passage in the index. */
  index: number;
  passage: Passage;
  highlights: Span[];
}

/** The answer to one question. */
export interface SearchResponse {
  query: ParsedQuery;
  /** True when nothing in the documents answers: say so rather than quote something weak. */
  noAnswer: boolean;
  /** Which rule decided that nothing answers (null when something does). */
  abstainReason: AbstainReason;
  /** Answered, but the documents may not answer it exactly: say so above the quotes. */
  unsure: boolean;
  /** The closest passages even when abstaining: what the documents cover near the question. */
  nearest: Passage[];
  hits: Hit[];
  ms: number;
}

/** Candidate and abstention settings. */
export interface SearchTuning {
  /** Candidates taken from each side before ranking. */
  candidates: number;
  /** The meaning checks behind abstention. */
  abstain: AbstainTuning;
}

export const DEFAULT_TUNING: SearchTuning = { candidates: 100, abstain: DEFAULT_ABSTAIN };

/** A passage that may answer, with everything the ranker reads about it. */
export interface Candidate {
  /** Position of the passage in the index. */
  index: number;
  signals: CandidateSignals;
  /** In `CANDIDATE_FEATURES` order. */
  features: number[];
  sentenceScores: number[];
}

/** A question's candidates before ranking. */
export interface CandidateSet {
  query: ParsedQuery;
  candidates: Candidate[];
}

/** A ranked answer before it is cut to k: every candidate in order, and what abstention reads. */
export interface Ranking {
  query: ParsedQuery;
  ranked: Array<{ candidate: Candidate; score: number }>;
  signals: AbstainSignals | null;
  /** In `ABSTAIN_FEATURES` order; null when the question is empty. */
  abstainFeatures: number[] | null;
}

/** Character 3-gram sets, to spot near-duplicate passages in one result list. */
function shingles(text: string): Set<string> {
  const compacted = text.replace(/\s+/gu, '');
  const out = new Set<string>();
  for (let i = 0; i + 3 <= compacted.length; i += 1) out.add(compacted.slice(i, i + 3));
  return out;
}

function overlap(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const s of a) if (b.has(s)) shared += 1;
  return shared / Math.max(1, Math.min(a.size, b.size));
}

/** A date to the day, as a signature or byline gives it: `2020年3月7日`. */
const FULL_DATE = /\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日/u;

/** 几号 asking a number, not a day: `几号文`, `总第几号`, `文号`. */
const NUMBER_NOT_DATE = /第几号|几号文|文号/u;

/** Shortest question taken for a quotation of the documents: shorter ones are phrases many passages share. */
const MIN_QUOTE = 10;

/**
 * A question that is itself a sentence of the documents (pasted from a news
 * article to find its source) is answered by the passages holding it, first, in
 * the ranker's order: an exact quotation outranks any paraphrase of it.
 */
export function quotedFirst(query: ParsedQuery, ranked: Ranking['ranked']): Ranking['ranked'] {
  const quote = bare(query.text);
  if (quote.length < MIN_QUOTE) return ranked;
  const holds = (r: Ranking['ranked'][number]): boolean => normalized(r.candidate.signals.passage).bare.includes(quote);
  const quoting = ranked.filter(holds);
  return quoting.length === 0 ? ranked : [...quoting, ...ranked.filter((r) => !quoting.includes(r))];
}

/** Index of the highest score (the first of equals), 0 for none. */
function bestAt(scores: readonly number[]): number {
  return scores.reduce((best, score, k) => (score > scores[best]! ? k : best), 0);
}

/** Ranks by rank position: 0 for the best. */
function ranks(scores: ReadonlyMap<number, number>): Map<number, number> {
  return new Map([...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([i], rank) => [i, rank]));
}

/**
 * Answers questions from a loaded index: query understanding, dense (HNSW) and
 * keyword (BM25) candidates, a trained ranker over their features, calibrated
 * abstention, de-duplication and highlights.
 */
export class Searcher {
  private readonly sentences: SentenceMap[];
  private readonly cards: DocumentCards;
  /** The character bigrams of what each passage is about, and their passage counts. */
  private readonly bigrams: BigramTable;

  /** The index, through the one interface `src/index` offers. */
  readonly index: Corpus;

  constructor(
    loaded: LoadedIndex | Corpus,
    readonly embedder: Embedder,
    readonly helpers: QueryHelpers = {},
    readonly tuning: SearchTuning = DEFAULT_TUNING,
    /** The trained ranker and abstainer; null only while training (hybrid search needs it). */
    public model: SearchModel | null = null,
    private readonly tokenizer: Tokenizer = jiebaTokenizer,
  ) {
    this.index = loaded instanceof Corpus ? loaded : new Corpus(loaded);
    this.sentences = this.index.passages.map((p) => mapSentences(p.text));
    this.cards = new DocumentCards(this.index.passages);
    this.bigrams = bigramTable(this.index.passages.map(aboutText));
  }

  /** Parses a question the way `search` does, without searching. */
  parse(question: string): ParsedQuery {
    return parseQuery(question, this.tokenizer, this.helpers);
  }

  /**
   * The passages that may answer: the best of the dense side and of the keyword
   * side, each with its features. Training reads these, so the ranker learns on
   * exactly what search ranks.
   */
  async candidates(question: string, mode: SearchMode = 'hybrid', context: SearchContext = {}): Promise<CandidateSet> {
    const query = this.parse(question);
    if (!query.text && query.terms.length === 0) return { query, candidates: [] };
    const corpus = this.index;
    const { passages } = corpus;
    const limit = Math.min(this.tuning.candidates, passages.length);

    let dense = new Map<number, number>();
    let queryVector: Float32Array | undefined;
    if (mode !== 'bm25') {
      queryVector = await this.embedder.embedQuery([query.text, ...query.translated].join(' '));
      dense = corpus.dense(queryVector, limit);
    }
    const keyword = mode !== 'dense' ? corpus.keyword(query.terms) : new Map<number, number>();
    const keywordTop = new Map([...keyword].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, limit));
    const pool = [...new Set<number>([...dense.keys(), ...keywordTop.keys()])];
    // A keyword candidate the HNSW search did not return still gets its exact cosine (the vectors are in memory).
    if (queryVector) for (const i of pool) if (!dense.has(i)) dense.set(i, corpus.cosine(queryVector, i));
    const denseRanks = ranks(dense);
    const keywordRanks = ranks(keywordTop);
    const maxKeyword = Math.max(1e-9, ...keywordTop.values());
    const bestCosine = Math.max(0, ...dense.values());
    const documentCosines = new Map(pool.map((i) => [i, queryVector ? corpus.documentCosine(queryVector, i) : 0]));
    const bestDocumentCosine = Math.max(0, ...documentCosines.values());

    const terms = query.terms.map((term) => ({ term, weight: corpus.idf(term) }));
    const type = answerType(query.question);
    const shape = questionShape(query);
    const grams = weightedBigrams(query.translated.length > 0 ? query.translated.join(' ') : query.text, this.bigrams.df, passages.length);
    const candidates = pool.map((i) => {
      const sentenceScores = scoreSentences(this.sentences[i]!, terms, type);
      const plain = scoreSentences(this.sentences[i]!, terms, 'other');
      const signals: CandidateSignals = {
        passage: passages[i]!,
        cosine: dense.get(i) ?? null,
        bestCosine,
        denseRank: denseRanks.get(i) ?? pool.length,
        bm25: (keywordTop.get(i) ?? 0) / maxKeyword,
        bm25Rank: keywordRanks.get(i) ?? null,
        sentence: Math.max(0, ...sentenceScores),
        sentenceCoverage: Math.max(0, ...plain),
        bestSentence: this.sentences[i]!.normalized[bestAt(sentenceScores)] ?? '',
        documentCosine: documentCosines.get(i)!,
        bestDocumentCosine,
        bigramCoverage: bigramCoverage(this.bigrams.grams[i]!, grams),
      };
      return { index: i, signals, features: candidateFeatures(signals, query, shape, terms, context), sentenceScores };
    });
    return { query, candidates };
  }

  /** Ranks a question's candidates (the trained ranker; one side's own score in a single-side mode) and reads abstention's signals. */
  async rank(question: string, mode: SearchMode = 'hybrid', context: SearchContext = {}): Promise<Ranking> {
    const { query, candidates } = await this.candidates(question, mode, context);
    if (candidates.length === 0) return { query, ranked: [], signals: null, abstainFeatures: null };
    const ranker = mode === 'hybrid' ? this.requireModel().ranker : null;
    const order = (features: (candidate: Candidate) => number[]): Ranking['ranked'] =>
      candidates
        .map((candidate) => ({
          candidate,
          score: ranker ? predict(ranker, features(candidate)) : mode === 'dense' ? (candidate.signals.cosine ?? 0) : candidate.signals.bm25,
        }))
        .sort((a, b) => b.score - a.score || a.candidate.index - b.candidate.index);
    const ranked = order((c) => c.features);
    // Whether the documents answer is a question of the question, not of the chat: refusal reads the ranking it gets alone, as
    // it learnt from. What the chat said before only changes which of the passages found comes first.
    const judged = candidates.some((c) => hasContext(c.features)) ? order((c) => withoutContext(c.features)) : ranked;
    const top = judged[0]!.candidate.signals;
    const heads = judged.slice(0, this.tuning.abstain.depth);
    const signals = abstainSignals(
      query,
      heads.map((r) => r.candidate.signals.passage),
      heads.map((r) => this.sentences[r.candidate.index]!.normalized),
      top.cosine,
      this.index,
      this.tuning.abstain,
      this.tokenizer,
    );
    const summary = { scores: judged.slice(0, 2).map((r) => r.score), topCosine: top.cosine ?? 0, topSentenceCoverage: top.sentenceCoverage };
    return { query, ranked, signals, abstainFeatures: abstainFeatures(query, signals, summary) };
  }

  /**
   * A question about a document itself (who issued it, its 文号, when) that
   * the ranker answers with one of its header or closing lines gets the whole
   * card first: every such line of that document, each quoted and cited.
   * Returns the new order and the card's passages (none when there is no card).
   */
  private withCard(query: ParsedQuery, ranked: Ranking['ranked']): { ordered: Ranking['ranked']; card: ReadonlySet<number> } {
    const best = ranked[0];
    const passage = best?.candidate.signals.passage;
    // The contents of an issue are its own answer (what it holds, on which page), not a document's card.
    const shape = questionShape(query);
    if (!best || passage?.kind !== 'meta' || passage.section[0] === CONTENTS_SECTION || !shape.aboutDocument) {
      return { ordered: ranked, card: new Set() };
    }
    const card = this.cards.cardOf(best.candidate.signals.passage);
    const byIndex = new Map(ranked.map((r) => [r.candidate.index, r]));
    const lines = [best, ...card.map((i) => byIndex.get(i)).filter((r): r is Ranking['ranked'][number] => !!r && r !== best)];
    // Asked when, the line giving the full date (its signature, or a speech's byline) leads; else the best line does.
    const dated = (r: Ranking['ranked'][number]): boolean => FULL_DATE.test(r.candidate.signals.passage.text);
    const asksDate = shape.asksWhen && !NUMBER_NOT_DATE.test(query.text);
    const first = asksDate ? [...lines.filter(dated), ...lines.filter((r) => !dated(r))] : lines;
    // Card lines the candidates missed are not added: every hit keeps the features and score the ranker gave it.
    return { ordered: [...first, ...ranked.filter((r) => !first.includes(r))], card: new Set(card) };
  }

  async search(question: string, options: { k?: number; mode?: SearchMode; context?: SearchContext } = {}): Promise<SearchResponse> {
    const started = performance.now();
    const k = options.k ?? 5;
    const mode = options.mode ?? 'hybrid';
    const { query, ranked, signals, abstainFeatures: features } = await this.rank(question, mode, options.context);
    if (!signals || !features) return { query, noAnswer: true, abstainReason: 'empty', unsure: false, nearest: [], hits: [], ms: performance.now() - started };

    const hits: Hit[] = [];
    const kept: Array<Set<string>> = [];
    const ordered = quotedFirst(query, ranked);
    const { ordered: carded, card } = this.withCard(query, ordered);
    for (const { candidate, score } of carded) {
      if (hits.length >= k) break;
      const { passage } = candidate.signals;
      const grams = shingles(passage.text);
      // A card's lines are distinct lines of one document, however alike (its signature and its header both name the office).
      if (!card.has(candidate.index) && kept.some((other) => overlap(grams, other) > 0.6)) continue;
      kept.push(grams);
      hits.push({
        rank: hits.length + 1,
        score,
        index: candidate.index,
        passage,
        highlights: pickHighlights(this.sentences[candidate.index]!, candidate.sentenceScores),
      });
    }
    // A sentence of the documents pasted in is answered by the passage holding it, whatever it reads like (`几座`, `前几天`).
    const verdict = ordered !== ranked ? 'answer' : this.verdict(signals, features, mode);
    const abstainReason = verdict === 'refuse' ? reasonFor(signals) : null;
    const noAnswer = abstainReason !== null;
    const unsure = verdict === 'unsure';
    return { query, noAnswer, abstainReason, unsure, nearest: hits.map((h) => h.passage), hits: noAnswer ? [] : hits, ms: performance.now() - started };
  }

  /**
   * Refuses on the meaning checks that are certain (see `certainRefusal`), else
   * as the trained classifier says: refuse, answer with a caveat, or answer. A
   * single side (for comparison) refuses on the meaning checks alone.
   */
  private verdict(signals: AbstainSignals, features: readonly number[], mode: SearchMode): 'refuse' | 'unsure' | 'answer' {
    if (mode !== 'hybrid') return signals.unrelated || signals.yearMissing || signals.placeMissing ? 'refuse' : 'answer';
    if (certainRefusal(signals)) return 'refuse';
    const model = this.requireModel();
    const p = sigmoid(predict(model.abstainer, features));
    return p >= model.threshold ? 'refuse' : p >= model.hedgeThreshold ? 'unsure' : 'answer';
  }

  private requireModel(): SearchModel {
    if (!this.model) throw new UserError('Search needs its trained model; make it with `npm run train`.');
    return this.model;
  }
}
