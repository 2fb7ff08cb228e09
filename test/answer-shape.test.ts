import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIRST_SCREEN, LEAD_LIMIT, composeAnswer, leadSpan, leadText } from '../src/answer/compose.js';
import { visibleLength } from '../src/answer/html.js';
import { firstScreenText, quoteBlock, renderAnswerHtml } from '../src/answer/telegram-html.js';
import { renderAnswerText } from '../src/answer/terminal.js';
import { TEXTS } from '../src/answer/texts.js';
import { ingest } from '../src/ingest/ingest.js';
import { mapSentences, pickHighlights, scoreSentences } from '../src/search/highlight.js';
import { parseQuery } from '../src/search/query.js';
import type { Hit, SearchResponse } from '../src/search/searcher.js';
import { jiebaTokenizer } from '../src/index/tokenizer.js';
import { SEEDS, readTextFolder } from './helpers/fixture.js';
import { validateTelegramHtml } from './helpers/telegram-html.js';

// Real passages of the seeds, each with the highlight search would give for a question made of its own words.
const { passages } = ingest(readTextFolder(SEEDS));
function hitOf(index: number, rank = 1, score = 10): Hit {
  const passage = passages[index]!;
  const map = mapSentences(passage.text);
  const terms = jiebaTokenizer.tokenize(passage.text.slice(0, 12)).map((term) => ({ term, weight: 1 }));
  return { rank, score, index, passage, highlights: pickHighlights(map, scoreSentences(map, terms, 'other')) };
}
function response(hits: Hit[], question = '卢氏县脱贫了吗'): SearchResponse {
  return { query: parseQuery(question, jiebaTokenizer), noAnswer: false, abstainReason: null, unsure: false, nearest: hits.map((h) => h.passage), hits, ms: 1 };
}

test('a quote leads with the answering sentence, an exact span of the passage, then the passage folded', () => {
  for (let i = 0; i < passages.length; i += 1) {
    const hit = hitOf(i);
    const html = quoteBlock(hit);
    assert.deepEqual(validateTelegramHtml(html), [], html.slice(0, 120));
    assert.ok(visibleLength(html) <= 4096);
    const lead = leadText(hit);
    assert.ok(lead.length <= LEAD_LIMIT);
    const [start, end] = leadSpan(hit);
    assert.ok(hit.passage.text.slice(start, end).startsWith(lead.replace(/…$/u, '')), 'the lead is the documents\u2019 own words');
    assert.ok(html.startsWith('<blockquote><b>') && html.includes('<blockquote expandable>'));
    // File and lines are one tap away, inside the folded part; the visible source line names the document.
    const visible = firstScreenText(html);
    assert.ok(!visible.includes(hit.passage.file) && html.includes(`${hit.passage.file}:${hit.passage.lines[0]}-${hit.passage.lines[1]}`));
    assert.ok(visible.includes(hit.passage.title));
  }
});

test('with no highlight the lead is the first sentence', () => {
  const hit = { ...hitOf(5), highlights: [] };
  const first = hit.passage.text.split(/(?<=[。！？；])/u)[0]!.trim();
  assert.ok(first.startsWith(leadText(hit).replace(/…$/u, '')));
});

test('further close quotes join the first screen only while it stays about a phone screen long', () => {
  const hits = [hitOf(10, 1, 10), hitOf(20, 2, 9.9), hitOf(30, 3, 9.8), hitOf(40, 4, 9.7)];
  const answer = composeAnswer(response(hits));
  assert.equal(answer.kind, 'quotes');
  if (answer.kind !== 'quotes') return;
  assert.ok(answer.hits.length >= 1);
  const [message] = renderAnswerHtml(answer);
  if (answer.hits.length > 1) assert.ok(firstScreenText(message!).length <= FIRST_SCREEN + 50, `${firstScreenText(message!).length}`);
  assert.equal(answer.more, answer.hits.length < hits.length, 'what is left waits behind 更多结果');
});

test('an English question keeps its English lead-in; the terminal shows the same shape', () => {
  const english = composeAnswer(response([hitOf(3)], 'Has Lushi county been lifted out of poverty?'));
  assert.ok(english.kind === 'quotes');
  const [html] = renderAnswerHtml({ ...english, english: true });
  assert.ok(html!.startsWith('Here is what the documents say'));
  assert.deepEqual(validateTelegramHtml(html!), []);
  const text = renderAnswerText(composeAnswer(response([hitOf(3)])), false);
  const [lead, passageLine, ...rest] = text.split('\n');
  assert.ok(lead!.startsWith('  » **') && passageLine!.startsWith('      │ ') && rest.some((l) => l.startsWith('  📄 ')));
});

test('an answer the documents may not give exactly says so above the quotes, in the bot and the terminal', () => {
  const unsure = composeAnswer({ ...response([hitOf(3)]), unsure: true });
  assert.ok(unsure.kind === 'quotes' && unsure.unsure);
  const [html] = renderAnswerHtml(unsure);
  assert.ok(html!.startsWith(TEXTS.unsure));
  assert.deepEqual(validateTelegramHtml(html!), []);
  assert.ok(renderAnswerText(unsure, false).startsWith(TEXTS.unsure));
  const [english] = renderAnswerHtml({ ...unsure, english: true });
  assert.ok(english!.startsWith(TEXTS.unsureEnglish));
  const [sure] = renderAnswerHtml(composeAnswer(response([hitOf(3)])));
  assert.ok(!sure!.includes('⚠️'));
});

test('the validator knows expandable only on blockquote', () => {
  assert.deepEqual(validateTelegramHtml('<blockquote expandable>x</blockquote>'), []);
  assert.notDeepEqual(validateTelegramHtml('<b expandable>x</b>'), []);
  assert.notDeepEqual(validateTelegramHtml('<code expandable>x</code>'), []);
  assert.notDeepEqual(validateTelegramHtml('<blockquote expandable="yes">x</blockquote>'), []);
});
