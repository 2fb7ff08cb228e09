import { jiebaTokenizer } from '../index/tokenizer.js';
import { pinyin } from 'pinyin-pro';

/** One substitution made by {@link HomophoneIndex.correct}, for logs and for telling the user what was searched. */
export interface HomophoneReplacement {
  from: string;
  to: string;
}

/** What {@link HomophoneIndex.correct} returns: the query to search, and what changed in it (empty when nothing did). */
export interface HomophoneCorrection {
  text: string;
  replacements: HomophoneReplacement[];
}

/** Knobs of {@link HomophoneIndex}; the defaults were measured on the real corpus (see test/homophones.test.ts). */
export interface HomophoneOptions {
  /**
   * A corpus word seen in fewer passages than this is never a correction target.
   * Rare vocabulary is mostly one-off names and jieba fragments (安伟, 保明), which
   * ordinary text matches by sound far more often than users mistype them.
   */
  minDocumentFrequency?: number;
  /**
   * The passages' normalised text. A span found verbatim in the documents is
   * real language (出了, 讲的, 年中), never a slip, even when it sounds like a
   * corpus word. Without it, about half again as many correct sentences of held-out
   * documents got "fixed"; pass it.
   */
  texts?: Iterable<string>;
  /**
   * Whether a string is an ordinary Chinese word. Questions are colloquial (共用,
   * 一回, 带头) and such words are missing from the corpus, yet a real word is not
   * a typo: it is never replaced, and no neighbour is replaced into it. Defaults
   * to jieba's dictionary, which the tokenizer has loaded anyway.
   */
  isWord?: (term: string) => boolean;
  /**
   * Also match across the input-method confusions zh/z, ch/c, sh/s, n/l, an/ang,
   * en/eng, in/ing, where the exact reading matches nothing. Off by default:
   * it changed no question we tried, but it did "fix" 7 more of 2,545 correct
   * sentences from held-out documents (想在 → 现在, 对县 → 对象), and standard
   * pinyin input makes exact-sound slips, not these.
   */
  fuzzy?: boolean;
}

interface Entry {
  term: string;
  df: number;
}

interface Candidate {
  start: number;
  length: number;
  to: string;
  df: number;
}

const HAN_RUN = /[\u3400-\u4dbf\u4e00-\u9fff]+/gu;
const HAN_TERM = /^[\u3400-\u4dbf\u4e00-\u9fff]{2,6}$/u;
const DEFAULT_MIN_DF = 3;
/** Input methods slip inside words; spans longer than the common word lengths only add chance collisions. */
const MIN_SPAN = 2;
const MAX_SPAN = 4;
/** Longer corpus terms are rare, and cutForSearch indexes their parts too, which catch the same crossings. */
const MAX_KNOWN = 8;

/** Whether a string is a dictionary word of the segmenter. */
function isJiebaWord(term: string): boolean {
  return jiebaTokenizer.isWord(term);
}

/** Toneless, with ü as v: users pick the wrong character of the right sound whatever its tone. */
function readingOf(text: string): string[] {
  return pinyin(text, { toneType: 'none', type: 'array', v: true });
}

/** Merges the sounds that many speakers, and fuzzy-pinyin input methods, do not tell apart. */
function fuzzySyllable(syllable: string): string {
  return syllable
    .replace(/^([zcs])h/u, '$1')
    .replace(/^n(?!g$)/u, 'l')
    .replace(/([aei])ng$/u, '$1n');
}

function fuzzyKey(syllables: readonly string[]): string {
  return syllables.map(fuzzySyllable).join(' ');
}

function addTo(map: Map<string, Entry[]>, key: string, entry: Entry): void {
  const list = map.get(key);
  if (list) list.push(entry);
  else map.set(key, [entry]);
}

/** Most frequent first, so the first acceptable entry is the one to use; ties by term, so input order does not matter. */
function byFrequency(a: Entry, b: Entry): number {
  return b.df - a.df || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0);
}

/** What starts a number's unit or date word: `年`, `月`, `号`, `届`, `万`, `个`… */
const UNIT_START = /^[年月日号季期届次批个位名项家万亿千百元度点岁倍]/u;

/**
 * Corpus words by sound, to undo input-method slips such as 国到 for 国道 (both
 * "guo dao"). Only the documents' own vocabulary is a target, so a query can only
 * be pulled towards words the documents use, never towards a general dictionary.
 */
export class HomophoneIndex {
  private constructor(
    private readonly exact: ReadonlyMap<string, readonly Entry[]>,
    private readonly fuzzy: ReadonlyMap<string, readonly Entry[]> | null,
    private readonly isWord: (term: string) => boolean,
    private readonly corpus: string,
  ) {}

  /**
   * Indexes the Han words of 2–6 characters among `vocabulary` (term, number of
   * passages holding it) under their toneless reading. The reading is pinyin-pro's
   * for the whole word, so a polyphonic character is read as it is in that word
   * (银行 yin hang, 行长 hang zhang), not by its most common reading.
   */
  static build(vocabulary: Iterable<[term: string, documentFrequency: number]>, options: HomophoneOptions = {}): HomophoneIndex {
    const minDf = options.minDocumentFrequency ?? DEFAULT_MIN_DF;
    const exact = new Map<string, Entry[]>();
    const fuzzy = options.fuzzy ? new Map<string, Entry[]>() : null;
    for (const [term, df] of vocabulary) {
      if (df < minDf || !HAN_TERM.test(term)) continue;
      const syllables = readingOf(term);
      // One syllable per character is what lets a span be compared with a word position by position.
      if (syllables.length !== term.length) continue;
      const entry = { term, df };
      addTo(exact, syllables.join(' '), entry);
      if (fuzzy) addTo(fuzzy, fuzzyKey(syllables), entry);
    }
    for (const list of exact.values()) list.sort(byFrequency);
    if (fuzzy) for (const list of fuzzy.values()) list.sort(byFrequency);
    // One string, searched only for the rare spans that sound like a corpus word, costs less than indexing every n-gram.
    // Spacing is layout (`2020 年第 3 号`): a span is found in the documents whatever spaces they put inside it.
    const corpus = options.texts ? Array.from(options.texts, (text) => text.replace(/[^\S\n]+/gu, '')).join('\n') : '';
    return new HomophoneIndex(exact, fuzzy, options.isWord ?? isJiebaWord, corpus);
  }

  /**
   * Replaces Han spans of 2–4 characters that are neither corpus terms
   * (`isKnown`), ordinary words, nor found in the documents, but sound exactly
   * like a corpus word. Wrongly "fixing" a correct question loses its answer,
   * while a missed typo still has dense search to fall back on, so any doubt
   * leaves the query alone:
   *  - a span that overlaps a word reaching outside it (中国到 → 国到) belongs to
   *    that word, not to a slip;
   *  - the target must keep at least half the span's characters: a slip swaps a
   *    character, while two unrelated strings of one sound are a coincidence;
   *  - no character inside a word within the span is changed;
   *  - longer matches win, then more frequent targets.
   * `query` must already be normalised (Simplified, lower case), like the index.
   */
  correct(query: string, isKnown: (term: string) => boolean): HomophoneCorrection {
    const replacements: HomophoneReplacement[] = [];
    let text = '';
    let copied = 0;
    for (const match of query.matchAll(HAN_RUN)) {
      const run = match[0];
      if (run.length < MIN_SPAN) continue;
      // Right after a number comes its unit or date word (`20年第3号`), not a slip for a corpus word; a name may (`310国到` for 国道).
      const afterNumber = /\d\s*$/u.test(query.slice(0, match.index));
      for (const c of this.choose(run, isKnown)) {
        if (afterNumber && c.start === 0 && UNIT_START.test(run)) continue;
        const at = match.index + c.start;
        replacements.push({ from: run.slice(c.start, c.start + c.length), to: c.to });
        text += query.slice(copied, at) + c.to;
        copied = at + c.length;
      }
    }
    return { text: text + query.slice(copied), replacements };
  }

  /** The non-overlapping corrections for one run of Han characters, left to right. */
  private choose(run: string, isKnown: (term: string) => boolean): Candidate[] {
    const known = (term: string): boolean => isKnown(term) || this.isWord(term);
    const words: Array<[start: number, end: number]> = [];
    for (let length = 2; length <= Math.min(MAX_KNOWN, run.length); length++) {
      for (let start = 0; start + length <= run.length; start++) {
        if (known(run.slice(start, start + length))) words.push([start, start + length]);
      }
    }
    const candidates: Candidate[] = [];
    for (let length = Math.min(MAX_SPAN, run.length); length >= MIN_SPAN; length--) {
      for (let start = 0; start + length <= run.length; start++) {
        const end = start + length;
        const span = run.slice(start, end);
        if (known(span)) continue;
        const touching = words.filter(([s, e]) => s < end && e > start);
        if (touching.some(([s, e]) => s < start || e > end)) continue;
        const inner = touching.map(([s, e]): [number, number] => [s - start, e - start]);
        const found = this.lookup(span, inner);
        // Checked last: scanning the text costs more than the lookups that almost always end the search first.
        if (found && !this.corpus.includes(span)) candidates.push({ start, length, to: found.term, df: found.df });
      }
    }
    candidates.sort((a, b) => b.length - a.length || b.df - a.df || a.start - b.start);
    const taken: Candidate[] = [];
    for (const c of candidates) {
      if (taken.every((t) => c.start >= t.start + t.length || t.start >= c.start + c.length)) taken.push(c);
    }
    return taken.sort((a, b) => a.start - b.start);
  }

  /** The corpus word `span` is a slip for, if any; `inner` are the words inside it (offsets in span), which stay as typed. */
  private lookup(span: string, inner: ReadonlyArray<readonly [number, number]>): Entry | undefined {
    // The library reads the span as typed, so a polyphonic character gets the reading it has in that string.
    const syllables = readingOf(span);
    if (syllables.length !== span.length) return undefined;
    const acceptable = (entry: Entry): boolean => {
      let changed = 0;
      for (let i = 0; i < span.length; i++) {
        if (span[i] === entry.term[i]) continue;
        if (inner.some(([s, e]) => i >= s && i < e)) return false;
        changed++;
      }
      return changed > 0 && changed * 2 <= span.length;
    };
    const exact = this.exact.get(syllables.join(' '));
    if (exact) return exact.find(acceptable);
    return this.fuzzy?.get(fuzzyKey(syllables))?.find(acceptable);
  }
}
