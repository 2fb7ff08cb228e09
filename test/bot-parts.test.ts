import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { AnswerStore, decodeAction, encodeAction } from '../src/bot/answers-store.js';
import { loadBotConfig } from '../src/config.js';
import { packMessages, visibleLength as ourLength } from '../src/answer/html.js';
import { redact } from '../src/log.js';
import { quoteBlock } from '../src/answer/telegram-html.js';
import { SendQueue } from '../src/bot/send-queue.js';
import { PROJECT_ROOT } from '../src/config.js';
import { UserError } from '../src/errors.js';
import { SHARED_INDEX, buildSharedIndex } from './helpers/fixture.js';
import { validateTelegramHtml, visibleLength } from './helpers/telegram-html.js';

const TOKEN = '7000000001:AAEmulatorTokenForTests_abcdefghijk';

test('configuration: every bad value is one line naming its key, never echoing the token', () => {
  const bad: Array<[Record<string, string>, string]> = [
    [{ BOT_TOKEN: 'not-a-token' }, 'BOT_TOKEN'],
    [{ ADMIN_IDS: '12,abc' }, 'ADMIN_IDS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ TELEGRAM_API_ROOT: 'ftp://x' }, 'TELEGRAM_API_ROOT'],
    [{ WEBHOOK_URL: 'http://insecure.example' }, 'WEBHOOK_URL'],
    [{ WEBHOOK_URL: 'https://ok.example', WEBHOOK_PORT: '99999' }, 'WEBHOOK_PORT'],
    [{ WEBHOOK_URL: 'https://ok.example', WEBHOOK_SECRET: 'has spaces' }, 'WEBHOOK_SECRET'],
    [{ WEBHOOK_PORT: '8443' }, 'WEBHOOK_URL'],
  ];
  for (const [env, key] of bad) {
    assert.throws(
      () => loadBotConfig(env),
      (err: unknown) => err instanceof UserError && err.message.startsWith(key) && !err.message.includes('\n'),
      key,
    );
  }
  assert.throws(
    () => loadBotConfig({ BOT_TOKEN: `${TOKEN} x` }),
    (err: unknown) => err instanceof Error && !err.message.includes(TOKEN),
  );
  const ok = loadBotConfig({ BOT_TOKEN: TOKEN, ADMIN_IDS: '1, 22', WEBHOOK_URL: 'https://bot.example/hook', WEBHOOK_PORT: '8443' });
  assert.deepEqual([...ok.adminIds], [1, 22]);
  assert.equal(ok.webhook?.port, 8443);
  assert.equal(loadBotConfig({}).token, undefined);
});

test('the token is redacted wherever it appears, and so is anything shaped like one', () => {
  const url = `request to https://api.telegram.org/bot${TOKEN}/getMe failed`;
  assert.ok(!redact(url, TOKEN).includes(TOKEN));
  assert.ok(!redact(url).includes('AAEmulatorTokenForTests'));
  assert.equal(redact('nothing secret here', TOKEN), 'nothing secret here');
});

test('callback data is a short key, at most 64 bytes; tampered data decodes to nothing', () => {
  const store = new AnswerStore();
  const key = store.put({ question: '很长的问题'.repeat(100), hits: [1, 2, 3], ids: ['a', 'b', 'c'], shown: 1 });
  for (const action of [
    { action: 'more', key },
    { action: 'context', key },
    { action: 'vote', key, up: true },
    { action: 'vote', key, up: false },
  ] as const) {
    const data = encodeAction(action);
    assert.ok(Buffer.byteLength(data) <= 64);
    assert.deepEqual(decodeAction(data), action);
  }
  for (const bad of ['', 'x:1234567890', 'm:short', 'v:1234567890', 'm:1234567890:+', 'c:123456789<>', `m:${key}x`])
    assert.equal(decodeAction(bad), undefined, bad);
});

test('answers expire from the store by age and by count', () => {
  let now = 0;
  const store = new AnswerStore(2, 1000, () => now);
  const a = store.put({ question: 'a', hits: [], ids: [], shown: 0 });
  const b = store.put({ question: 'b', hits: [], ids: [], shown: 0 });
  const c = store.put({ question: 'c', hits: [], ids: [], shown: 0 });
  assert.equal(store.get(a), undefined, 'the oldest is dropped past capacity');
  assert.equal(store.get(b)?.question, 'b');
  now = 2000;
  assert.equal(store.get(c), undefined, 'expired');
});

test('a group gets at most 20 messages a minute; the rest wait in order, none dropped', async () => {
  let now = 0;
  const slept: number[] = [];
  const queue = new SendQueue(
    20,
    (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
    () => now,
  );
  const sent: Array<[number, number]> = [];
  await Promise.all(Array.from({ length: 45 }, (_, i) => queue.run(-100, () => Promise.resolve(sent.push([i, now])))));
  assert.deepEqual(
    sent.map(([i]) => i),
    Array.from({ length: 45 }, (_, i) => i),
  );
  for (let i = 20; i < sent.length; i += 1) assert.ok(sent[i]![1] - sent[i - 20]![1] >= 60_000, `message ${i} came too soon`);
  assert.ok(slept.length >= 2);
});

test('long answers split between quotes, each message valid and within 4096 characters', () => {
  const text = '第一句<script>&amp;。'.repeat(400);
  const passage = {
    id: 'x',
    file: 'a&b.txt',
    title: '<标题>',
    section: ['一、“引号”'],
    date: '2020-01-01',
    issue: null,
    lines: [1, 2] as [number, number],
    text,
    kind: 'paragraph' as const,
  };
  const block = quoteBlock({ passage, highlights: [[0, 16]] });
  assert.deepEqual(validateTelegramHtml(block), []);
  assert.ok(visibleLength(block) <= 4096);
  const messages = packMessages([block, block, block]);
  assert.equal(messages.length, 3);
  for (const m of messages) {
    assert.deepEqual(validateTelegramHtml(m), []);
    assert.ok(visibleLength(m) <= 4096 && ourLength(m) <= 4096);
  }
  const emoji = quoteBlock({ passage: { ...passage, text: '😀'.repeat(3000) }, highlights: [] });
  assert.deepEqual(validateTelegramHtml(emoji), [], 'no surrogate pair is cut');
});

test('`npm start` without BOT_TOKEN is a terminal chat with the same quotes', async () => {
  await buildSharedIndex();
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: PROJECT_ROOT,
    input: '中国天然氧吧城市创建领导小组办公室设在哪个单位？\n北京市的房价是多少\n/quit\n',
    env: { ...process.env, BOT_TOKEN: '', INDEX_DIR: SHARED_INDEX },
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  assert.ok(result.stdout.includes('终端模式'));
  assert.ok(result.stdout.includes('办公室设在市气象局'));
  assert.match(result.stdout, /📄 .+\.txt:\d+-\d+/u);
  assert.ok(result.stdout.includes('没有找到'));
});

test('a token Telegram rejects, or a network failure, never prints the token', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: 'http://127.0.0.1:9', INDEX_DIR: SHARED_INDEX },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.notEqual(code, 0);
  assert.ok(output.trim().length > 0);
  assert.ok(!output.includes(TOKEN) && !output.includes('AAEmulatorTokenForTests'), output);
});
