import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadIndex } from '../src/index/store.js';
import { readDictionary } from '../src/search/english/cedict.js';
import { isEnglishQuestion } from '../src/search/english/detect.js';
import { fromLookupFile, toLookupFile, type EnglishLookup, type EnglishLookupFile } from '../src/search/english/lookup.js';
import { buildEnglishLookup } from '../src/search/english/reverse.js';
import { englishToChinese as translate } from '../src/search/english/translate.js';
import { SHARED_INDEX, buildSharedIndex } from './helpers/fixture.js';

/**
 * The corpus vocabulary: the real index's terms (the seeds' index every test
 * file shares), so the expectations below face the real competition and the
 * stored lookup is checked on every run, a fresh checkout included.
 */
async function vocabulary(): Promise<{ vocab: Set<string>; source: string; stored: EnglishLookup }> {
  await buildSharedIndex();
  const index = loadIndex(SHARED_INDEX);
  return { vocab: new Set(Object.keys(index.bm25.postings)), source: `index ${index.dir}`, stored: index.english };
}

const { vocab, source, stored } = await vocabulary();
/** CC-CEDICT, read once for every vocabulary below (as `npm run index` reads it once per build). */
const dictionary = readDictionary();
const lookups = new WeakMap<ReadonlySet<string>, EnglishLookup>();
lookups.set(vocab, stored);

/** The lookup `npm run index` would store for a vocabulary (the real index's own one for its vocabulary). */
function lookupFor(vocabulary: ReadonlySet<string>): EnglishLookup {
  let lookup = lookups.get(vocabulary);
  if (!lookup) {
    lookup = buildEnglishLookup(vocabulary, dictionary);
    lookups.set(vocabulary, lookup);
  }
  return lookup;
}

/** Translates against a vocabulary's lookup, as search does against the index's. */
function englishToChinese(question: string, vocabulary: ReadonlySet<string>): string[] {
  return translate(question, lookupFor(vocabulary), vocabulary);
}
const usable = (term: string): boolean => vocab.has(term);

/** Asserts every expected term the vocabulary has is among the translation, and one of each alternative set. */
function expectTerms(question: string, required: readonly string[], anyOf: ReadonlyArray<readonly string[]> = []): string[] {
  const terms = englishToChinese(question, vocab);
  for (const term of required.filter(usable)) assert.ok(terms.includes(term), `${term} missing from ${terms.join(' ')} for: ${question}`);
  for (const options of anyOf) {
    const present = options.filter(usable);
    if (present.length > 0)
      assert.ok(
        present.some((t) => terms.includes(t)),
        `none of ${present.join('/')} in ${terms.join(' ')} for: ${question}`,
      );
  }
  assert.ok(terms.length <= 12);
  assert.equal(new Set(terms).size, terms.length);
  return terms;
}

test(`dictionary loads once (${source})`, () => {
  assert.ok(vocab.size > 0);
  assert.ok(dictionary.length > 100_000);
});

test('the Dicastal wheel question yields phase, wheel hub, annual output and the company', () => {
  expectTerms('After phase II, how many wheels a year can the Daika (Dicastal) wheel plant produce?', ['二期', '轮毂', '年产', '戴卡', '中信戴卡']);
});

test('the work-style question yields 作风 and the government work report', () => {
  const terms = expectTerms("What work style does the 2017 government work report promote under its 'three gan' slogan?", ['作风', '政府工作报告']);
  // 政府工作报告 is no jieba term of its own; it is kept because it splits into 政府 + 工作 + 报告.
  if (['政府', '工作', '报告'].every(usable)) assert.ok(terms.includes('政府工作报告'));
  // The phrase wins over its words: "work style" is 作风, not a separate 工作 + 风格.
  assert.ok(!terms.includes('风格'));
});

test('the overlapping-subsidies question yields equipment manufacturing, subsidy, policy, principle and 重复', () => {
  const terms = expectTerms(
    'If an equipment manufacturer qualifies for overlapping subsidies under different policies, which principle applies?',
    ['原则', '政策', '重复'],
    [['补贴', '补助', '奖励']],
  );
  if (['装备', '制造'].every(usable)) assert.ok(terms.includes('装备制造'));
});

test('everyday questions find their key terms', () => {
  expectTerms('How many toilets will be rebuilt in rural areas this year?', ['厕所', '农村']);
  expectTerms('When was the Sanmenxia gold industry school founded?', ['三门峡', '黄金', '学校']);
  expectTerms('Did Lushi county get out of poverty?', ['脱贫'], [['卢氏', '卢氏县']]);
});

test('figures grow as 增长, a part of a whole is 比重, and a phrase keeps its words from a shorter entry', () => {
  const growth = expectTerms('How much did fiscal revenue grow?', ['增长', '收入']);
  assert.ok(!growth.includes('发展') && !growth.includes('成长'), growth.join(' '));
  const share = expectTerms("What share of the city's tax revenue comes from industry?", ['比重', '工业']);
  assert.ok(!share.includes('共享') && !share.includes('股份'), share.join(' '));
  // "growth rate" is 增长率 (its own entry), not also the 增长 of "growth".
  const rate = expectTerms('What was the GDP growth rate?', ['生产总值', '增长率']);
  assert.ok(!rate.includes('增长'), rate.join(' '));
  expectTerms("How much was spent on people's livelihood?", ['民生']);
});

test('question words and function words contribute nothing', () => {
  assert.deepEqual(englishToChinese('What is the year? How many can, and which does a one under?', vocab), []);
  assert.deepEqual(englishToChinese('', vocab), []);
});

test('plural, -ies, -ing and -ed forms translate like their base word', () => {
  const everything = new Set<string>();
  for (const [inflected, base] of [
    ['wheels', 'wheel'],
    ['subsidies', 'subsidy'],
    ['policies', 'policy'],
    ['principles', 'principle'],
    ['producing', 'produce'],
    ['produced', 'produce'],
    ['planned', 'plan'],
    ['rebuilt', 'rebuild'],
  ] as const) {
    // No vocabulary filter, so the comparison does not depend on which index is built.
    const terms = englishToChinese(inflected, everything);
    assert.deepEqual(terms, englishToChinese(base, everything), `${inflected} vs ${base}`);
    assert.ok(terms.length > 0, inflected);
  }
});

test('a word with two candidate terms takes the one the question\u2019s other words share passages with', () => {
  const index = loadIndex(SHARED_INDEX);
  const passagesWith = (term: string): number[] => (index.bm25.postings[term] ?? []).filter((_, k) => k % 2 === 0);
  // "materials" is 资料 (data) or 材料 (material) to the dictionary, "project" 投影 (projection) or 计划; beside
  // "industry" and "action plan" the documents say 材料 and 计划, and never 投影.
  const question = 'What materials industry projects are in the action plan?';
  const alone = translate(question, stored, vocab);
  const together = translate(question, stored, vocab, passagesWith);
  assert.ok(alone.indexOf('资料') >= 0 && alone.indexOf('资料') < alone.indexOf('材料') && alone.includes('投影'), alone.join(' '));
  assert.ok(together.includes('材料') && !together.includes('资料') && !together.includes('投影'), together.join(' '));
  // The same words, in another order at most: nothing is invented, only chosen.
  assert.ok(
    together.every((term) => vocab.has(term) || alone.includes(term)),
    together.join(' '),
  );
});

test('terms come from the vocabulary; an empty vocabulary keeps the dictionary words', () => {
  assert.deepEqual(englishToChinese('toilet', new Set(['厕所'])), ['厕所']);
  assert.deepEqual(englishToChinese('work style', new Set(['其他'])), []);
  assert.ok(englishToChinese('work style', new Set()).includes('作风'));
});

/**
 * The dictionary is reversed per vocabulary, keeping only headwords the
 * vocabulary supports, and stored with the index; these terms were recorded
 * from the earlier version,
 * which reversed all of CC-CEDICT, so any drift in what is kept shows here.
 * The vocabulary is fixed rather than the index's, so the expectations do not
 * move when the corpus is re-indexed. It includes rival words (车轮 and 轮毂,
 * 作风 and 风格), and it lacks compounds that are kept only because they split
 * into its terms (社会保险, 地区生产总值, 政府工作报告). Since the general-term rule,
 * a candidate holding another of its word's candidates is left out (地区生产总值
 * beside 生产总值, 卢氏县 beside 卢氏).
 */
test('the per-vocabulary index gives the terms the full dictionary gave', () => {
  const fixed = [
    '二期',
    '戴卡',
    '年产',
    '轮毂',
    '植物',
    '生产',
    '种植',
    '生成',
    '车轮',
    '政府',
    '工作',
    '报告',
    '作风',
    '风格',
    '促进',
    '标语',
    '装备',
    '制造',
    '重复',
    '合格',
    '补助',
    '不同',
    '政策',
    '原则',
    '应用',
    '叠加',
    '补贴',
    '方针',
    '申请',
    '厕所',
    '卫生间',
    '农村',
    '改建',
    '脱贫',
    '卢氏',
    '扶贫',
    '卢氏县',
    '贫困',
    '三门峡',
    '增长',
    '增长率',
    '生产总值',
    '地区',
    '货币',
    '支出',
    '教育',
    '保健',
    '社会',
    '保障',
    '保险',
    '煤矿',
    '渑池',
    '义马',
    '履行',
  ];
  const expected: ReadonlyArray<readonly [string, readonly string[]]> = [
    ['After phase II, how many wheels a year can the Daika (Dicastal) wheel plant produce?', ['二期', '戴卡', '年产', '车轮', '植物', '生产', '种植', '生成']],
    ["What work style does the 2017 government work report promote under its 'three gan' slogan?", ['政府工作报告', '作风', '促进', '标语']],
    [
      'If an equipment manufacturer qualifies for overlapping subsidies under different policies, which principle applies?',
      ['装备制造', '重复', '合格', '补助', '不同', '政策', '原则', '应用', '叠加', '补贴', '方针', '申请'],
    ],
    ['How many toilets will be rebuilt in rural areas this year?', ['厕所', '农村', '改建']],
    ['Did Lushi county get out of poverty?', ['脱贫', '卢氏', '扶贫', '贫困']],
    ['What was the GDP growth rate of Sanmenxia in 2019?', ['生产总值', '三门峡', '增长率']],
    ['How much money was spent on education, health care and social security?', ['保健', '社会保险', '货币', '支出', '教育', '社会保障']],
    ['How did the Mianchi and Yima coal mines perform?', ['煤矿', '渑池', '义马', '履行']],
  ];
  // As built, and as stored in the index and read back: the same terms either way.
  const vocabulary = new Set(fixed);
  const built = buildEnglishLookup(vocabulary, dictionary);
  const stored = fromLookupFile(JSON.parse(JSON.stringify(toLookupFile(built, 'test'))) as EnglishLookupFile);
  for (const [question, terms] of expected) {
    assert.deepEqual(translate(question, built, vocabulary), terms, question);
    assert.deepEqual(translate(question, stored, vocabulary), terms, question);
  }
});

test('the index stores the lookup a fresh build gives for its vocabulary', () => {
  const fresh = buildEnglishLookup(vocab, dictionary);
  assert.deepEqual(stored, fresh);
});

test('romanised names find corpus terms by their pinyin', () => {
  const vocabulary = new Set(['戴卡', '吕梁', '渑池', '其他']);
  assert.deepEqual(englishToChinese('Daika', vocabulary), ['戴卡']);
  assert.deepEqual(englishToChinese('Mianchi', vocabulary), ['渑池']);
  // A reading with ü is written with u in English.
  assert.deepEqual(lookupFor(vocabulary).pinyin.get('luliang'), ['吕梁']);
});

test('English is told from Chinese', () => {
  assert.equal(isEnglishQuestion('After phase II, how many wheels a year can the plant produce?'), true);
  assert.equal(isEnglishQuestion('Did Lushi county get out of poverty?'), true);
  assert.equal(isEnglishQuestion('三门峡2019年GDP是多少？'), false);
  assert.equal(isEnglishQuestion('卢氏县脱贫了吗'), false);
  assert.equal(isEnglishQuestion('GDP'), false);
  assert.equal(isEnglishQuestion('三门峡市政府工作报告 GDP 5G'), false);
});
