import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { locationText, sourceText } from '../src/answer/compose.js';
import { toJson } from '../src/cli/ask-command.js';
import { PROJECT_ROOT } from '../src/config.js';
import { loadEmbedder } from '../src/embed/embedder.js';
import { lostLines } from '../src/ingest/coverage.js';
import { OCR_PACKAGES, ocrUnavailable } from '../src/ingest/extract/ocr.js';
import { ingest } from '../src/ingest/ingest.js';
import { compact } from '../src/ingest/normalize.js';
import { DOCUMENT_EXTENSIONS, readDocuments } from '../src/ingest/read.js';
import type { Passage } from '../src/ingest/types.js';
import { EXTRACT_CACHE, buildIndex } from '../src/index/build.js';
import { currentBuild } from '../src/index/store.js';
import { firstHitRank, readEvalSet, score, type EvalItem } from '../src/search/evaluate.js';
import { openSearcher } from '../src/search/open.js';
import type { SearchResponse } from '../src/search/searcher.js';
import { copyDir, tempDir } from './helpers/fixture.js';

const FORMATS = path.join(PROJECT_ROOT, 'test', 'fixtures', 'formats');
/** A gazette part as PDF, another gazette as Word, the interview as a web page: made by scripts/make-format-fixtures.sh. */
const DOCS = path.join(FORMATS, 'docs');
/** The plain texts the documents were made from, under the same names. */
const TXT = path.join(FORMATS, 'txt');
const PDF = 'gazette-2020-3.pdf';
/** Which seed each fixture was made from, to pick the question bank's questions about it. */
const SEED_OF: Record<string, string> = {
  'gazette-2020-3': '002_852d44e181674f23.txt',
  'gazette-2020-2': '003_e3b2b8ae44c3b319.txt',
  interview: '000_2058a461c03b0fab.txt',
};

const docs = await readDocuments(DOCS);
const { passages, dropped } = ingest(docs.files);
const txt = await readDocuments(TXT);
const base = (name: string): string => name.replace(/\.[^.]+$/u, '');

/** The text of each page of a PDF, from poppler's pdftotext: an extraction independent of the indexer's. */
function pdftotextPages(file: string): string[] {
  const pages = Number(/Pages:\s+(\d+)/u.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
  return Array.from({ length: pages }, (_, k) => execFileSync('pdftotext', ['-f', String(k + 1), '-l', String(k + 1), file, '-'], { encoding: 'utf8' }));
}

/** The distinct sentences (ending 。；！, white space removed) of some lines. */
function sentences(lines: readonly string[]): string[] {
  const out = new Set<string>();
  for (const line of lines) for (const m of line.matchAll(/[^。；！]*[。；！]/gu)) if (compact(m[0]).length >= 6) out.add(compact(m[0]));
  return [...out];
}

test('the folder lists every accepted extension, and each fixture is read in its own format', () => {
  assert.deepEqual([...DOCUMENT_EXTENSIONS].sort(), ['.docx', '.htm', '.html', '.md', '.pdf', '.txt']);
  assert.deepEqual(
    docs.files.map((f) => [f.name, f.format]),
    [
      ['gazette-2020-2.docx', 'docx'],
      [PDF, 'pdf'],
      ['interview.html', 'html'],
    ],
  );
  assert.deepEqual(docs.skipped, []);
});

test('every sentence of the plain texts is in a passage of the PDF, Word and web-page versions, and every line is accounted for', () => {
  assert.deepEqual(lostLines(docs.files, passages, dropped), []);
  for (const plain of txt.files) {
    const formatted = docs.files.find((f) => base(f.name) === base(plain.name))!;
    const held = passages
      .filter((p) => p.file === formatted.name)
      .map((p) => compact(p.text))
      .join('\u0001');
    const missing = sentences(plain.lines).filter((s) => !held.includes(s));
    assert.deepEqual(missing, [], `${formatted.name}: sentences of ${plain.name} in no passage`);
  }
});

test('PDF running headers and page numbers are page furniture, and sentences broken across pages are rejoined', () => {
  const pdf = docs.files.find((f) => f.name === PDF)!;
  const furniture = new Map(dropped.filter((d) => d.file === PDF && d.reason === 'page furniture').map((d) => [d.line, compact(d.text)]));
  // Each page's first printed line is the running header, its last the page number: all dropped as page furniture.
  const firsts = pdf.printed!.flatMap((at, i) => (at.line === 1 ? [i + 1] : []));
  const lasts = firsts.map((first) => first - 1).slice(1);
  lasts.push(pdf.lines.length);
  assert.equal(firsts.length, 15);
  for (const no of firsts) assert.equal(furniture.get(no), '三门峡市人民政府公报', `line ${no}`);
  lasts.forEach((no, k) => assert.equal(furniture.get(no), `—${k + 1}—`, `line ${no}`));
  for (const p of passages) {
    assert.ok(!/—\s*\d+\s*—/u.test(p.text), `${p.id} holds a page number`);
    if (p.file === PDF && p.kind !== 'meta') assert.ok(!compact(p.text).includes('三门峡市人民政府公报'), `${p.id} holds the running header`);
  }
  // Page 4 ends "…成功争取国家专项建设基" and page 5 goes on "金 14.93 亿元": one passage holds both halves, cited over both pages.
  const pages = pdftotextPages(path.join(DOCS, PDF)).map((page) => compact(page));
  assert.ok(pages[3]!.endsWith('成功争取国家专项建设基—4—') && pages[4]!.includes('三门峡市人民政府公报金14.93亿元'), 'the fixture breaks there');
  const joined = passages.filter((p) => p.file === PDF && compact(p.text).includes('成功争取国家专项建设基金14.93亿元'));
  assert.ok(joined.length >= 1);
  for (const p of joined) assert.deepEqual([p.page, p.pageEnd], [4, 5]);
});

test('every PDF passage cites the page (and printed line) it is printed on, checked against pdftotext', () => {
  const pages = pdftotextPages(path.join(DOCS, PDF));
  const mine = passages.filter((p) => p.file === PDF);
  assert.ok(mine.length > 40);
  for (const p of mine) {
    assert.ok(p.page !== undefined && p.pageLines, `${p.id} has no page`);
    // Six characters: enough to place a passage, short enough not to run over a page break.
    const head = compact(p.text).slice(0, 6);
    const tail = compact(p.text).slice(-6);
    assert.ok(compact(pages[p.page - 1] ?? '').includes(head), `${p.id} starts "${head}", not on page ${p.page}`);
    assert.ok(compact(pages[(p.pageEnd ?? p.page) - 1] ?? '').includes(tail), `${p.id} ends "${tail}", not on page ${p.pageEnd ?? p.page}`);
    // The printed line: pdftotext's lines of the page, blank ones left out, counted from the running header.
    const printed = (pages[p.page - 1] ?? '').split('\n').filter((l) => l.trim());
    const at = compact(`${printed[p.pageLines[0] - 1] ?? ''}${printed[p.pageLines[0]] ?? ''}`);
    assert.ok(at.includes(compact(p.text).slice(0, 4)), `${p.id} is not on printed line ${p.pageLines[0]} of page ${p.page}`);
  }
  const shown = mine.find((p) => p.pageEnd === undefined && p.kind === 'paragraph')!;
  assert.match(sourceText(shown), new RegExp(` · 第${shown.page}页 · `, 'u'));
  assert.match(locationText(shown), new RegExp(`^${PDF} 第${shown.page}页第\\d+–\\d+行$`, 'u'));
  assert.ok(locationText(passages.find((p) => p.file.endsWith('.docx'))!).match(/第\d+–\d+段$/u));
});

test('no site chrome of the web page reaches a passage, and its headline is the document title', () => {
  const chrome = [
    '首页',
    '当前位置',
    '政务公开',
    '相关新闻',
    '热点专题',
    '版权所有',
    'ICP备',
    '公网安备',
    '网站标识码',
    '上一篇',
    '下一篇',
    '分享到',
    '浏览次数',
    '无障碍',
    '网站地图',
  ];
  const related = ['三门峡市召开全市脱贫攻坚工作推进会', '卢氏县2019年脱贫摘帽工作动员会召开', '我市康养旅游产业发展规划通过评审'];
  const mine = passages.filter((p) => p.file === 'interview.html');
  assert.ok(mine.length >= 15);
  for (const p of mine) {
    const all = compact([p.text, p.title, ...p.section].join('|'));
    for (const word of [...chrome, ...related]) assert.ok(!all.includes(compact(word)), `${p.id} holds site chrome "${word}"`);
  }
  assert.equal(mine[0]!.title, '全国人大代表、三门峡市市长安伟：从魅力天鹅城到“五彩三门峡”绘就全国康养旅游新地标');
  // The article's headings and paragraphs make the same passages, under the same heading paths, as its text version.
  const plain = ingest(txt.files).passages.filter((p) => p.file === 'interview.txt');
  assert.deepEqual(
    mine.map((p) => [p.title, p.section.join('›'), p.kind, p.text]),
    plain.map((p) => [p.title, p.section.join('›'), p.kind, p.text]),
  );
});

test('Word headings, paragraphs and tables come through: heading paths and table rows as in the text version', () => {
  const word = passages.filter((p) => p.file === 'gazette-2020-2.docx');
  const plain = ingest(txt.files).passages.filter((p) => p.file === 'gazette-2020-2.txt');
  assert.equal(word.length, plain.length);
  assert.deepEqual(
    word.map((p) => [p.title, p.section.join('›'), p.kind]),
    plain.map((p) => [p.title, p.section.join('›'), p.kind]),
  );
  assert.ok(word.filter((p) => p.kind === 'table').length >= 4);
  assert.ok(
    word.some((p) => p.section[0]?.startsWith('一、')),
    'a Heading 2 paragraph heads a section',
  );
});

test('bad files are skipped with a reason, every other file is indexed (exit 0); with --strict the build fails and the previous index stays', () => {
  const seeds = tempDir('formats-bad');
  const out = tempDir('formats-bad-index');
  fs.copyFileSync(path.join(TXT, 'interview.txt'), path.join(seeds, 'interview.txt'));
  const pdf = fs.readFileSync(path.join(DOCS, PDF));
  const bad: Record<string, Buffer | string> = {
    'encrypted.pdf': fs.readFileSync(path.join(FORMATS, 'bad', 'encrypted.pdf')),
    'zip-bomb.docx': fs.readFileSync(path.join(FORMATS, 'bad', 'zip-bomb.docx')),
    'truncated.pdf': pdf.subarray(0, 20_000),
    'empty.pdf': '',
    'really-text.pdf': '这不是PDF，只是一个改了扩展名的文本文件。\n',
    'not-word.docx': '<html><body><p>网页</p></body></html>',
    'corrupt.docx': Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(500, 7)]),
    'old.doc': Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
  };
  for (const [name, content] of Object.entries(bad)) fs.writeFileSync(path.join(seeds, name), content);
  // Over 50 MB: a sparse file, so the test does not write 51 MB.
  fs.closeSync(fs.openSync(path.join(seeds, 'huge.pdf'), 'w'));
  fs.truncateSync(path.join(seeds, 'huge.pdf'), 51 * 2 ** 20);

  const index = (...flags: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/index.ts', '--seeds', seeds, '--out', out, ...flags], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: process.env,
    });
  const run = index();
  assert.equal(run.status, 0, run.stderr);
  const skipped = new Map([...run.stdout.matchAll(/^skipped (\S+): (.+)$/gmu)].map((m) => [m[1]!, m[2]!]));
  const expected: Record<string, RegExp> = {
    'encrypted.pdf': /encrypted/u,
    'zip-bomb.docx': /inflates to 210 MB, over the 200 MB limit/u,
    'truncated.pdf': /not a readable PDF/u,
    'empty.pdf': /^empty$/u,
    'really-text.pdf': /named \.pdf but is plain text/u,
    'not-word.docx': /named \.docx but is a web page/u,
    'corrupt.docx': /not a readable zip file/u,
    'old.doc': /old Word \.doc file; save it as \.docx/u,
    'huge.pdf': /51\.0 MB, over the 50 MB limit/u,
  };
  assert.deepEqual([...skipped.keys()].sort(), Object.keys(expected).sort(), run.stdout);
  for (const [name, reason] of Object.entries(expected)) assert.match(skipped.get(name)!, reason, name);
  assert.match(run.stdout, /Indexed 1 files \(1 txt; skipped 9 \(listed above\)\)/u);
  assert.ok(!/\n\s+at /u.test(run.stdout + run.stderr), 'no stack trace');

  const before = currentBuild(out);
  const strict = index('--strict');
  assert.equal(strict.status, 1);
  assert.match(strict.stderr, /9 files were skipped and --strict is set: nothing was built, the previous index stays in service\./u);
  assert.ok(!/\n\s+at /u.test(strict.stderr), 'no stack trace');
  assert.equal(currentBuild(out), before, 'the previous index is still in service');
});

test('unchanged PDF, Word and web-page files are not extracted again: their text comes from the cache by sha256', async () => {
  const seeds = tempDir('formats-cache');
  const out = tempDir('formats-cache-index');
  copyDir(DOCS, seeds);
  const first = await readDocuments(seeds, { cacheDir: path.join(out, EXTRACT_CACHE) });
  assert.deepEqual([first.extracted, first.cached], [3, 0]);
  const again = await readDocuments(seeds, { cacheDir: path.join(out, EXTRACT_CACHE) });
  assert.deepEqual([again.extracted, again.cached], [0, 3]);
  // The cached text is what is read: marked in the cache, the mark shows up in the next read.
  const html = again.files.find((f) => f.name === 'interview.html')!;
  const entry = path.join(out, EXTRACT_CACHE, `${html.sha256}.json`);
  fs.writeFileSync(entry, fs.readFileSync(entry, 'utf8').replace('市长说', '市长说（缓存）'));
  const cached = await readDocuments(seeds, { cacheDir: path.join(out, EXTRACT_CACHE) });
  assert.ok(cached.files.find((f) => f.name === 'interview.html')!.lines.includes('市长说（缓存）'));
  // A changed file is extracted again, and the entry of its old content is removed.
  fs.appendFileSync(path.join(seeds, 'interview.html'), '\n<!-- edited -->\n');
  const edited = await readDocuments(seeds, { cacheDir: path.join(out, EXTRACT_CACHE) });
  assert.deepEqual([edited.extracted, edited.cached], [1, 2]);
  assert.ok(!fs.existsSync(entry));
  assert.equal(fs.readdirSync(path.join(out, EXTRACT_CACHE)).length, 3);
});

test('a scanned PDF is read by OCR when tesseract is installed, else skipped naming the packages', async () => {
  const seeds = tempDir('formats-ocr');
  fs.copyFileSync(path.join(FORMATS, 'scanned', 'scanned-page.pdf'), path.join(seeds, 'scanned-page.pdf'));
  fs.writeFileSync(path.join(seeds, 'note.txt'), '扫描件说明。\n');
  const missing = await ocrUnavailable();
  // CI installs tesseract (.ci/run): there the OCR path itself must be tested.
  if (missing && process.env.CI) assert.fail(`OCR is not available in CI: ${missing}`);
  const read = await readDocuments(seeds);
  if (missing) {
    assert.match(read.skipped[0]?.reason ?? '', new RegExp(OCR_PACKAGES.split(' ')[0]!, 'u'));
    return;
  }
  assert.deepEqual(read.skipped, []);
  const scan = read.files.find((f) => f.name === 'scanned-page.pdf')!;
  const expected = compact(fs.readFileSync(path.join(FORMATS, 'scanned', 'scanned-page.pdftotext'), 'utf8'));
  const got = compact(scan.lines.join(''));
  // Character recall against the page's own text layer: OCR misreads a character here and there, no more.
  const counts = new Map<string, number>();
  for (const c of got) counts.set(c, (counts.get(c) ?? 0) + 1);
  let found = 0;
  for (const c of expected) {
    const n = counts.get(c) ?? 0;
    if (n > 0) {
      found += 1;
      counts.set(c, n - 1);
    }
  }
  assert.ok(found / expected.length >= 0.95, `OCR recalled ${found}/${expected.length} characters`);
  assert.ok(Math.abs(got.length - expected.length) / expected.length <= 0.05, `${got.length} characters read, ${expected.length} printed`);
  assert.ok(scan.printed!.every((at) => at.page === 1));
  const { passages: scanned } = ingest(read.files);
  assert.ok(scanned.filter((p) => p.file === 'scanned-page.pdf').every((p) => p.page === 1));
  assert.ok(got.includes(compact('国道310是一条幸福路。')));
});

/** Bank questions about the fixtures' source documents whose evidence is in the part made into a fixture. */
function bankQuestions(): EvalItem[] {
  const bank = readEvalSet(path.join(PROJECT_ROOT, 'eval', 'questions.jsonl')) as Array<EvalItem & { file?: string }>;
  const textOf = new Map(txt.files.map((f) => [SEED_OF[base(f.name)], compact(f.lines.join(''))]));
  return bank.filter((item) => {
    const text = item.file ? textOf.get(item.file) : undefined;
    return text !== undefined && item.evidence.length > 0 && item.evidence.some((e) => text.includes(compact(e)));
  });
}

test('the PDF, Word and web-page versions answer the question bank as well as the plain texts (R@5 within 0.03)', async (t) => {
  const items = bankQuestions();
  assert.ok(items.length >= 100, `${items.length} questions`);
  const load = () => loadEmbedder();
  const plainOut = tempDir('formats-plain-index');
  const docsOut = tempDir('formats-docs-index');
  await buildIndex({ seedsDir: TXT, outDir: plainOut, loadEmbedder: load });
  // The same texts embed to the same vectors: the formatted build reuses the plain build's.
  copyDir(plainOut, docsOut);
  await buildIndex({ seedsDir: DOCS, outDir: docsOut, loadEmbedder: load });
  const pages = pdftotextPages(path.join(DOCS, PDF)).map(compact);
  const results: Record<string, number> = {};
  for (const [name, dir] of [
    ['txt', plainOut],
    ['pdf/docx/html', docsOut],
  ] as const) {
    const searcher = await openSearcher({ dir });
    const responses: SearchResponse[] = [];
    for (const item of items) responses.push(await searcher.search(item.question, { k: 10 }));
    const scores = score('hybrid', items, responses);
    results[name] = scores.recallAt[5];
    t.diagnostic(
      `${name}: ${items.length} questions, R@1 ${scores.recallAt[1].toFixed(3)}, R@5 ${scores.recallAt[5].toFixed(3)}, MRR@10 ${scores.mrr10.toFixed(3)}`,
    );
    for (const [fixture, seed] of Object.entries(SEED_OF)) {
      const own = items.flatMap((item, i) => ((item as EvalItem & { file?: string }).file === seed ? [i] : []));
      const part = score(
        'hybrid',
        own.map((i) => items[i]!),
        own.map((i) => responses[i]!),
      );
      t.diagnostic(`  ${fixture}: ${own.length} questions, R@1 ${part.recallAt[1].toFixed(3)}, R@5 ${part.recallAt[5].toFixed(3)}`);
    }
    if (name !== 'txt') {
      // Every PDF passage a question brought up is cited at the page that prints it.
      const hits: Passage[] = responses.flatMap((r) => r.hits.map((h) => h.passage)).filter((p) => p.file === PDF);
      assert.ok(hits.length > 50);
      for (const p of hits) assert.ok(pages[p.page! - 1]!.includes(compact(p.text).slice(0, 6)), `${p.id} not on page ${p.page}`);
      const withPage = responses.find((r) => r.hits[0]?.passage.file === PDF && firstHitRank(r, items[responses.indexOf(r)]!.evidence) === 1)!;
      assert.equal(toJson(withPage).results[0]!.page, withPage.hits[0]!.passage.page);
    }
  }
  const diff = results['pdf/docx/html']! - results.txt!;
  t.diagnostic(`R@5 difference (formats − txt): ${diff.toFixed(3)}`);
  assert.ok(Math.abs(diff) <= 0.03, `R@5 ${results['pdf/docx/html']} against ${results.txt}`);
});
