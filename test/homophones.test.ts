import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { cutAll } from '../src/index/jieba.js';
import { PROJECT_ROOT } from '../src/config.js';
import { normalizeForIndex } from '../src/ingest/normalize.js';
import { currentBuild, loadIndex, type LoadedIndex } from '../src/index/store.js';
import { HomophoneIndex } from '../src/search/homophones.js';

/** The project's own index when it is built; otherwise the shared test index, built from the same seeds. */
async function realIndex(): Promise<LoadedIndex> {
  const own = path.join(PROJECT_ROOT, 'index');
  if (currentBuild(own)) {
    try {
      return loadIndex(own);
    } catch {
      // A stale build (older format) falls through to the test index.
    }
  }
  const { SHARED_INDEX, buildSharedIndex } = await import('./helpers/fixture.js');
  await buildSharedIndex();
  return loadIndex(SHARED_INDEX);
}

const index = await realIndex();
const { postings } = index.bm25;
const vocabulary: Array<[string, number]> = Object.entries(postings).map(([term, list]) => [term, list.length / 2]);
const texts = index.passages.map((p) => normalizeForIndex(p.text));
const isKnown = (term: string): boolean => Object.hasOwn(postings, term);
const df = (term: string): number => (postings[term]?.length ?? 0) / 2;

const homophones = HomophoneIndex.build(vocabulary, { texts });

function fix(query: string, using: HomophoneIndex = homophones) {
  return using.correct(normalizeForIndex(query), isKnown);
}

/** A typo only tests anything if it is a non-word the documents never use, and its target is a real corpus word. */
function assertGenuineTypo(typo: string, word: string): void {
  assert.ok(!isKnown(typo), `${typo} is a corpus term`);
  assert.ok(!cutAll(typo).includes(typo), `${typo} is a jieba word`);
  assert.ok(!texts.some((t) => t.includes(typo)), `${typo} occurs in the documents`);
  assert.ok(df(word) >= 3, `${word} is not a frequent corpus term`);
}

/** Correctly typed questions about the documents, phrased as citizens ask: colloquial, with particles and function words. */
const NORMAL_QUESTIONS = [
  '卢氏县脱贫了吗',
  '2019年民间投资增长多少',
  '工业领导小组多久开一回会',
  '养老机构在别的地方开服务网点，能不能共用一个执照？',
  '出了金融突发事件，县里多长时间内要派领导到现场？',
  '大数据局疫情期间被表彰了，奖了多少钱',
  '中国天然氧吧先让哪几个县区带头创建？',
  '财政支持的特色农业保险是哪四个优势品种？',
  '国道310南移项目什么时候开工',
  '“两区”地块之间的分界，道路沟渠要多宽才算？',
  '三门峡的市长是谁',
  '灵宝市苹果产业发展得怎么样',
  '渑池县有什么重点项目',
  '陕州区的地坑院是怎么保护的',
  '义马市的煤化工企业有哪些',
  '今年要改造多少个老旧小区',
  '农村厕所今年要改多少户',
  '企业上市政府给多少奖励',
  '养老院的床位补贴是多少钱一张',
  '黄河湿地公园有多少只天鹅',
  '全市一般公共预算收入是多少',
  '招商引资到位资金有多少亿元',
  '高速公路建设进展到哪一步了',
  '行政复议应诉工作有什么要求',
  '闲置土地怎么处理',
  '企业租厂房有没有补助',
  '贫困户看病能报销多少',
  '新建的学校有几所',
  '小微企业贷款有什么优惠',
  '金融风险应急预案分几个等级',
  '一照多址改革是怎么回事',
  '今年计划植树造林多少亩',
  '有没有关于人才引进的政策',
  '以前的规划和现在的有什么不同',
  '是不是所有企业都能申请补贴',
  '已经建成的项目有哪些',
  '为什么要发展物流业',
  '这个文件由哪个部门负责解释',
  '省及市两级财政各出多少钱',
  '想在灵宝开个养殖场有补贴吗',
  '这个项目的用地已批了吗',
  '外地人是否可以申请公租房',
  '工作中要注意哪些问题',
  '以保促稳是什么意思',
  '全市有几个国家级开发区',
];

/** The shared dev set, when present: real questions written by someone else. */
function devQuestions(): string[] {
  const file = path.join(PROJECT_ROOT, '..', 'shared', 'eval', 'dev.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { question: string }).question);
}

test('国到 (guo dao) in a road question becomes the corpus word 国道', () => {
  assertGenuineTypo('国到', '国道');
  const result = fix('国到310南移项目');
  assert.equal(result.text, '国道310南移项目');
  assert.deepEqual(result.replacements, [{ from: '国到', to: '国道' }]);
});

test('one-character homophone slips of corpus words are undone, and only the slip is touched', () => {
  const cases: Array<[query: string, typo: string, word: string, expected: string]> = [
    ['卢氏县拖贫了吗', '拖贫', '脱贫', '卢氏县脱贫了吗'],
    ['营商环竟优化有哪些措施', '环竟', '环境', '营商环境优化有哪些措施'],
    ['养老机够能不能共用执照', '机够', '机构', '养老机构能不能共用执照'],
    ['黄河湿低公园有多少天鹅', '湿低', '湿地', '黄河湿地公园有多少天鹅'],
    ['中国天然氧巴先让哪几个县区创建', '氧巴', '氧吧', '中国天然氧吧先让哪几个县区创建'],
  ];
  for (const [query, typo, word, expected] of cases) {
    assertGenuineTypo(typo, word);
    const result = fix(query);
    assert.equal(result.text, expected, query);
    assert.deepEqual(result.replacements, [{ from: typo, to: word }], query);
  }
});

test('the longer match wins, and several slips in one query are all fixed', () => {
  assertGenuineTypo('免池', '渑池');
  // 免池县 → 渑池县 as one three-character word rather than 免池 → 渑池.
  assert.deepEqual(fix('免池县有什么重点项目').replacements, [{ from: '免池县', to: '渑池县' }]);
  const both = fix('灵包市拖贫了吗');
  assert.equal(both.text, '灵宝市脱贫了吗');
  assert.equal(both.replacements.length, 2);
});

test('a polyphonic character is read as in the whole corpus word: 银行 is yin hang, so 银航 finds it', () => {
  assertGenuineTypo('银航', '银行');
  assert.deepEqual(fix('银航贷款有什么优惠').replacements, [{ from: '银航', to: '银行' }]);
});

test('no correctly typed question is changed', () => {
  const questions = [...NORMAL_QUESTIONS, ...devQuestions()];
  assert.ok(questions.length >= 40);
  const changed = questions.map((q) => ({ q, replacements: fix(q).replacements })).filter((r) => r.replacements.length > 0);
  assert.deepEqual(changed, []);
});

test('a span that is part of a word reaching outside it is left alone: 中国到 is not 中国道', () => {
  assert.ok(!isKnown('国到') && df('国道') >= 3);
  assert.deepEqual(fix('中国到2020年要实现什么目标').replacements, []);
});

test('the unit or date word right after a number is never a slip: 20年第3号 is not 年底, but 310国到 is 国道', () => {
  assert.deepEqual(fix('20年第3号政府公报是总第几号？').replacements, []);
  assert.deepEqual(fix('2020年第3号政府公报是总第几号？').replacements, []);
  // A name after a number is not its unit: 310国到 is a slip for 国道 310.
  assert.deepEqual(fix('310国到南移项目啥时候能通车？').replacements, [{ from: '国到', to: '国道' }]);
});

test('the guards are what keep normal questions intact', () => {
  // 分界 is an ordinary word the documents happen not to use; only the dictionary check keeps it from becoming 分解.
  const dividing = '“两区”地块之间的分界，道路沟渠要多宽才算？';
  const noDictionary = HomophoneIndex.build(vocabulary, { texts, isWord: () => false });
  assert.deepEqual(fix(dividing, noDictionary).replacements, [{ from: '分界', to: '分解' }]);
  assert.deepEqual(fix(dividing).replacements, []);
  // 出了 sounds like 除了; the documents' own text shows it is fine as written.
  const incident = '出了金融突发事件，县里多长时间内要派领导到现场？';
  assert.deepEqual(fix(incident, HomophoneIndex.build(vocabulary)).replacements, [{ from: '出了', to: '除了' }]);
  assert.deepEqual(fix(incident).replacements, []);
});

test('fuzzy sounds (z/zh, an/ang) are matched only when asked for, and still leave normal questions alone', () => {
  const fuzzy = HomophoneIndex.build(vocabulary, { texts, fuzzy: true });
  assertGenuineTypo('小槛', '小康');
  // Which span is replaced depends on the segmenter's dictionary; what matters is the corrected text.
  assert.equal(fix('全面建成小槛社会', fuzzy).text, '全面建成小康社会');
  assert.deepEqual(fix('全面建成小槛社会').replacements, []);
  assertGenuineTypo('住织部', '组织部');
  assert.deepEqual(fix('市委住织部', fuzzy).replacements, [{ from: '住织部', to: '组织部' }]);
  const changed = [...NORMAL_QUESTIONS, ...devQuestions()].filter((q) => fix(q, fuzzy).replacements.length > 0);
  assert.deepEqual(changed, []);
});

test('non-Han text passes through untouched and an empty query is fine', () => {
  assert.deepEqual(fix(''), { text: '', replacements: [] });
  assert.deepEqual(fix('gdp 2019'), { text: 'gdp 2019', replacements: [] });
});
