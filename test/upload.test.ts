import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DOCUMENT_TEXTS, TEXTS } from '../src/answer/texts.js';
import { plainText } from '../src/answer/html.js';
import { MAX_DOWNLOAD_BYTES } from '../src/bot/upload.js';
import { rebuildAndSwap } from '../src/cli/start-command.js';
import { PROJECT_ROOT } from '../src/config.js';
import { loadEmbedder } from '../src/embed/embedder.js';
import { buildIndex } from '../src/index/build.js';
import { currentBuild } from '../src/index/store.js';
import { closestNames, contentProblem, safeFileName } from '../src/ingest/library.js';
import { compact } from '../src/ingest/normalize.js';
import { LiveSearcher } from '../src/search/live.js';
import { openSearcher } from '../src/search/open.js';
import { Harness, TOKEN } from './helpers/emulator.js';
import { FileProxy, type DocumentField } from './helpers/file-proxy.js';
import { copyDir, tempDir } from './helpers/fixture.js';

// A small documents folder of its own (two files, ~75 passages), so each rebuild takes a few seconds.
const root = tempDir('upload');
const seeds = path.join(root, 'documents');
const indexDir = path.join(root, 'index');
copyDir(path.join(PROJECT_ROOT, 'test', 'fixtures', 'second-corpus'), seeds);
await buildIndex({ seedsDir: seeds, outDir: indexDir, loadEmbedder: () => loadEmbedder() });

const live = new LiveSearcher(await openSearcher({ dir: indexDir }), indexDir);
let proxy: FileProxy;
let h: Harness;
/** Set by a test to hold the next rebuild (to see "busy") or make it fail. */
let gate: Promise<void> | undefined;
let failNext: string | undefined;
/** Set by a test to have the next build report a file as skipped, with a reason (as a build reading PDFs does for a scan). */
let skipNext: [string, string] | undefined;

const ADMIN = { id: 5001, first_name: 'Admin', username: 'admin' };
const CITIZEN = { id: 9301, first_name: 'Citizen', username: 'citizen' };
let nextChat = 8000;
/** A private chat with the admin (the chat id is the user's id in private). */
const adminChat = () => ({ id: ADMIN.id, type: 'private' as const });
const citizenChat = () => ({ id: (nextChat += 1), type: 'private' as const });
const files = () => fs.readdirSync(seeds).sort();

const BOOKS =
  '三门峡市关于城市书房建设的通知\n\n各县（市、区）人民政府：\n\n2021年全市将新建城市书房三十六座，每座面积不少于二百平方米，全年免费向市民开放。\n\n三门峡市人民政府办公室\n\n2021年3月1日\n';

before(async () => {
  h = await Harness.startWith(
    () => live.current(),
    async (emulator) => {
      proxy = new FileProxy(emulator, TOKEN);
      await proxy.start();
      return { ADMIN_IDS: String(ADMIN.id), TELEGRAM_API_ROOT: proxy.url };
    },
    undefined,
    {
      dir: seeds,
      rebuild: async () => {
        if (gate) await gate;
        if (failNext) {
          const why = failNext;
          failNext = undefined;
          throw new Error(why);
        }
        await rebuildAndSwap(live, indexDir, seeds, TOKEN);
        const skipped = skipNext;
        skipNext = undefined;
        return skipped ? { skipped: new Map([skipped]) } : undefined;
      },
    },
  );
});
after(async () => {
  await h.stop();
  await proxy.stop();
  assert.deepEqual(h.problems, [], 'every message the bot sent is valid Telegram HTML within limits');
  assert.ok(!h.logs.join('\n').includes(TOKEN), 'the token never appears in the logs');
});

/** Sends a file as a user would (a message with a document, and maybe a caption); returns its document field. */
async function sendFile(
  chat: { id: number; type: 'private' | 'group' },
  data: Buffer | string,
  name: string,
  options: { user?: typeof ADMIN; caption?: string; declared?: number | null; chunked?: boolean } = {},
): Promise<DocumentField> {
  const document = proxy.add(Buffer.isBuffer(data) ? data : Buffer.from(data), name, options);
  await h.send(h.message(chat, undefined, { document, ...(options.caption ? { caption: options.caption } : {}) }, options.user ?? ADMIN));
  return document;
}

/** The bot's replies to an admin's file: the "received" notice, then the outcome (a rebuild takes a few seconds). */
async function outcome(chatId: number, count = 2): Promise<string[]> {
  return (await h.replies(chatId, count, 600, 120_000)).map((r) => plainText(r.text));
}

async function ask(question: string): Promise<string> {
  const chat = citizenChat();
  await h.send(h.message(chat, question, {}, CITIZEN));
  return compact(plainText((await h.replies(chat.id)).map((r) => r.text).join('\n')));
}

test('safe names: base name only, no hidden files or control characters, Chinese kept, length limited', () => {
  assert.equal(safeFileName('../../etc/passwd.txt'), 'passwd.txt');
  assert.equal(safeFileName('..\\..\\windows\\evil.TXT'), 'evil.txt');
  assert.equal(safeFileName('.hidden.txt'), 'hidden.txt');
  assert.equal(safeFileName('三门峡市 2021年\t政府工作报告.txt'), '三门峡市 2021年 政府工作报告.txt');
  assert.equal(safeFileName('a\u0000b\u202Etxt.exe'), 'abtxt.exe', 'a right-to-left override cannot disguise an extension');
  assert.equal(safeFileName('what?<is>:"this"|*.txt'), 'what__is___this___.txt');
  assert.equal(safeFileName('..'), 'document');
  assert.equal(safeFileName('/'), 'document');
  assert.equal(safeFileName('CON.txt'), '_CON.txt');
  const long = safeFileName(`${'很长的名字'.repeat(40)}.txt`);
  assert.ok(Buffer.byteLength(long) <= 180 && long.endsWith('.txt') && long.startsWith('很长的名字'), long);
  for (const name of ['../../etc/passwd.txt', '.hidden.txt', long]) assert.equal(safeFileName(safeFileName(name)), safeFileName(name));
});

test('content checks: UTF-8 text only, not empty, not binary', () => {
  assert.equal(contentProblem('a.txt', Buffer.from('三门峡\n')), null);
  assert.equal(contentProblem('a.txt', Buffer.from('\uFEFF三门峡\r\n')), null);
  assert.equal(contentProblem('a.txt', Buffer.from(' \n\t\n'))?.kind, 'empty');
  assert.equal(contentProblem('a.txt', Buffer.alloc(0))?.kind, 'empty');
  // 三门峡 in GBK.
  assert.equal(contentProblem('a.txt', Buffer.from([0xc8, 0xfd, 0xc3, 0xc5, 0xcf, 0xbf]))?.kind, 'not-utf8');
  assert.equal(contentProblem('a.txt', Buffer.from('PK\u0003\u0004abc\u0000\u0000'))?.kind, 'binary');
  assert.equal(contentProblem('a.exe', Buffer.from('text'))?.kind, 'type');
  assert.deepEqual(closestNames('notic.txt', ['gazette.txt', 'notice.txt', 'other.txt'], 2), ['notice.txt', 'other.txt']);
  assert.deepEqual(closestNames('书房', ['gazette.txt', '城市书房.txt']), ['城市书房.txt', 'gazette.txt']);
});

test('an admin sends a file: it is stored, indexed, swapped in, reported, and answers questions', async () => {
  const chat = adminChat();
  assert.ok(!(await ask('城市书房要新建多少座？')).includes('新建城市书房三十六座'));
  const buildBefore = currentBuild(indexDir);
  await sendFile(chat, BOOKS, '城市书房.txt');
  const [received, added] = await outcome(chat.id);
  assert.match(received!, /已收到 城市书房\.txt/u);
  assert.match(added!, /已收录 城市书房\.txt：1 篇文档，\d+ 个段落/u, added);
  assert.ok(added!.includes('三门峡市关于城市书房建设的通知') && added!.includes('索引现有 3 个文件'), added);
  assert.deepEqual(files(), ['gazette.txt', 'notice.txt', '城市书房.txt']);
  assert.notEqual(currentBuild(indexDir), buildBefore);
  assert.equal(live.current().index.dir, currentBuild(indexDir));
  assert.ok((await ask('城市书房要新建多少座？')).includes('新建城市书房三十六座'));
  assert.ok(!h.logs.join('\n').includes('/file/bot'), 'the file link is never logged');

  // The same content again, under any name: already there, nothing stored.
  await sendFile(chat, BOOKS, '书房副本.txt');
  const [duplicate] = await outcome(chat.id, 1);
  assert.ok(duplicate!.includes('已经收录为 城市书房.txt'), duplicate);
  assert.deepEqual(files(), ['gazette.txt', 'notice.txt', '城市书房.txt']);

  // /docs lists the folder with passages per file.
  await h.send(h.message(chat, '/docs', {}, ADMIN));
  const docs = plainText((await h.replies(chat.id))[0]!.text);
  assert.ok(docs.includes('城市书房.txt') && docs.includes('个段落') && docs.includes('/replace'), docs);
});

test('a name with a path in it is stored safely inside the folder', async () => {
  const chat = adminChat();
  await sendFile(chat, '三门峡市关于湿地公园的通知\n\n2021年将新建湿地公园四处，总面积八百亩。\n', '../../../湿地公园.txt');
  const [, added] = await outcome(chat.id);
  assert.match(added!, /已收录 湿地公园\.txt/u, added);
  assert.ok(files().includes('湿地公园.txt'));
  assert.ok(!fs.existsSync(path.join(root, '湿地公园.txt')) && !fs.existsSync(path.join(path.dirname(root), '湿地公园.txt')));
});

test('an existing name is refused without /replace, and replaced with it', async () => {
  const chat = adminChat();
  const v2 = BOOKS.replace('三十六座', '四十座');
  await sendFile(chat, v2, '城市书房.txt');
  const [refused] = await outcome(chat.id, 1);
  assert.ok(refused!.includes('已有同名文件 城市书房.txt') && refused!.includes('/replace'), refused);
  assert.equal(fs.readFileSync(path.join(seeds, '城市书房.txt'), 'utf8'), BOOKS, 'no silent overwrite');

  await sendFile(chat, v2, '城市书房.txt', { caption: '/replace' });
  const [received, replaced] = await outcome(chat.id);
  assert.ok(received!.includes('将替换同名文件'), received);
  assert.match(replaced!, /已替换 城市书房\.txt：1 篇文档，\d+ 个段落（原来 1 篇文档/u, replaced);
  assert.equal(fs.readFileSync(path.join(seeds, '城市书房.txt'), 'utf8'), v2);
  const answer = await ask('城市书房要新建多少座？');
  assert.ok(answer.includes('新建城市书房四十座') && !answer.includes('三十六座'), answer);

  await h.send(h.message(chat, '/replace', {}, ADMIN));
  assert.equal((await h.replies(chat.id))[0]!.text, DOCUMENT_TEXTS.replaceUsage);
});

test('others get a polite refusal and nothing is downloaded; in groups files are ignored', async () => {
  const chat = citizenChat();
  const before = files();
  const sent = await sendFile(chat, '恶意文件\n\n内容。\n', 'spam.txt', { user: { ...CITIZEN, id: chat.id } });
  const [reply, extra] = await h.replies(chat.id);
  assert.equal(reply!.text, DOCUMENT_TEXTS.notAdmin);
  assert.equal(extra, undefined);

  const group = { id: -8800, type: 'group' as const };
  const inGroup = await sendFile(group, '群文件\n\n内容。\n', 'group.txt');
  assert.deepEqual(await h.replies(group.id, 0, 800), [], 'no reply in the group');

  assert.ok(!proxy.getFileCalls.includes(sent.file_id) && !proxy.getFileCalls.includes(inGroup.file_id), 'getFile never called');
  assert.ok(!proxy.downloads.includes(sent.file_id) && !proxy.downloads.includes(inGroup.file_id), 'nothing downloaded');
  assert.deepEqual(files(), before, 'nothing stored');
  for (const command of ['/remove notice.txt', '/docs']) {
    await h.send(h.message(chat, command, {}, { ...CITIZEN, id: chat.id }));
    assert.equal((await h.replies(chat.id))[0]!.text, TEXTS.unknownCommand, command);
  }
});

test('too large: refused from the declared size without downloading, and cut off while streaming when the size lied', async () => {
  const chat = adminChat();
  const before = files();
  const big = await sendFile(chat, 'x', '大文件.txt', { declared: 25 * 1024 * 1024 });
  const [refused] = await outcome(chat.id, 1);
  assert.ok(refused!.includes('文件太大（25.0 MB）') && refused!.includes('20.0 MB'), refused);
  assert.ok(!proxy.getFileCalls.includes(big.file_id) && !proxy.downloads.includes(big.file_id));

  const lying = await sendFile(chat, Buffer.alloc(MAX_DOWNLOAD_BYTES + 1, 0x61), '小文件.txt', { declared: 1000, chunked: true });
  const [cut] = await outcome(chat.id, 1);
  assert.ok(cut!.includes('文件太大') && cut!.includes('没有下载'), cut);
  assert.ok(proxy.downloads.includes(lying.file_id));
  assert.deepEqual(files(), before);
});

test('files the index cannot use are refused with the reason, and the old index keeps answering', async () => {
  const chat = adminChat();
  const before = files();
  const cases: Array<[Buffer | string, string, string]> = [
    [Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]), 'program.txt', '不是文本文件'],
    [Buffer.from([0xc8, 0xfd, 0xc3, 0xc5, 0xcf, 0xbf, 0x0a]), 'gbk.txt', '不是 UTF-8 编码'],
    ['\n \n', 'blank.txt', '文件是空的'],
    ['photo', 'photo.jpg', '只接受 .txt'],
  ];
  for (const [data, name, reason] of cases) {
    await sendFile(chat, data, name);
    const [reply, extra] = await outcome(chat.id, 1);
    assert.ok(reply!.includes(reason) && reply!.includes(name), `${name}: ${reply}`);
    assert.equal(extra, undefined, name);
  }
  assert.deepEqual(files(), before);

  // Text the index finds nothing new in (a copy of a file already indexed, with a blank line more):
  // read by the build, no passage of its own, so it is taken out again and the index restored.
  const build = currentBuild(indexDir);
  const copy = `${fs.readFileSync(path.join(seeds, 'notice.txt'), 'utf8')}\n`;
  await sendFile(chat, copy, 'notice-copy.txt');
  const [received, skipped] = await outcome(chat.id);
  assert.ok(received!.includes('已收到'), received);
  assert.ok(skipped!.includes('没有收录 notice-copy.txt') && skipped!.includes('没有可引用的段落'), skipped);
  assert.deepEqual(files(), before);
  assert.notEqual(currentBuild(indexDir), build, 'rebuilt without it');
  assert.ok(!live.current().index.manifest.files.some((f) => f.name === 'notice-copy.txt'));
  assert.ok((await ask('城市书房要新建多少座？')).includes('新建城市书房四十座'));

  // A file the build says it skipped is reported with the build's reason, and taken out again.
  skipNext = ['scan.txt', 'a scan without a text layer'];
  await sendFile(chat, '扫描件\n\n三门峡市关于扫描件的测试说明。\n', 'scan.txt');
  const [, skippedByBuild] = await outcome(chat.id);
  assert.ok(skippedByBuild!.includes('没有收录 scan.txt') && skippedByBuild!.includes('a scan without a text layer'), skippedByBuild);
  assert.deepEqual(files(), before);
  assert.ok(!live.current().index.manifest.files.some((f) => f.name === 'scan.txt'));
});

test('a failed rebuild takes the file out again and says why; one rebuild at a time', async () => {
  const chat = adminChat();
  const before = files();
  const build = live.current().index.dir;
  failNext = 'disk full';
  await sendFile(chat, '三门峡市关于体育公园的通知\n\n新建体育公园两处。\n', '体育公园.txt');
  const [, failed] = await outcome(chat.id);
  assert.ok(failed!.includes('重建索引失败') && failed!.includes('文件已移除') && failed!.includes('disk full'), failed);
  assert.deepEqual(files(), before);
  assert.equal(live.current().index.dir, build, 'the old index stays in service');

  // While one rebuild runs, another file is refused as busy and not downloaded.
  let open!: () => void;
  gate = new Promise((resolve) => (open = resolve));
  await sendFile(chat, '三门峡市关于体育公园的通知\n\n新建体育公园两处。\n', '体育公园.txt');
  const [received] = await outcome(chat.id, 1);
  assert.ok(received!.includes('已收到 体育公园.txt'), received);
  const second = await sendFile(chat, '三门峡市关于游泳馆的通知\n\n新建游泳馆一座。\n', '游泳馆.txt');
  const [busy] = await outcome(chat.id, 1);
  assert.equal(busy, DOCUMENT_TEXTS.busy);
  assert.ok(!proxy.downloads.includes(second.file_id));
  gate = undefined;
  open();
  const [added] = await outcome(chat.id, 1);
  assert.ok(added!.includes('已收录 体育公园.txt'), added);
  assert.ok(files().includes('体育公园.txt') && !files().includes('游泳馆.txt'));
});

test('/remove takes a document out of the index; an unknown name lists the closest', async () => {
  const chat = adminChat();
  await h.send(h.message(chat, '/remove 书房.txt', {}, ADMIN));
  const [unknown] = (await h.replies(chat.id)).map((r) => plainText(r.text));
  assert.ok(unknown!.includes('没有名为 书房.txt 的文件') && unknown!.includes('• 城市书房.txt'), unknown);

  await h.send(h.message(chat, '/remove ../notice.txt', {}, ADMIN));
  assert.ok(plainText((await h.replies(chat.id))[0]!.text).includes('没有名为'));

  await h.send(h.message(chat, '/remove 城市书房.txt', {}, ADMIN));
  const [removed] = await outcome(chat.id, 1);
  assert.match(removed!, /已删除 城市书房\.txt（1 篇文档，\d+ 个段落）/u, removed);
  assert.ok(!files().includes('城市书房.txt'));
  assert.ok(!(await ask('城市书房要新建多少座？')).includes('新建城市书房'));

  await h.send(h.message(chat, '/remove', {}, ADMIN));
  assert.equal((await h.replies(chat.id))[0]!.text, DOCUMENT_TEXTS.removeUsage);
});
