import type { Passage } from '../ingest/types.js';
import type { Span } from '../search/highlight.js';
import type { Hit } from '../search/searcher.js';
import { answerLead, leadText, locationText, sourceText, spanCitation, type Answer } from './compose.js';
import { clipText, escapeHtml, packMessages, plainText } from './html.js';

/** Room left for one passage in a message once its lead (≤ 300), header rows, source line and markup are counted. */
const QUOTE_BUDGET = 3300;

/** A passage's text with the answering sentences in bold, every character from the document escaped. */
export function quoteHtml(text: string, highlights: readonly Span[]): string {
  let out = '';
  let at = 0;
  for (const [start, end] of highlights) {
    if (start < at) continue;
    out += escapeHtml(text.slice(at, start)) + `<b>${escapeHtml(text.slice(start, end))}</b>`;
    at = end;
  }
  return out + escapeHtml(text.slice(at));
}

/** The source line under a quote, in words people understand: document, section, date, gazette issue. */
export function sourceLine(p: Passage): string {
  return escapeHtml(sourceText(p));
}

/** Where exactly the quote stands, for those who check: file and line range (page and printed lines for a PDF). */
export function detailLine(p: Passage): string {
  return `<code>${escapeHtml(locationText(p))}</code>`;
}

/**
 * One quote, answer first: the answering sentence(s) as a short quote, then the
 * whole passage (with a table's header rows) folded in an expandable quote that
 * ends with the file and lines, then the source line.
 */
export function quoteBlock(hit: Pick<Hit, 'passage' | 'highlights'>): string {
  const { passage } = hit;
  const clipped = clipText(passage.text, QUOTE_BUDGET);
  const highlights = hit.highlights.filter(([, end]) => end <= clipped.length);
  const header = passage.header ? `${escapeHtml(passage.header)}\n` : '';
  const lead = `<blockquote><b>${escapeHtml(leadText(hit))}</b></blockquote>`;
  const folded = `<blockquote expandable>${header}${quoteHtml(clipped, highlights)}\n${detailLine(passage)}</blockquote>`;
  return `${lead}\n${folded}\n${sourceLine(passage)}`;
}

/** A kind reply for questions the documents do not cover, with the closest topics they do cover. */
function noneHtml(answer: Extract<Answer, { kind: 'none' }>): string {
  const lead = answer.english ? 'The documents do not seem to cover this.\n' : '';
  const topics = answer.topics.length ? `\n\n文件中与此最接近的主题：\n${answer.topics.map((t) => `• ${escapeHtml(t)}`).join('\n')}` : '';
  return `${lead}抱歉，这些文件里没有找到能回答这个问题的内容。${topics}\n\n可以换个说法，或发送 /sources 查看收录的文件。`;
}

/**
 * Renders an answer as Telegram HTML messages (each within the length limit,
 * split between quotes, never inside one).
 */
export function renderAnswerHtml(answer: Answer, understood?: string): string[] {
  // A rewritten follow-up says how it was understood, so the user can rephrase.
  const note = understood ? `<i>（理解为：${escapeHtml(understood)}）</i>\n` : '';
  if (answer.kind === 'none') return [note + noneHtml(answer)];
  const lead = note + answerLead(answer);
  const blocks = answer.hits.map(quoteBlock);
  return packMessages(lead ? [lead.trimEnd(), ...blocks] : blocks, '\n\n');
}

/** Renders passages around a quote (its "context") as Telegram HTML messages. */
export function renderContextHtml(passages: readonly Passage[], focus: string): string[] {
  const blocks = passages.map((p) => {
    const text = clipText(p.text, QUOTE_BUDGET);
    const quote = p.id === focus ? `<b>${escapeHtml(text)}</b>` : escapeHtml(text);
    return `<blockquote>${quote}</blockquote>`;
  });
  const last = passages.at(-1);
  const span = last ? spanCitation(passages[0]!, last) : null;
  return packMessages(span ? [...blocks, `${sourceLine(span)} · ${detailLine(span)}`] : blocks);
}

/**
 * What a reader sees before tapping anything: the message with its expandable
 * quotes folded away, as plain text. Telegram shows the first lines of a folded
 * quote too; leaving them out keeps the figure comparable across answers.
 */
export function firstScreenText(html: string): string {
  return plainText(html.replace(/<blockquote expandable>[\s\S]*?<\/blockquote>/gu, ''));
}
