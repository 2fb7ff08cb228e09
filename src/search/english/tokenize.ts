import { FILLER, WORD, lemmatise } from './words.js';

/**
 * Words that ask, link or are everywhere in the documents ("year", "city"):
 * translated, they would only add noise to the keyword side. Dropped from
 * questions only: a gloss keeps them, so "to measure time" (计时) does not pass
 * for "measure", and only glosses made wholly of content words can match.
 */
const STOP = new Set([
  ...FILLER,
  ...`this that these those there here it its they them their we our us you your i me my he she his her him one ones
  what which who whom whose when where why how whether many much more most less least some any all each every both either neither
  other another such same own only just also too very so than then thus again still even ever yet already
  do does did done doing can could will would shall should may might must was were been being am have has had having
  get gets got let make made take took go goes went come came give gave put become became happen happened
  about under over above below around onto upon per via within without between among through during before after since until while if because though although
  but nor not no yes year years time times day days month months city according tell know please say said called call name named
  zero two three four five six seven eight nine ten hundred thousand million billion first second third ii iii iv`
    .split(/\s+/u)
    .filter(Boolean),
]);

/** After "how", these ask for a quantity rather than name a quality ("how long", "how big"). */
const HOW_WHAT = new Set(['long', 'big', 'large', 'far', 'old', 'often', 'soon', 'tall', 'high', 'wide', 'deep', 'fast', 'early', 'late']);

/** One English word of the question. */
export interface Token {
  word: string;
  lemma: string;
  /** A question or function word: never translated on its own. */
  stop: boolean;
  /** Which stretch between punctuation marks the word sits in. */
  clause: number;
}

/** Lower-cased words with their lemmas; quotes, brackets and sentence marks start a new clause. */
export function tokenize(text: string, known: ReadonlySet<string>): Token[] {
  const tokens: Token[] = [];
  // Accents off ("Lüshi"), curly apostrophes straight; hyphens split words, as glosses write "high speed".
  const lower = text.normalize('NFKD').replace(/\p{M}/gu, '').replace(/’/gu, "'").toLowerCase();
  let clause = 0;
  let last = 0;
  for (const match of lower.matchAll(WORD)) {
    if (/[.,;:!?()[\]{}"“”‘]|(?:^|\s)'|'(?:\s|$)/u.test(lower.slice(last, match.index))) clause++;
    last = match.index + match[0].length;
    const word = match[0].replace(/'s$/u, '');
    const stop = STOP.has(word) || (tokens.at(-1)?.word === 'how' && HOW_WHAT.has(word));
    tokens.push({ word, lemma: lemmatise(word, known), stop, clause });
  }
  return tokens;
}
