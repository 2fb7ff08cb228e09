import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../src/config.js';
import { formatDropped } from '../src/cli/index-command.js';
import { lostLines } from '../src/ingest/coverage.js';
import { ingest } from '../src/ingest/ingest.js';
import { compact } from '../src/ingest/normalize.js';
import type { SourceFile } from '../src/ingest/types.js';
import { readManifest } from '../src/index/store.js';
import { openSearcher } from '../src/search/open.js';
import { SEEDS, SHARED_INDEX, buildSharedIndex, readTextFolder } from './helpers/fixture.js';

/** A second folder, written in the same real-world shape: nested numbered lists, tables over pages, signatures, an interview. */
const SECOND = path.join(PROJECT_ROOT, 'test', 'fixtures', 'second-corpus');

/** The distinct sentences of a folder that end in 。；！ — what the documents say. */
function sentences(files: readonly SourceFile[]): string[] {
  const out = new Set<string>();
  for (const file of files) {
    for (const line of file.lines) {
      for (const m of line.matchAll(/[^。；！]*[。；！]/gu)) {
        const s = compact(m[0]).replace(/^[”’」』）)]+/u, '');
        if (s.length >= 6) out.add(s);
      }
    }
  }
  return [...out];
}

for (const [name, dir] of [
  ['the seeds', SEEDS],
  ['a second folder', SECOND],
] as const) {
  test(`${name}: every line is in a passage or dropped with a reason, and no sentence is lost`, () => {
    const files = readTextFolder(dir);
    const { passages, dropped } = ingest(files);
    assert.deepEqual(lostLines(files, passages, dropped), []);
    const all = passages.map((p) => compact(p.text)).join('\u0001');
    const missing = sentences(files).filter((s) => !all.includes(s));
    assert.deepEqual(missing, [], 'sentences in no passage');
    for (const d of dropped) assert.ok(d.reason === 'repeated copy' || !/[。；！]$/u.test(d.text), `a sentence was dropped as ${d.reason}: ${d.text}`);
  });
}

test('numbered items under numbered items keep their numbers and are quoted, short ones together', () => {
  const { passages } = ingest(readTextFolder(SEEDS));
  const holding = (s: string) => passages.filter((p) => compact(p.text).includes(compact(s)));
  for (const item of [
    '（8）应急处置结束后，进行总结并进行评估。',
    '3. 所有通信及信息共享须符合有关保密规定。',
    '4.乳化液泵具备流量调节功能',
    '(三)本预案自颁布之日起实施。',
  ]) {
    assert.equal(holding(item).length, 1, item);
  }
  // The leading group's duties (1)…(8) are one or two passages, not eight headings with nothing under them.
  const duties = passages.filter((p) => p.section.at(-1) === '1.市领导小组职责');
  assert.ok(duties.length >= 1 && duties.length <= 2, `${duties.length} passages`);
});

test('the lines that say what a document is are quotable, labelled passages', () => {
  const { passages } = ingest(readTextFolder(SEEDS));
  const meta = passages.filter((p) => p.kind === 'meta');
  const find = (s: string) => meta.find((p) => compact(p.text).includes(compact(s)));
  const number = find('三政办〔2020〕4号');
  assert.ok(number && number.section[0] === '文头' && number.title.includes('煤矿智能化'), 'document number with its title');
  const note = find('(2020年3月15日，根据录音整理)');
  assert.ok(note && note.title.includes('大数据管理局'), 'a speech date note');
  const signature = find('三门峡市人民政府办公室 2020年2月28日');
  assert.ok(signature && signature.section[0] === '落款', 'a signature');
  assert.ok(find('——2020年5月14日在三门峡市第七届人民代表大会第五次会议上'), 'a report subtitle with its speaker');
  assert.ok(
    meta.some((p) => p.section[0] === '署名' && p.text === '全国人大代表、三门峡市市长安伟'),
    'the interview byline',
  );
  assert.ok(
    meta.some((p) => p.section[0] === '刊头' && compact(p.text).includes('出版日期:2020年4月11日')),
    'a gazette publication line',
  );
  const contents = meta.filter((p) => p.section[0] === '目录');
  assert.ok(
    contents.some((p) => p.text.includes('【市政府文件】') && compact(p.text).includes('三门峡市人民政府关于表彰2019年度三门峡市市长质量奖获奖单位的决定37')),
    'a gazette\u2019s contents: the category labels among the entries, each entry with its page',
  );
  assert.ok(contents.every((p) => p.title.includes('公报') && p.text.length <= 400));
});

test('a build writes its dropped lines next to the manifest, and --explain summarises them', async () => {
  const report = await buildSharedIndex();
  const { dir, manifest } = readManifest(SHARED_INDEX);
  const dropped = JSON.parse(fs.readFileSync(path.join(dir, 'dropped.json'), 'utf8')) as Array<{ file: string; line: number; text: string; reason: string }>;
  assert.equal(dropped.length, manifest.counts.linesDropped);
  assert.ok(manifest.artifacts['dropped.json'], 'checksummed like every other file');
  assert.ok(dropped.some((d) => d.reason === 'spam' && d.text === '侯卫东官场笔记'));
  // A gazette's contents are quoted (under 目录), not dropped.
  assert.ok(!dropped.some((d) => d.reason === 'table of contents'));
  const text = formatDropped(report.dropped, 'dropped.json');
  for (const reason of ['repeated copy', 'masthead', 'spam', 'page furniture']) assert.match(text, new RegExp(`^  ${reason} +\\d+$`, 'mu'));
});

test('asking with a sentence of the documents finds the passage holding it first', async () => {
  await buildSharedIndex();
  const searcher = await openSearcher({ dir: SHARED_INDEX });
  const all = sentences(readTextFolder(SEEDS)).filter((s) => s.length >= 12);
  let first = 0;
  const notInTop10: string[] = [];
  const refused: string[] = [];
  for (const sentence of all) {
    const response = await searcher.search(sentence, { k: 10 });
    if (response.noAnswer) refused.push(sentence);
    const rank = response.hits.findIndex((h) => compact(h.passage.text).includes(sentence));
    if (rank === 0) first += 1;
    if (rank < 0) notInTop10.push(sentence);
  }
  assert.deepEqual(refused, [], 'refused');
  assert.deepEqual(notInTop10, [], 'not in the top 10');
  assert.ok(first / all.length >= 0.99, `first for ${first}/${all.length}`);
});
