import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkOutgoing, validateTelegramHtml, visibleLength } from './helpers/telegram-html.js';

/** Asserts that `html` is rejected with at least one problem matching `pattern`. */
function rejects(html: string, pattern: RegExp): void {
  const problems = validateTelegramHtml(html);
  assert.ok(
    problems.some((p) => pattern.test(p)),
    `expected a problem matching ${pattern} for ${JSON.stringify(html)}, got ${JSON.stringify(problems)}`,
  );
}

/** A one-button inline keyboard carrying `data` as callback_data. */
function keyboard(data: string): { inline_keyboard: { text: string; callback_data: string }[][] } {
  return { inline_keyboard: [[{ text: '更多', callback_data: data }]] };
}

test('valid HTML messages are accepted', () => {
  const valid = [
    '<b>粗体</b> &lt;script&gt; &amp; <blockquote>引用 <b>重点</b></blockquote>',
    '<a href="https://example.com/?a=1&amp;b=2">x</a>',
    'plain text, no tags',
    '<strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del>',
    '<span class="tg-spoiler">秘密</span> <tg-spoiler>秘密</tg-spoiler>',
    '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
    '<code>x &lt; y</code> <pre>block</pre>',
    '<pre><code class="language-python">print(1 &gt; 0)</code></pre>',
    '<blockquote expandable>长引用</blockquote>',
    '<b>bold <i>italic <u>underline</u></i></b> &quot;q&quot; &#65; &#x1F600;',
    "<a href='https://example.com'>single quotes</a>",
    '<a href="https://example.com"><b>粗体链接</b></a>',
  ];
  for (const html of valid) assert.deepEqual(validateTelegramHtml(html), [], html);
});

test('unsupported tags and stray < are rejected', () => {
  rejects('<script>alert(1)</script>', /<script> is not a supported tag/);
  rejects('<br>line', /<br> is not a supported tag/);
  rejects('<p>para</p>', /<p> is not a supported tag/);
  rejects('1 < 2', /'<' that does not start a tag/);
  rejects('x <b', /'<' that does not start a tag/);
  rejects('<b/>x', /self-closing/);
});

test('unclosed, stray and overlapping tags are rejected', () => {
  rejects('<b>unclosed', /<b> is never closed/);
  rejects('text</i>', /<\/i> closes a tag that is not open/);
  rejects('<b><i>x</b></i>', /<\/b> overlaps <i>/);
  rejects('<b>x</strong>', /closes a tag that is not open/);
  rejects('<b>x</b class="y">', /closing tags take no attributes/);
});

test('unescaped & and > and unsupported entities are rejected', () => {
  rejects('a & b', /bare '&'/);
  rejects('AT&T', /bare '&'/);
  rejects('a&nbsp;b', /unsupported entity &nbsp;/);
  rejects('&copy; 2024', /unsupported entity &copy;/);
  rejects('&#xD800;x', /not a valid character/);
  rejects('&#0;x', /not a valid character/);
  rejects('a > b', /'>' in text/);
  rejects('<a href="https://example.com/?a=1&b=2">x</a>', /bare '&' in attribute href/);
});

test('attribute rules are enforced', () => {
  rejects('<span>x</span>', /only allowed as <span class="tg-spoiler">/);
  rejects('<span class="other">x</span>', /only allowed as <span class="tg-spoiler">/);
  rejects('<a>x</a>', /requires a non-empty href/);
  rejects('<a href="">x</a>', /requires a non-empty href/);
  rejects('<a href=https://example.com>x</a>', /must be quoted/);
  rejects('<a href="https://e.com" target="_blank">x</a>', /does not allow attribute target/);
  rejects('<b class="x">x</b>', /does not allow attribute class/);
  rejects('<tg-emoji>👍</tg-emoji>', /numeric emoji-id/);
  rejects('<code class="language-js">x</code>', /class only directly inside <pre>/);
  rejects('<pre><code class="python">x</code></pre>', /language-<name>/);
  rejects('<blockquote expandable="true">x</blockquote>', /boolean attribute/);
  rejects('<a href="a" href="b">x</a>', /duplicate attribute href/);
});

test('forbidden nesting is rejected', () => {
  rejects('<blockquote><blockquote>x</blockquote></blockquote>', /blockquotes cannot be nested/);
  rejects('<blockquote>a <b><blockquote>x</blockquote></b></blockquote>', /blockquotes cannot be nested/);
  rejects('<a href="https://a.com">a <a href="https://b.com">b</a></a>', /links cannot be nested/);
  rejects('<code><b>x</b></code>', /inside <code>/);
  rejects('<pre><b>x</b></pre>', /only a single <code> may be inside pre/);
  rejects('<pre><code>a</code><code>b</code></pre>', /only a single <code>/);
  rejects('<pre>lead <code>x</code></pre>', /only a single <code>/);
  rejects('<pre><code>x</code> tail</pre>', /text after <code> inside <pre>/);
  rejects('<pre><code><i>x</i></code></pre>', /inside <code>/);
});

test('empty messages are rejected', () => {
  rejects('<b></b>', /message is empty/);
  rejects('', /message is empty/);
  rejects('  \n <i> </i> ', /message is empty/);
});

test('visibleLength strips tags, decodes entities and counts UTF-16 units', () => {
  assert.equal(visibleLength('<b>&lt;</b>😀'), 3);
  assert.equal(visibleLength('<a href="https://example.com/?a=1&amp;b=2">x</a>'), 1);
  assert.equal(visibleLength('&#x1F600;&#65;&quot;'), 4);
  assert.equal(visibleLength('中文'), 2);
});

test('checkOutgoing: message text length and emptiness', () => {
  assert.deepEqual(checkOutgoing('sendMessage', { chat_id: 1, text: 'a'.repeat(4096) }), []);
  const long = checkOutgoing('sendMessage', { chat_id: 1, text: 'a'.repeat(4097) });
  assert.ok(
    long.some((p) => /4097 characters long/.test(p)),
    JSON.stringify(long),
  );
  // Markup does not count, entities count once, astral characters count twice.
  assert.deepEqual(checkOutgoing('sendMessage', { chat_id: 1, text: `<b>${'&amp;'.repeat(4096)}</b>`, parse_mode: 'HTML' }), []);
  const emoji = checkOutgoing('editMessageText', { chat_id: 1, message_id: 2, text: '😀'.repeat(2049) });
  assert.ok(
    emoji.some((p) => /4098 characters long/.test(p)),
    JSON.stringify(emoji),
  );
  assert.ok(checkOutgoing('sendMessage', { chat_id: 1, text: '   ' }).some((p) => /empty/.test(p)));
  assert.ok(checkOutgoing('sendMessage', { chat_id: 1 }).some((p) => /text is missing/.test(p)));
  const bad = checkOutgoing('sendMessage', { chat_id: 1, text: '<b>x', parse_mode: 'HTML' });
  assert.ok(
    bad.some((p) => /^text: .*never closed/.test(p)),
    JSON.stringify(bad),
  );
  // Without parse_mode the text is plain, so markup characters are fine.
  assert.deepEqual(checkOutgoing('sendMessage', { chat_id: 1, text: 'a < b & c' }), []);
});

test('checkOutgoing: callback_data is limited to 64 UTF-8 bytes', () => {
  const ok = '中'.repeat(21); // 63 bytes
  const tooLong = '中'.repeat(22); // 66 bytes
  assert.deepEqual(checkOutgoing('sendMessage', { chat_id: 1, text: 'x', reply_markup: keyboard(ok) }), []);
  const problems = checkOutgoing('sendMessage', { chat_id: 1, text: 'x', reply_markup: keyboard(tooLong) });
  assert.ok(
    problems.some((p) => /callback_data is 66 bytes/.test(p)),
    JSON.stringify(problems),
  );
  const ascii = checkOutgoing('editMessageReplyMarkup', { chat_id: 1, message_id: 2, reply_markup: keyboard('a'.repeat(65)) });
  assert.ok(
    ascii.some((p) => /callback_data is 65 bytes/.test(p)),
    JSON.stringify(ascii),
  );
  assert.ok(checkOutgoing('sendMessage', { chat_id: 1, text: 'x', reply_markup: keyboard('') }).some((p) => /must not be empty/.test(p)));
});

test('checkOutgoing: reply_markup given as a JSON string is parsed', () => {
  const asString = JSON.stringify(keyboard('中'.repeat(22)));
  const problems = checkOutgoing('sendMessage', { chat_id: 1, text: 'x', reply_markup: asString });
  assert.ok(
    problems.some((p) => /callback_data is 66 bytes/.test(p)),
    JSON.stringify(problems),
  );
  assert.deepEqual(checkOutgoing('sendMessage', { chat_id: 1, text: 'x', reply_markup: JSON.stringify(keyboard('ok')) }), []);
  const broken = checkOutgoing('sendMessage', { chat_id: 1, text: 'x', reply_markup: '{not json' });
  assert.ok(
    broken.some((p) => /not valid JSON/.test(p)),
    JSON.stringify(broken),
  );
});

test('checkOutgoing: answerInlineQuery results', () => {
  const result = (id: string, text: string): Record<string, unknown> => ({
    type: 'article',
    id,
    title: 't',
    input_message_content: { message_text: text, parse_mode: 'HTML' },
  });
  assert.deepEqual(checkOutgoing('answerInlineQuery', { inline_query_id: 'q', results: [result('1', '<b>答案</b>')] }), []);

  const badHtml = checkOutgoing('answerInlineQuery', { inline_query_id: 'q', results: [result('1', 'a & b')] });
  assert.ok(
    badHtml.some((p) => /results\[0\]\.input_message_content\.message_text: .*bare '&'/.test(p)),
    JSON.stringify(badHtml),
  );

  const longText = checkOutgoing('answerInlineQuery', { inline_query_id: 'q', results: [result('1', 'x'.repeat(4097))] });
  assert.ok(
    longText.some((p) => /4097 characters long/.test(p)),
    JSON.stringify(longText),
  );

  const longId = checkOutgoing('answerInlineQuery', { inline_query_id: 'q', results: [result('id'.repeat(33), 'x')] });
  assert.ok(
    longId.some((p) => /id is 66 bytes/.test(p)),
    JSON.stringify(longId),
  );

  const many = Array.from({ length: 51 }, (_, n) => result(String(n), 'x'));
  assert.ok(checkOutgoing('answerInlineQuery', { inline_query_id: 'q', results: many }).some((p) => /51 entries/.test(p)));
  assert.deepEqual(checkOutgoing('answerInlineQuery', { inline_query_id: 'q', results: many.slice(0, 50) }), []);

  const dup = checkOutgoing('answerInlineQuery', { inline_query_id: 'q', results: [result('1', 'x'), result('1', 'y')] });
  assert.ok(
    dup.some((p) => /used by an earlier result/.test(p)),
    JSON.stringify(dup),
  );

  const asString = checkOutgoing('answerInlineQuery', { inline_query_id: 'q', results: JSON.stringify([result('1', '<i>x')]) });
  assert.ok(
    asString.some((p) => /never closed/.test(p)),
    JSON.stringify(asString),
  );
});

test('checkOutgoing: answerCallbackQuery text is limited to 200 characters', () => {
  assert.deepEqual(checkOutgoing('answerCallbackQuery', { callback_query_id: 'c' }), []);
  assert.deepEqual(checkOutgoing('answerCallbackQuery', { callback_query_id: 'c', text: '好'.repeat(200) }), []);
  const long = checkOutgoing('answerCallbackQuery', { callback_query_id: 'c', text: '好'.repeat(201) });
  assert.ok(
    long.some((p) => /201 characters long/.test(p)),
    JSON.stringify(long),
  );
});
