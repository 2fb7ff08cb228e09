import { answerLead, leadText, locationText, sourceText, type Answer } from './compose.js';

/**
 * Marks character spans of text for a terminal: ANSI bold on a terminal,
 * `**…**` in a pipe or file, so the answering sentences stand out either way.
 */
export function markSpans(text: string, spans: ReadonlyArray<readonly [number, number]>, ansi: boolean): string {
  const [open, close] = ansi ? ['\u001b[1m', '\u001b[0m'] : ['**', '**'];
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (start < at) continue;
    out += text.slice(at, start) + open + text.slice(start, end) + close;
    at = end;
  }
  return out + text.slice(at);
}

/** The same answer the bot sends, as terminal text: quotes, then their sources (numbered by rank when asked). */
export function renderAnswerText(answer: Answer, ansi: boolean, numbered = false): string {
  if (answer.kind === 'none') {
    const topics = answer.topics.length ? `\n文件中与此最接近的主题：\n${answer.topics.map((t) => `  • ${t}`).join('\n')}` : '';
    return `${answer.english ? 'The documents do not seem to cover this.\n' : ''}抱歉，这些文件里没有找到能回答这个问题的内容。${topics}`;
  }
  const lead = answerLead(answer);
  const parts = lead ? [lead] : [];
  for (const hit of answer.hits) {
    const p = hit.passage;
    // Answer first, as in the bot: the answering sentence, then the passage indented (the bot folds it), then the source.
    const lead = `  » ${markSpans(leadText(hit), [[0, leadText(hit).length]], ansi)}`;
    const quote = markSpans(p.text, hit.highlights, ansi)
      .split('\n')
      .map((line) => `      │ ${line}`)
      .join('\n');
    const header = p.header ? `      │ ${p.header.replace(/\n/gu, '\n      │ ')}\n` : '';
    const source = `  ${sourceText(p)} · ${locationText(p)}`;
    parts.push(`${numbered ? `[${hit.rank}]\n` : ''}${lead}\n${header}${quote}\n${source}`);
  }
  return parts.join('\n\n');
}
