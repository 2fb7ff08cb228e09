import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { reindexInChild } from '../src/cli/start-command.js';
import { PROJECT_ROOT } from '../src/config.js';
import { currentBuild } from '../src/index/store.js';
import { LiveSearcher } from '../src/search/live.js';
import { openSearcher } from '../src/search/open.js';
import { startEmulator } from '../src/perf/emulator.js';
import { Harness, TOKEN, freePort } from './helpers/emulator.js';
import { SEEDS, SHARED_INDEX, buildSharedIndex, copyDir, tempDir } from './helpers/fixture.js';

await buildSharedIndex();

/** Starts `npm start`'s program as a separate process against the emulator; resolves once it polls. */
function startBot(apiRoot: string, indexDir: string): Promise<{ child: ChildProcess; output: () => string }> {
  return startBotWith(apiRoot, indexDir, {}, 'starting (long polling)');
}

/** Starts the bot process with extra environment; resolves once its log says `ready`. */
async function startBotWith(
  apiRoot: string,
  indexDir: string,
  env: Record<string, string>,
  ready: string,
): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: apiRoot, INDEX_DIR: indexDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const started = Date.now();
  while (!output.includes(ready)) {
    if (child.exitCode !== null || Date.now() - started > 60_000) throw new Error(`bot did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, output: () => output };
}

/** What the bot sent to a chat, as the emulator stored it (its storage is untyped). */
function botMessages(server: TelegramServer, chatId: number): Promise<string[]> {
  const sent = server.storage.botMessages.map((m) => m.message as { chat_id?: number | string; text?: string });
  return Promise.resolve(sent.filter((m) => String(m.chat_id) === String(chatId)).map((m) => m.text ?? ''));
}

test('SIGTERM: questions already taken are answered before exit (code 0), and none is repeated after a restart', async () => {
  const server = await startEmulator();
  try {
    const bot = await startBot(server.config.apiURL, SHARED_INDEX);
    const chats = [9101, 9102, 9103, 9104, 9105];
    for (const id of chats) {
      await server.addUserMessage({
        botToken: TOKEN,
        date: 1,
        chat: { id, type: 'private', first_name: 'C' },
        from: { id, is_bot: false, first_name: 'C' },
        text: '卢氏县脱贫了吗',
      });
    }
    // Stop the moment the bot has taken the questions, while answers are still being prepared.
    while (server.storage.userMessages.some((u) => !u.isRead)) await new Promise((resolve) => setTimeout(resolve, 5));
    bot.child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => bot.child.on('exit', (c) => resolve(c)));
    assert.equal(code, 0, bot.output());
    for (const id of chats) assert.equal((await botMessages(server, id)).length, 1, `chat ${id}`);

    const again = await startBot(server.config.apiURL, SHARED_INDEX);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    again.child.kill('SIGTERM');
    assert.equal(await new Promise((resolve) => again.child.on('exit', resolve)), 0);
    for (const id of chats) assert.equal((await botMessages(server, id)).length, 1, `chat ${id} after restart`);
  } finally {
    await server.stop();
  }
});

test('hot index swap: /reindex and `npm run index` from a shell swap in without a restart; a corrupt index is refused', async () => {
  const dir = tempDir('hot-index');
  copyDir(SHARED_INDEX, dir);
  const seeds = tempDir('hot-seeds');
  copyDir(SEEDS, seeds);
  const logs: string[] = [];
  const liveLogged = new LiveSearcher(await openSearcher({ dir }), dir, (level, line) => logs.push(`${level} ${line}`));
  const h = await Harness.start(
    () => liveLogged.current(),
    { ADMIN_IDS: '5001' },
    async () => {
      const summary = await reindexInChild(dir);
      await liveLogged.refresh();
      return `索引已重建并切换：${summary}`;
    },
  );
  try {
    // An admin rebuilds from the chat while another user's question is answered meanwhile.
    const admin = { id: 5001, type: 'private' as const };
    const citizen = { id: 9201, type: 'private' as const };
    const before = currentBuild(dir);
    await h.send(h.message(admin, '/reindex', {}, { id: 5001, first_name: 'Admin', username: 'admin' }));
    await h.send(h.message(citizen, '卢氏县脱贫了吗', {}, { id: 9201, first_name: 'C', username: 'c' }));
    assert.ok((await h.replies(citizen.id))[0]!.text.includes('<blockquote>'));
    const adminReplies = await h.replies(admin.id, 2, 500, 120_000);
    assert.ok(adminReplies.at(-1)!.text.includes('索引已重建并切换'), adminReplies.map((r) => r.text).join(' | '));
    assert.notEqual(currentBuild(dir), before);
    assert.equal(liveLogged.current().index.dir, currentBuild(dir));

    // A new document arrives and `npm run index` runs in a shell: the running bot picks it up.
    fs.writeFileSync(path.join(seeds, '005_new.txt'), '三门峡市关于测试热切换的通知\n\n三门峡市决定在黄河边种植一万棵银杏树，用于热切换测试。\n');
    const shell = spawn(process.execPath, ['--import', 'tsx', 'scripts/index.ts', '--seeds', seeds, '--out', dir], { cwd: PROJECT_ROOT, stdio: 'ignore' });
    assert.equal(await new Promise((resolve) => shell.on('exit', resolve)), 0);
    await liveLogged.refresh();
    await h.send(h.message(citizen, '黄河边要种多少棵银杏树？', {}, { id: 9201, first_name: 'C', username: 'c' }));
    assert.ok((await h.replies(citizen.id))[0]!.text.includes('一万棵银杏树'));

    // A corrupt build put in service is refused, and the old index keeps answering.
    const good = currentBuild(dir)!;
    const bad = path.join(dir, 'build-corrupt');
    copyDir(good, bad);
    fs.writeFileSync(path.join(bad, 'vectors.f32'), Buffer.alloc(16));
    fs.writeFileSync(path.join(dir, 'CURRENT'), 'build-corrupt\n');
    await liveLogged.refresh();
    assert.ok(
      logs.some((l) => l.startsWith('error') && l.includes('refused') && l.includes('vectors.f32')),
      logs.join('\n'),
    );
    assert.equal(liveLogged.current().index.dir, good);
    await h.send(h.message(citizen, '黄河边要种多少棵银杏树？', {}, { id: 9201, first_name: 'C', username: 'c' }));
    assert.ok((await h.replies(citizen.id))[0]!.text.includes('一万棵银杏树'));

    // Admin-only: /stats for the admin, "unknown command" for everyone else.
    await h.send(h.message(admin, '/stats', {}, { id: 5001, first_name: 'Admin', username: 'admin' }));
    const stats = (await h.replies(admin.id))[0]!.text;
    assert.ok(stats.includes('已回答问题') && stats.includes('p95') && stats.includes('构建于'), stats);
    await h.send(h.message(citizen, '/reindex', {}, { id: 9201, first_name: 'C', username: 'c' }));
    assert.ok((await h.replies(citizen.id))[0]!.text.includes('没有这个命令'));
    assert.deepEqual(h.problems, []);
  } finally {
    await h.stop();
    liveLogged.stop();
  }
});

test('webhook mode: the bot registers its webhook and answers updates posted to it, checking the secret', async () => {
  const server = await startEmulator();
  const port = await freePort();
  const bot = await startBotWith(
    server.config.apiURL,
    SHARED_INDEX,
    { WEBHOOK_URL: 'https://bot.example.org/telegram/hook', WEBHOOK_PORT: String(port), WEBHOOK_SECRET: 'test_secret_123' },
    'webhook on port',
  );
  try {
    const update = (id: number, chat: number) => ({
      update_id: id,
      message: {
        message_id: id,
        date: 1,
        chat: { id: chat, type: 'private', first_name: 'C' },
        from: { id: chat, is_bot: false, first_name: 'C' },
        text: '卢氏县脱贫了吗',
      },
    });
    const post = (body: unknown, secret?: string) =>
      fetch(`http://127.0.0.1:${port}/telegram/hook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
        body: JSON.stringify(body),
      });
    // The webhook server starts listening just after the start-up log line: retry until it answers.
    let forged: Response | undefined;
    for (let tries = 0; !forged && tries < 100; tries += 1)
      forged = await post(update(1, 9301), 'wrong').catch(async () => (await new Promise((resolve) => setTimeout(resolve, 100)), undefined));
    assert.ok(forged);
    assert.notEqual(forged.status, 200, 'an update without the secret is refused');
    const real = await post(update(2, 9302), 'test_secret_123');
    assert.equal(real.status, 200);
    const started = Date.now();
    while ((await botMessages(server, 9302)).length === 0 && Date.now() - started < 20_000) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok((await botMessages(server, 9302))[0]!.includes('<blockquote>'));
    assert.deepEqual(await botMessages(server, 9301), []);
  } finally {
    bot.child.kill('SIGTERM');
    await new Promise((resolve) => bot.child.on('exit', resolve));
    await server.stop();
  }
});
