import type { Passage } from '../ingest/types.js';
import { sentenceSpans, type Span } from '../search/highlight.js';
import type { Hit, SearchResponse } from '../search/searcher.js';
import { TEXTS } from './texts.js';

/** What a reply says, before it is rendered for Telegram or a terminal. */
export type Answer =
  | {
      kind: 'quotes';
      question: string;
      english: boolean;
      /** The documents may not answer the question exactly: the reply says so above the quotes. */
      unsure: boolean;
      hits: Hit[];
      more: boolean;
    }
  | { kind: 'none'; question: string; english: boolean; topics: string[] };

/**
 * A further quote is shown only when it scores close to the best: one clear
 * answer stands alone. Scores are the ranker's pairwise logits, so a gap of
 * ln 4 means the ranker puts the better one ahead with odds under 4 to 1.
 */
const CLOSE = Math.log(4);

/** How many quotes a reply shows at most. */
export const MAX_QUOTES = 3;

/**
 * About what a phone shows before scrolling, in visible characters: further
 * quotes that would push the first screen past it wait behind 更多结果.
 */
export const FIRST_SCREEN = 600;

/** Longest answering lead shown above the folded passage; a longer one is cut and marked with …. */
export const LEAD_LIMIT = 300;

/**
 * The answering part of a passage: the span from the first to the last
 * highlighted sentence (they are neighbours), else its first sentence. Always
 * an exact span of the passage text, so the words shown are the documents'.
 */
export function leadSpan(hit: Pick<Hit, 'passage' | 'highlights'>): Span {
  const text = hit.passage.text;
  if (hit.highlights.length > 0) return [Math.min(...hit.highlights.map(([s]) => s)), Math.max(...hit.highlights.map(([, e]) => e))];
  return sentenceSpans(text)[0] ?? [0, text.length];
}

/** The lead's text, cut to `LEAD_LIMIT` with a … when longer. */
export function leadText(hit: Pick<Hit, 'passage' | 'highlights'>): string {
  const [start, end] = leadSpan(hit);
  const lead = hit.passage.text.slice(start, end);
  return lead.length > LEAD_LIMIT ? `${lead.slice(0, LEAD_LIMIT - 1)}…` : lead;
}

/** The printed page(s) of a PDF passage as a reader says it: `第3页`, `第3–4页`; empty for other formats. */
export function pageText(p: Pick<Passage, 'page' | 'pageEnd'>): string {
  if (p.page === undefined) return '';
  return p.pageEnd !== undefined && p.pageEnd !== p.page ? `第${p.page}–${p.pageEnd}页` : `第${p.page}页`;
}

/** What a passage's visible source line says: document › section · page (PDF) · date · gazette issue. */
export function sourceText(p: Passage): string {
  const where = [p.title, ...p.section.slice(-2)].join(' › ');
  const when = [pageText(p), p.date, p.issue].filter(Boolean).join(' · ');
  return `📄 ${where}${when ? ` · ${when}` : ''}`;
}

/**
 * Where exactly a passage stands in its file, for those who check: a PDF's page
 * and printed lines (`x.pdf 第3页第5–9行`), a Word file's or web page's
 * paragraphs (`x.docx 第12–15段`), a text file's lines (`x.txt:12-15`).
 */
export function locationText(p: Passage): string {
  if (p.page !== undefined && p.pageLines) {
    const [from, to] = p.pageLines;
    const end = p.pageEnd ?? p.page;
    return end === p.page ? `${p.file} 第${p.page}页第${from}–${to}行` : `${p.file} 第${p.page}页第${from}行–第${end}页第${to}行`;
  }
  if (/\.(docx|html?)$/iu.test(p.file)) return `${p.file} 第${p.lines[0]}–${p.lines[1]}段`;
  return `${p.file}:${p.lines[0]}-${p.lines[1]}`;
}

/** The citation of a run of neighbouring passages of one file: from the first's start to the last's end. */
export function spanCitation(first: Passage, last: Passage): Passage {
  const span: Passage = { ...last, lines: [first.lines[0], last.lines[1]] };
  if (first.page === undefined) return span;
  const end = last.pageEnd ?? last.page;
  span.page = first.page;
  if (end !== undefined && end !== first.page) span.pageEnd = end;
  else delete span.pageEnd;
  if (first.pageLines && last.pageLines) span.pageLines = [first.pageLines[0], last.pageLines[1]];
  return span;
}

/** Visible characters a quote adds to the first screen, its passage folded: the lead and the source line. */
export function firstScreenCost(hit: Pick<Hit, 'passage' | 'highlights'>): number {
  return leadText(hit).length + sourceText(hit.passage).length + 2;
}

/** The line above the quotes: a caveat when the documents may not answer exactly, the language of the quotes for English questions. */
export function answerLead(answer: Extract<Answer, { kind: 'quotes' }>): string {
  if (answer.unsure) return answer.english ? TEXTS.unsureEnglish : TEXTS.unsure;
  return answer.english ? 'Here is what the documents say (quoted in Chinese):' : '';
}

/** The documents' titles closest to a question, for a kind "not covered, but these are" reply. */
export function nearTopics(nearest: readonly Passage[], limit = 3): string[] {
  const topics: string[] = [];
  for (const p of nearest) {
    const topic = p.section[0] && p.title.length < 12 ? `${p.title} › ${p.section[0]}` : p.title;
    if (!topics.includes(topic)) topics.push(topic);
    if (topics.length >= limit) break;
  }
  return topics;
}

/**
 * Chooses what to quote: the best passage, and up to two more that score close
 * to it (so a question with one clear answer gets one quote). `from` skips the
 * passages already shown, for "more results".
 */
export function composeAnswer(response: SearchResponse, from = 0): Answer {
  const question = response.query.question;
  const english = response.query.translated.length > 0;
  if (response.noAnswer || response.hits.length <= from) {
    return { kind: 'none', question, english, topics: nearTopics(response.nearest) };
  }
  const pool = response.hits.slice(from);
  const best = pool[0]!.score;
  const close = from > 0 ? pool.slice(0, MAX_QUOTES) : pool.slice(0, MAX_QUOTES).filter((hit, i) => i === 0 || hit.score >= best - CLOSE);
  // The first quote always shows; the next ones only while the first screen stays readable on a phone.
  const hits: Hit[] = [];
  let used = 0;
  for (const hit of close) {
    const cost = firstScreenCost(hit);
    if (hits.length > 0 && used + cost > FIRST_SCREEN) break;
    hits.push(hit);
    used += cost;
  }
  return { kind: 'quotes', question, english, unsure: response.unsure, hits, more: response.hits.length > from + hits.length };
}
