import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DOCUMENT_TEXTS, TEXTS } from '../src/answer/texts.js';
import { openSearcher } from '../src/search/open.js';
import { BOT_USERNAME, Harness, TOKEN } from './helpers/emulator.js';
import { SHARED_INDEX, buildSharedIndex } from './helpers/fixture.js';

await buildSharedIndex();
const searcher = await openSearcher({ dir: SHARED_INDEX });
let h: Harness;
before(async () => {
  h = await Harness.start(searcher, { RATE_LIMIT_PER_MINUTE: '1000' });
});
after(async () => {
  await h.stop();
  assert.deepEqual(h.problems, [], 'every message the bot sent is valid Telegram HTML within limits');
  assert.ok(!h.logs.join('\n').includes(TOKEN));
  assert.ok(!h.logs.some((l) => / ERROR /u.test(l)), h.logs.filter((l) => / ERROR /u.test(l)).join('\n'));
});

/** What the bot must do with an input: answer it (quotes or "not covered"), send a given text, or stay silent. */
type Expect = 'answer' | 'silence' | { text: string };
type Chat = { id: number; type: 'private' | 'group' };

const sticker = { sticker: { file_id: 'S', file_unique_id: 'S', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } };
const photo = { photo: [{ file_id: 'P', file_unique_id: 'P', width: 90, height: 90 }] };
const voice = { voice: { file_id: 'V', file_unique_id: 'V', duration: 2 } };
const documentFile = { document: { file_id: 'D', file_unique_id: 'D', file_name: 'a.pdf' } };
const someoneElse = (chatId: number) => ({
  reply_to_message: {
    message_id: 3,
    date: 0,
    chat: { id: chatId, type: 'group', title: 'Staff' },
    from: { id: 4242, is_bot: false, first_name: 'Other' },
    text: 'hi',
  },
});

/** The catalogue: [what, chat type, text (undefined: no text), extra fields, expected treatment]. */
const CASES: Array<[string, 'private' | 'group', string | undefined, (chatId: number) => Record<string, unknown>, Expect]> = [
  ['empty text', 'private', '', () => ({}), { text: TEXTS.empty }],
  ['whitespace only', 'private', ' \t  ', () => ({}), { text: TEXTS.empty }],
  ['a single character', 'private', '卢', () => ({}), 'answer'],
  ['5,000 characters', 'private', '脱贫'.repeat(2500), () => ({}), { text: TEXTS.tooLong }],
  ['1,001 characters with emoji', 'private', '😀'.repeat(501), () => ({}), { text: TEXTS.tooLong }],
  ['only emoji', 'private', '😀🙂🎉', () => ({}), 'answer'],
  ['only punctuation', 'private', '？？！！。。……', () => ({}), 'answer'],
  ['HTML bold', 'private', '<b>卢氏县</b>脱贫了吗', () => ({}), 'answer'],
  ['HTML script', 'private', '<script>alert("x")</script>卢氏县', () => ({}), 'answer'],
  ['unclosed tag', 'private', '<b>卢氏县脱贫了吗', () => ({}), 'answer'],
  ['HTML entity', 'private', '&amp; &lt;卢氏县&gt; 脱贫', () => ({}), 'answer'],
  ['MarkdownV2 specials', 'private', '_*[]()~`>#+-=|{}.! 卢氏县脱贫', () => ({}), 'answer'],
  ['zero-width characters', 'private', '卢\u200b氏\u200d县脱\ufeff贫了吗', () => ({}), 'answer'],
  ['control characters', 'private', '\u0001\u0002卢氏县\u0007脱贫\u001b了吗', () => ({}), 'answer'],
  ['right-to-left override', 'private', '\u202e卢氏县脱贫了吗\u202c', () => ({}), 'answer'],
  ['mixed scripts', 'private', '卢氏县 poverty 脱贫 Лушь κ', () => ({}), 'answer'],
  ['SQL-looking text', 'private', "'; DROP TABLE passages; --", () => ({}), 'answer'],
  ['path-looking text', 'private', '../../etc/passwd', () => ({}), 'answer'],
  ['a URL', 'private', 'https://example.com/?a=1&b=<2>', () => ({}), 'answer'],
  ['a phone number', 'private', '0398-2852172', () => ({}), 'answer'],
  ['numbers only', 'private', '1234567890', () => ({}), 'answer'],
  ['a bare /ask', 'private', '/ask', () => ({}), { text: TEXTS.askUsage }],
  ['an unknown command', 'private', '/frobnicate', () => ({}), { text: TEXTS.unknownCommand }],
  ['an admin command from a non-admin', 'private', '/stats', () => ({}), { text: TEXTS.unknownCommand }],
  ['a sticker', 'private', undefined, () => sticker, { text: TEXTS.notText }],
  ['a photo', 'private', undefined, () => photo, { text: TEXTS.notText }],
  ['a voice message', 'private', undefined, () => voice, { text: TEXTS.notText }],
  ['a document from a non-admin', 'private', undefined, () => documentFile, { text: DOCUMENT_TEXTS.notAdmin }],
  [
    'a forwarded question',
    'private',
    '卢氏县脱贫了吗',
    () => ({ forward_origin: { type: 'hidden_user', date: 1, sender_user_name: 'X' }, forward_date: 1 }),
    'answer',
  ],
  ['group chatter', 'group', '今天中午吃什么', () => ({}), 'silence'],
  ['/ask for another bot', 'group', '/ask@SomeOtherBot 卢氏县脱贫了吗', () => ({}), 'silence'],
  ['an unknown command in a group', 'group', '/frobnicate', () => ({}), 'silence'],
  ['a reply to someone else in a group', 'group', '卢氏县脱贫了吗', someoneElse, 'silence'],
  ['a sticker in a group', 'group', undefined, () => sticker, 'silence'],
  ['a photo in a group', 'group', undefined, () => photo, 'silence'],
  ['a document in a group', 'group', undefined, () => documentFile, 'silence'],
  ['HTML in a group /ask', 'group', '/ask <i>卢氏县</i> & 脱贫', () => ({}), 'answer'],
  [`an unknown command for this bot in a group`, 'group', `/frobnicate@${BOT_USERNAME}`, () => ({}), { text: TEXTS.unknownCommand }],
];

let nextChat = 20_000;
for (const [what, type, text, extra, expected] of CASES) {
  test(`bad input: ${what}`, async () => {
    const chat: Chat = { id: type === 'private' ? (nextChat += 1) : -(nextChat += 1), type };
    await h.send(h.message(chat, text, extra(chat.id)));
    const replies = await h.replies(chat.id, expected === 'silence' ? 0 : 1, expected === 'silence' ? 1200 : 400);
    if (expected === 'silence') return assert.deepEqual(replies, []);
    assert.ok(replies.length >= 1, 'a reply came');
    if (typeof expected === 'object') return assert.equal(replies[0]!.text, expected.text);
    assert.ok(replies[0]!.text.includes('<blockquote>') || replies[0]!.text.includes('没有找到'), replies[0]!.text.slice(0, 80));
  });
}

test('bad input: an edited message', async () => {
  const chatId = (nextChat += 1);
  await h.handle({
    update_id: 880001,
    edited_message: {
      message_id: 5,
      date: 1,
      edit_date: 2,
      chat: { id: chatId, type: 'private', first_name: 'C' },
      from: { id: 5001, is_bot: false, first_name: 'C' },
      text: '卢氏县脱贫了吗',
    },
  });
  assert.equal((await h.replies(chatId))[0]?.text, TEXTS.edited);
});

test('bad input: tampered and stale callback data', async () => {
  const chat: Chat = { id: (nextChat += 1), type: 'private' };
  const before = h.callbackAnswers().length;
  for (const data of ['m:AAAAAAAAAA', 'v:AAAAAAAAAA:+', '"><script>', 'c:' + 'x'.repeat(60), '']) await h.press(chat, data);
  const answers = (await h.callbackAnswersAtLeast(before + 5)).slice(before);
  assert.equal(answers.length, 5);
  assert.ok(answers.every((a) => a === TEXTS.stale));
});

test('bad input: an inline query of 256 characters', async () => {
  await h.handle({
    update_id: 880002,
    inline_query: { id: 'iq256', from: { id: 5001, is_bot: false, first_name: 'C' }, query: '卢氏县脱贫了吗'.repeat(37).slice(0, 256), offset: '' },
  });
  const call = h.calls.filter((c) => c.method === 'answerInlineQuery').at(-1);
  assert.ok(call && Array.isArray(call.payload.results));
});

test('a flood from one user gets one polite notice, not silence and not a flood', async () => {
  const limited = await Harness.start(searcher, { RATE_LIMIT_PER_MINUTE: '3' });
  try {
    const chat: Chat = { id: 31_000, type: 'private' };
    for (let i = 0; i < 7; i += 1) await limited.send(limited.message(chat, '卢氏县脱贫了吗'));
    const replies = await limited.replies(chat.id, 4, 1500);
    const notices = replies.filter((r) => r.text === TEXTS.slowDown);
    assert.equal(notices.length, 1);
    assert.equal(replies.filter((r) => r.text.includes('<blockquote>')).length, 3);
    assert.deepEqual(limited.problems, []);
  } finally {
    await limited.stop();
  }
});
