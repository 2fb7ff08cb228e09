import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { compact } from '../src/ingest/normalize.js';
import { openSearcher } from '../src/search/open.js';
import { TEXTS } from '../src/answer/texts.js';
import { BOT_ID, BOT_USERNAME, Harness, TOKEN, type BotMessage } from './helpers/emulator.js';
import { SHARED_INDEX, buildSharedIndex, readDevSet } from './helpers/fixture.js';
import { plainText } from '../src/answer/html.js';

await buildSharedIndex();
const searcher = await openSearcher({ dir: SHARED_INDEX });
let h: Harness;
let nextChat = 7000;
/** Each test talks in chats of its own, so replies never cross. */
const privateChat = () => ({ id: (nextChat += 1), type: 'private' as const });
const groupChat = () => ({ id: -(nextChat += 1), type: 'group' as const });
const plain = plainText;
const buttons = (m: BotMessage | undefined) => (m?.reply_markup?.inline_keyboard ?? []).flat();

before(async () => {
  h = await Harness.start(searcher);
});
after(async () => {
  await h.stop();
  assert.deepEqual(h.problems, [], 'every message the bot sent is valid Telegram HTML within limits');
  assert.ok(!h.logs.join('\n').includes(TOKEN), 'the token never appears in the logs');
});

test('a private question gets quotes holding the dev-set evidence, with sources and buttons', async () => {
  const items = readDevSet().filter((item) => ['d008', 'd019', 'd022', 'd030', 'd040', 'd023'].includes(item.id));
  for (const item of items) {
    const chat = privateChat();
    await h.send(h.message(chat, item.question));
    const replies = await h.replies(chat.id);
    const text = compact(plain(replies.map((r) => r.text).join('\n')));
    assert.ok(
      item.evidence.some((e) => text.includes(compact(e))),
      `${item.id}: ${item.question}`,
    );
    assert.ok(replies[0]!.text.includes('<blockquote>') && replies[0]!.text.includes('<b>'));
    // Answer first: the lead as a quote, the passage folded with its file and lines, then a source people read.
    assert.match(replies[0]!.text, /^<blockquote><b>[^<]+<\/b><\/blockquote>\n<blockquote expandable>/u);
    assert.match(replies[0]!.text, /<code>[^<]+\.txt:\d+-\d+<\/code><\/blockquote>\n📄 [^\n]+/u);
    assert.ok(!/📄[^\n]*\.txt/u.test(replies[0]!.text), 'the visible source line names the document, not the file');
    const labels = buttons(replies.at(-1)).map((b) => b.text);
    assert.ok(labels.includes('上下文') && labels.includes('👍') && labels.includes('👎'), labels.join(','));
    assert.ok(replies.every((r) => r.parse_mode === 'HTML'));
  }
});

test('an English question gets the Chinese quotes with an English lead-in', async () => {
  const chat = privateChat();
  await h.send(h.message(chat, 'If an equipment manufacturer qualifies for overlapping subsidies under different policies, which principle applies?'));
  const [reply] = await h.replies(chat.id);
  assert.ok(reply!.text.startsWith('Here is what the documents say'));
  assert.ok(plain(reply!.text).includes('就高不重复'));
});

test('a question the documents do not cover gets a kind reply with nearby topics', async () => {
  const chat = privateChat();
  await h.send(h.message(chat, '北京市的房价是多少？'));
  const [reply, extra] = await h.replies(chat.id);
  assert.equal(extra, undefined);
  assert.ok(reply!.text.includes('没有找到'));
  assert.ok(reply!.text.includes('最接近的主题') && reply!.text.includes('•'));
  assert.ok(!reply!.text.includes('<blockquote>'));
});

test('in a group the bot answers /ask, mentions and replies to itself, and ignores other chatter', async () => {
  const chat = groupChat();
  const chatter = await h.send(h.message(chat, '卢氏县脱贫了吗', {}, { id: 6001, first_name: 'Staff', username: 'staff' }));
  const ask = await h.send(h.message(chat, '/ask 2019年民间投资增长多少', {}, { id: 6001, first_name: 'Staff', username: 'staff' }));
  let replies = await h.replies(chat.id);
  assert.ok(replies.length >= 1);
  assert.ok(
    replies.every((r) => r.reply_parameters?.message_id === ask || r.reply_parameters === undefined),
    'only the /ask is answered',
  );
  assert.equal(replies[0]!.reply_parameters?.message_id, ask);
  assert.notEqual(replies[0]!.reply_parameters?.message_id, chatter);
  assert.ok(compact(plain(replies[0]!.text)).includes(compact('全年增长 15.4%')));

  const mention = await h.send(h.message(chat, `@${BOT_USERNAME} 工业领导小组多久开一回会`));
  replies = await h.replies(chat.id);
  assert.equal(replies[0]!.reply_parameters?.message_id, mention);
  assert.ok(plain(replies[0]!.text).includes('一个月召开一次'));

  const botMessageId = replies[0]!.message_id!;
  const reply = await h.send(
    h.message(chat, '大数据局奖了多少钱', {
      reply_to_message: {
        message_id: botMessageId,
        date: 0,
        chat: { id: chat.id, type: 'group', title: 'Staff' },
        from: { id: BOT_ID, is_bot: true, first_name: 'Bot' },
        text: 'x',
      },
    }),
  );
  replies = await h.replies(chat.id);
  assert.equal(replies[0]!.reply_parameters?.message_id, reply);

  const addressed = await h.send(h.message(chat, `/ask@${BOT_USERNAME} 三门峡黄金工业学校是哪年建的`));
  await h.send(h.message(chat, '/ask@SomeOtherBot 三门峡黄金工业学校是哪年建的'));
  await h.send(h.message(chat, '/start@SomeOtherBot'));
  replies = await h.replies(chat.id);
  assert.ok(replies.length >= 1 && replies.every((r) => r.reply_parameters === undefined || r.reply_parameters.message_id === addressed));
});

test('a bare /ask explains how to ask', async () => {
  const chat = groupChat();
  const ask = await h.send(h.message(chat, '/ask'));
  const [reply] = await h.replies(chat.id);
  assert.equal(reply!.text, TEXTS.askUsage);
  assert.equal(reply!.reply_parameters?.message_id, ask);
});

test('buttons: more results, context, feedback, and a stale or tampered button', async () => {
  const chat = privateChat();
  await h.send(h.message(chat, '卢氏县脱贫了吗'));
  const first = await h.replies(chat.id);
  const data = new Map(buttons(first.at(-1)).map((b) => [b.text, b.callback_data!]));
  for (const value of data.values()) assert.ok(Buffer.byteLength(value) <= 64);

  await h.press(chat, data.get('更多结果')!);
  const more = await h.replies(chat.id);
  assert.ok(more[0]!.text.includes('<blockquote>'));
  assert.notEqual(more[0]!.text, first[0]!.text);

  await h.press(chat, data.get('上下文')!);
  const context = await h.replies(chat.id);
  assert.ok(context[0]!.text.includes('<blockquote>'));
  // The first quote's answering sentence, as the reader saw it (a lead cut at its limit ends in …).
  const lead = plainText(/<blockquote><b>([\s\S]*?)<\/b><\/blockquote>/u.exec(first[0]!.text)![1]!).replace(/…$/u, '');
  assert.ok(lead.length > 5);
  assert.ok(plainText(context.map((m) => m.text).join('')).includes(lead), 'the context holds the quoted passage');

  const pressedBefore = (await h.callbackAnswersAtLeast(2)).length;
  await h.press(chat, data.get('👍')!);
  await h.press(chat, data.get('👎')!);
  await h.press(chat, 'v:AAAAAAAAAA:+');
  await h.press(chat, 'hello<script>');
  await h.callbackAnswersAtLeast(pressedBefore + 4);
  const votes = h.feedback.read();
  assert.deepEqual(
    votes.map((v) => v.vote),
    ['up', 'down'],
  );
  assert.equal(votes[0]!.question, '卢氏县脱贫了吗');
  assert.ok(votes[0]!.passageIds.length >= 1);
  assert.ok(!JSON.stringify(votes).includes('citizen') && !JSON.stringify(votes).includes('5001'), 'no user names or ids in the feedback log');
  const answers = h.callbackAnswers();
  assert.ok(answers.includes(TEXTS.thanks));
  assert.equal(answers.filter((a) => a === TEXTS.stale).length, 2);
});

test('commands: /start, /help, /sources, /about, and unknown ones', async () => {
  const chat = privateChat();
  await h.send(h.message(chat, '/start'));
  assert.ok((await h.replies(chat.id))[0]!.text.includes('卢氏县脱贫了吗'));
  await h.send(h.message(chat, '/help'));
  assert.ok((await h.replies(chat.id))[0]!.text.includes('/ask'));
  await h.send(h.message(chat, '/sources'));
  const sources = (await h.replies(chat.id))[0]!.text;
  assert.ok(sources.includes('三门峡市煤矿智能化建设实施方案') && sources.includes('2020-02-28'));
  await h.send(h.message(chat, '/about'));
  const about = (await h.replies(chat.id))[0]!.text;
  assert.ok(about.includes('Xenova/bge-small-zh-v1.5') && about.includes('索引构建时间'));
  await h.send(h.message(chat, '/frobnicate'));
  assert.equal((await h.replies(chat.id))[0]!.text, TEXTS.unknownCommand);
});

test('bad input gets a clear answer in private and silence in groups', async () => {
  const nonText: Array<[string, Record<string, unknown>]> = [
    ['sticker', { sticker: { file_id: 'S1', file_unique_id: 'S1', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } }],
    ['photo', { photo: [{ file_id: 'P1', file_unique_id: 'P1', width: 90, height: 90 }] }],
    ['voice', { voice: { file_id: 'V1', file_unique_id: 'V1', duration: 3 } }],
  ];
  for (const [kind, extra] of nonText) {
    const chat = privateChat();
    await h.send(h.message(chat, undefined, extra));
    assert.equal((await h.replies(chat.id))[0]?.text, TEXTS.notText, kind);
  }
  const group = groupChat();
  for (const [, extra] of nonText) await h.send(h.message(group, undefined, extra));
  const blank = privateChat();
  await h.send(h.message(blank, '   \u200b  '));
  assert.equal((await h.replies(blank.id))[0]?.text, TEXTS.empty);
  const long = privateChat();
  await h.send(h.message(long, '卢氏县脱贫了吗'.repeat(200)));
  assert.equal((await h.replies(long.id))[0]?.text, TEXTS.tooLong);
  const html = privateChat();
  await h.send(h.message(html, '<b>卢氏县</b> & <script>脱贫</script> 了吗？'));
  assert.ok((await h.replies(html.id))[0]?.text.length);
  const edited = privateChat();
  await h.handle({
    update_id: 990001,
    edited_message: {
      message_id: 5,
      date: 1,
      edit_date: 2,
      chat: { id: edited.id, type: 'private', first_name: 'C' },
      from: { id: 5001, is_bot: false, first_name: 'C' },
      text: '卢氏县脱贫了吗',
    },
  });
  assert.equal((await h.replies(edited.id))[0]?.text, TEXTS.edited);
  // The group saw three non-text messages: still silence after the quiet period.
  assert.deepEqual(await h.replies(group.id, 0, 800), []);
});

test('inline mode offers up to five quotes titled by their document', async () => {
  await h.handle({
    update_id: 990002,
    inline_query: { id: 'iq1', from: { id: 5001, is_bot: false, first_name: 'C' }, query: '农村厕所今年要改多少户', offset: '' },
  });
  const call = h.calls.filter((c) => c.method === 'answerInlineQuery').at(-1)!;
  const results = call.payload.results as Array<{ id: string; title: string; description: string; input_message_content: { message_text: string } }>;
  assert.ok(results.length >= 1 && results.length <= 5);
  assert.ok(results.some((r) => plain(r.input_message_content.message_text).includes('新改建厕所 3.27 万户')));
  for (const r of results) assert.ok(r.title.length > 0 && r.description.length > 0 && r.input_message_content.message_text.includes('📄'));
  await h.handle({ update_id: 990003, inline_query: { id: 'iq2', from: { id: 5001, is_bot: false, first_name: 'C' }, query: '卢'.repeat(256), offset: '' } });
  assert.ok(Array.isArray(h.calls.filter((c) => c.method === 'answerInlineQuery').at(-1)!.payload.results));
});
