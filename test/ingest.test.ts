import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingest } from '../src/ingest/ingest.js';
import { SPAM_SUFFIXES } from '../src/ingest/noise-list.js';
import { compact, normalizeForIndex } from '../src/ingest/normalize.js';
import type { Passage } from '../src/ingest/types.js';
import { SEEDS, readTextFolder } from './helpers/fixture.js';

const files = readTextFolder(SEEDS);
const { passages, stats } = ingest(files);
const byName = new Map(files.map((f) => [f.name, f]));
const REPORT = '001_044b8d4ff7903e31.txt';

function containing(fragment: string): Passage[] {
  return passages.filter((p) => compact(p.text).includes(compact(fragment)));
}

test('the seeds are the shared documents, byte for byte', async () => {
  const { readFileSync, readdirSync } = await import('node:fs');
  const shared = new URL('../../shared/seeds/', import.meta.url);
  for (const name of readdirSync(shared)) {
    assert.deepEqual(readFileSync(new URL(name, shared)), readFileSync(`${SEEDS}/${name}`), name);
  }
});

test('the report printed eight times is indexed once, cited at its first copy', () => {
  const report = files.find((f) => f.name === REPORT)!;
  const firstCopyEnd = report.lines.indexOf('2017年三门峡市政府工作报告', 1);
  assert.ok(firstCopyEnd > 0, 'the file really holds a second copy');
  const own = passages.filter((p) => p.file === REPORT);
  assert.ok(own.length > 20);
  for (const p of own) assert.ok(p.lines[1] <= firstCopyEnd, `passage ${p.id} cites line ${p.lines[0]}, past the first copy`);
  assert.equal(containing('大力倡导干事、干练、干净的务实作风').length, 1);
  assert.ok(stats.duplicatesDropped >= 7 * own.length, `dropped ${stats.duplicatesDropped}`);
});

test('no passage quotes spam, a masthead or a table-of-contents line', () => {
  const masthead = ['GAZETTE OF THE PEOPLE', '编委会', '准印证号', '网址:www.smx.gov.cn', '内部资料免费赠阅', '市长说', '（第二季）'];
  for (const p of passages) {
    const text = compact(p.text);
    for (const spam of SPAM_SUFFIXES) assert.ok(!text.includes(spam) && !p.section.join('').includes(spam), `${p.id} has spam ${spam}`);
    for (const line of masthead) assert.ok(!text.includes(compact(line)), `${p.id} has masthead "${line}"`);
    assert.ok(!/[\t ]\d{1,3}$/u.test(p.text.split('\n')[0]!.trim()) || p.kind === 'table', `${p.id} looks like a TOC line`);
  }
  // The contents list this speech with its page number; the body holds it once, as a document.
  const toc = '安伟同志在市政务服务和大数据管理局调研座谈会上的讲话';
  assert.ok(!passages.some((p) => p.kind !== 'meta' && compact(p.text).includes(toc)), 'only its header passage quotes the title');
  assert.ok(passages.some((p) => p.title === toc));
  assert.equal(stats.spamStripped, 16);
});

test('lines broken mid-sentence by a page break are rejoined', () => {
  // 002: "…市县两级指" / "挥部抽调精兵强将…"; 000: "…确保今年再" / "有2.35万人脱贫…".
  for (const joined of ['市县两级指挥部抽调精兵强将', '确保今年再有2.35万人脱贫', '主要表现在“五个不容忽视”']) {
    const hits = containing(joined);
    assert.ok(hits.length >= 1, `"${joined}" is not in one passage`);
    assert.ok(hits.every((p) => !p.text.includes(`${joined.slice(0, 4)}\n`)));
  }
});

test('every citation points at lines that contain the passage text', () => {
  for (const p of passages) {
    const source = compact(
      byName
        .get(p.file)!
        .lines.slice(p.lines[0] - 1, p.lines[1])
        .join(''),
    );
    assert.ok(p.lines[0] <= p.lines[1]);
    assert.ok(source.includes(compact(p.text)), `${p.id} (${p.file}:${p.lines.join('-')}) is not in its lines`);
  }
});

test('passages are citable units of a paragraph or so, with stable unique ids', () => {
  const lengths = passages.map((p) => p.text.length);
  const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
  assert.ok(mean >= 80 && mean <= 400, `mean ${mean}`);
  assert.ok(Math.max(...lengths) <= 400);
  assert.equal(new Set(passages.map((p) => p.id)).size, passages.length);
  const again = ingest(readTextFolder(SEEDS)).passages.map((p) => p.id);
  assert.deepEqual(
    again,
    passages.map((p) => p.id),
  );
});

test('every dev-set evidence string survives cleaning inside one passage', async () => {
  const { readDevSet } = await import('./helpers/fixture.js');
  for (const item of readDevSet()) {
    for (const evidence of item.evidence) assert.ok(containing(evidence).length > 0, `${item.id}: ${evidence}`);
  }
});

test('documents get their own titles, dates and gazette issue', () => {
  const expect: Array<[string, string, string | null, string | null]> = [
    // [a sentence in the passage, title, date, issue]
    ['确保搬迁群众稳定增收脱贫', '全国人大代表、三门峡市市长安伟：从魅力天鹅城到“五彩三门峡”绘就全国康养旅游新地标', null, null],
    ['大力倡导干事、干练、干净的务实作风', '2017年三门峡市政府工作报告', '2017', null],
    ['大数据局就受到了表彰', '安伟同志在市政务服务和大数据管理局调研座谈会上的讲话', '2020-03-15', '2020年第3号（总第170号）'],
    ['义煤集团千秋煤矿完成21192综采工作面智能化建设', '三门峡市煤矿智能化建设实施方案', '2020-02-28', '2020年第3号（总第170号）'],
    ['全年完成改造不少于 11710 户', '2020年三门峡市重点民生实事工作方案', '2020-03-25', '2020年第3号（总第170号）'],
    ['全年增长 15.4%，占全部投资比重的 78.3%', '政府工作报告', '2020-05-14', '2020年第5号（总第172号）'],
    [
      '领导小组下设办公室，办公室设在市气象局',
      '三门峡市人民政府办公室关于成立三门峡市中国天然氧吧城市创建工作领导小组的通知',
      '2020-01-21',
      '2020年第5号（总第172号）',
    ],
    ['按“就高不重复”原则执行', '三门峡市支持装备制造业高质量发展若干政策措施', '2020-04-26', '2020年第5号（总第172号）'],
    ['原则上一个月召开一次', '安伟同志在市工业领导小组第一次会议上的讲话', '2018-06-01', '2018年第8号（总第151号）'],
    ['县（市、区）政府于 1 小时内派出副县级及以上领导带队', '三门峡市金融突发事件应急预案', '2018-05-23', '2018年第8号（总第151号）'],
    ['公告公示不少于5个工作日', '《三门峡市粮食生产功能区和重要农产品生产保护区划定工作方案》解读', '2018-08-03', '2018年第8号（总第151号）'],
  ];
  for (const [sentence, title, date, issue] of expect) {
    const [p] = containing(sentence);
    assert.ok(p, sentence);
    assert.deepEqual([p.title, p.date, p.issue], [title, date, issue], sentence);
  }
  assert.equal(stats.documents, 36);
});

test('headings give each passage its section path, questions stay with answers, tables keep their header', () => {
  const [plan] = containing('因被冲击、被盗、被抢、被袭击等引发的金融突发事件');
  assert.ok(
    plan!.section.some((s) => s.startsWith('（三）适用范围')),
    plan!.section.join(' › '),
  );
  const [qa] = containing('全市贫困发生率降至2.22%');
  assert.ok(qa!.section.includes('确保2.35万人今年脱贫卢氏县脱贫摘帽'), qa!.section.join(' › '));
  const [first] = containing('三门峡地处豫西丘陵山区');
  assert.equal(first!.kind, 'qa');
  assert.ok(first!.text.startsWith('记者：'));
  const [table] = containing('21192 综采工作面智能化建设\t2021.12');
  assert.equal(table!.kind, 'table');
  assert.equal(compact(table!.header ?? ''), compact('序号\t矿井名称\t项 目\t完成时间'));
  assert.ok(table!.section.at(-1)!.includes('一览表'), table!.section.join(' › '));
});

test('a plan item closed by who is responsible, without a full stop, is not run into the next numbered item', () => {
  const holding = (fragment: string): Passage[] => passages.filter((p) => compact(p.text).includes(fragment));
  // Each item of the 2020 livelihood plan ends `（主要责任单位：…）` and the next opens `2.`/`3.`: a paragraph of its own (short siblings may share a passage).
  const roads = passages.filter((p) => p.text.includes('实施农村公路“百县通村入组”工程'));
  assert.ok(roads.length > 0);
  for (const p of roads) assert.match(p.text, /(^|\n)2\.\s*实施农村公路/u, p.text.slice(0, 80));
  // The health plan's targets paragraph sits under its own item in the section path, not under item 1.
  const fitness = holding('（市体育局牵头，市发展改革委、教育局、财政局');
  assert.ok(fitness.length > 0 && fitness.every((p) => p.section.some((s) => s.includes('全民健身'))), JSON.stringify(fitness.map((p) => p.section)));
});

test('normalisation for indexing folds Traditional, full-width and spacing, and leaves display text alone', () => {
  assert.equal(normalizeForIndex('國道 ３１０ 南移項目'), '国道310南移项目');
  assert.equal(normalizeForIndex('GDP　增长 8.5%'), 'gdp增长8.5%');
  const spaced = containing('国道 310 是一条幸福路')[0];
  assert.ok(spaced?.text.includes('国道 310'), 'the quote keeps the source spacing');
});

test('any folder of .txt files works: CRLF, English text, an empty file, no gazette structure', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(`${tmpdir()}/smx-other-`);
  try {
    writeFileSync(
      `${dir}/a.txt`,
      '关于测试的通知\r\n\r\n一、目的\r\n为了测试，我们写了这份文件。\r\n\r\n二、内容\r\n内容很简单：系统应当正常工作，\r\n即使换行在句子中间。\r\n',
    );
    writeFileSync(`${dir}/b.txt`, 'Just an English note.\nNothing Chinese here at all.\n');
    writeFileSync(`${dir}/c.txt`, '');
    const other = readTextFolder(dir);
    const result = ingest(other);
    assert.equal(result.stats.files, 3);
    const texts = result.passages.map((p) => p.text);
    assert.ok(
      texts.some((t) => t.includes('系统应当正常工作，即使换行在句子中间。')),
      texts.join(' | '),
    );
    assert.ok(texts.some((t) => t.includes('Nothing Chinese here at all.')));
    const [notice] = result.passages.filter((p) => p.file === 'a.txt');
    assert.equal(notice!.title, '关于测试的通知');
    for (const p of result.passages) {
      const lines = other
        .find((f) => f.name === p.file)!
        .lines.slice(p.lines[0] - 1, p.lines[1])
        .join('');
      assert.ok(compact(lines).includes(compact(p.text)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
