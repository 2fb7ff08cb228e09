import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../src/config.js';
import { loadEmbedder } from '../src/embed/embedder.js';
import { UserError } from '../src/errors.js';
import { buildBm25, searchBm25 } from '../src/index/bm25.js';
import { buildIndex } from '../src/index/build.js';
import { currentBuild, loadIndex } from '../src/index/store.js';
import { jiebaTokenizer } from '../src/index/tokenizer.js';
import { SEEDS, SHARED_INDEX, buildSharedIndex, copyDir, tempDir } from './helpers/fixture.js';

const built = await buildSharedIndex();

test('the built index loads, agrees with its manifest, and finds passages both ways', async () => {
  const index = loadIndex(SHARED_INDEX, built.manifest.model);
  const { counts, files, model } = index.manifest;
  assert.equal(counts.passages, index.passages.length);
  assert.equal(model.dim, 512);
  assert.equal(files.length, 5);
  assert.ok(files.every((f) => /^[0-9a-f]{64}$/u.test(f.sha256)));
  assert.equal(counts.embedded + counts.reused, counts.passages);

  // Dense: a passage's own vector finds that passage first.
  const probe = 123;
  const hit = index.hnsw.searchKnn(Array.from(index.vectors[probe]!), 1);
  assert.equal(hit.neighbors[0], probe);

  // A real question, embedded with the query instruction, lands near its evidence.
  const embedder = await loadEmbedder();
  const query = await embedder.embedQuery('农村厕所今年要改多少户');
  const { neighbors } = index.hnsw.searchKnn(Array.from(query), 10);
  assert.ok(neighbors.some((i) => index.passages[i]!.text.includes('新改建厕所 3.27 万户')));

  // Keyword: BM25 over jieba terms finds the same passage by its words.
  const terms = jiebaTokenizer.tokenize('新改建厕所 万户');
  const top = searchBm25(index.bm25, terms, 5).map((h) => index.passages[h.doc]!.text);
  assert.ok(top.some((t) => t.includes('新改建厕所 3.27 万户')));
});

test('BM25 ranks the document with the rarer matching term first', () => {
  const bm25 = buildBm25(['三门峡 国道310 南移', '三门峡 天鹅', '三门峡 旅游 天鹅 天鹅'], jiebaTokenizer);
  const hits = searchBm25(bm25, jiebaTokenizer.tokenize('國道 ３１０'), 3);
  assert.deepEqual(
    hits.map((h) => h.doc),
    [0],
  );
  assert.equal(searchBm25(bm25, jiebaTokenizer.tokenize('天鹅'), 3)[0]!.doc, 2);
});

test('a second run with no change re-embeds nothing; a changed file re-embeds only its passages', async () => {
  const out = tempDir('incremental');
  const seeds = tempDir('seeds');
  copyDir(SEEDS, seeds);
  copyDir(SHARED_INDEX, out);
  let loads = 0;
  const load = async () => {
    loads += 1;
    return loadEmbedder();
  };
  const again = await buildIndex({ seedsDir: seeds, outDir: out, loadEmbedder: load });
  assert.equal(again.manifest.counts.embedded, 0);
  assert.equal(loads, 0, 'the model is not even loaded when nothing changed');

  const interview = path.join(seeds, '000_2058a461c03b0fab.txt');
  fs.writeFileSync(interview, fs.readFileSync(interview, 'utf8').replace('确保2.35万人今年脱贫', '确保2.36万人今年脱贫'));
  const changed = await buildIndex({ seedsDir: seeds, outDir: out, loadEmbedder: load });
  const interviewPassages = changed.manifest.files.find((f) => f.name === '000_2058a461c03b0fab.txt')!.passages;
  assert.ok(changed.manifest.counts.embedded > 0);
  assert.ok(changed.manifest.counts.embedded <= interviewPassages, `${changed.manifest.counts.embedded} re-embedded`);
});

test('a passage gets the same vector whatever is embedded with it: an incremental build equals a fresh one', async () => {
  // Two folders sharing one file: each built fresh, the shared file's passages must get identical vectors.
  const corpus = path.join(PROJECT_ROOT, 'test', 'fixtures', 'second-corpus');
  const both = tempDir('both');
  const alone = tempDir('alone');
  copyDir(corpus, both);
  fs.copyFileSync(path.join(corpus, 'notice.txt'), path.join(alone, 'notice.txt'));
  const embedder = await loadEmbedder();
  const vectorsOf = async (seedsDir: string): Promise<Map<string, number[]>> => {
    const outDir = tempDir('out');
    await buildIndex({ seedsDir, outDir, force: true, loadEmbedder: () => Promise.resolve(embedder) });
    const index = loadIndex(outDir);
    return new Map(index.passages.map((p, i) => [p.id, Array.from(index.vectors[i]!)]));
  };
  const [fromBoth, fromAlone] = [await vectorsOf(both), await vectorsOf(alone)];
  // (Lines repeated across files are mastheads, so the two builds cut a few passages differently: compare the common ones.)
  const common = [...fromAlone.keys()].filter((id) => fromBoth.has(id));
  assert.ok(common.length > 3, `${common.length} passages in common`);
  for (const id of common) assert.deepEqual(fromBoth.get(id), fromAlone.get(id), id);
});

test('a missing or corrupt index is one clear error naming the file and the command', () => {
  const empty = tempDir('empty');
  assert.throws(
    () => loadIndex(empty),
    (err: unknown) => err instanceof UserError && /npm run index/u.test(err.message),
  );

  const out = tempDir('corrupt');
  copyDir(SHARED_INDEX, out);
  const vectors = path.join(currentBuild(out)!, 'vectors.f32');
  const bytes = fs.readFileSync(vectors);
  bytes[100] = bytes[100]! ^ 0xff;
  fs.writeFileSync(vectors, bytes);
  assert.throws(
    () => loadIndex(out),
    (err: unknown) => err instanceof UserError && err.message.includes('vectors.f32') && err.message.includes('npm run index') && !err.message.includes('\n'),
  );

  // A build of an older format (before the English lookup was stored with it) is refused, not misread.
  const manifestFile = path.join(currentBuild(out)!, 'manifest.json');
  const older = { ...(JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Record<string, unknown>), formatVersion: 2 };
  fs.writeFileSync(manifestFile, JSON.stringify(older));
  assert.throws(
    () => loadIndex(out),
    (err: unknown) => err instanceof UserError && err.message.includes('has format 2') && err.message.includes('npm run index'),
  );

  fs.writeFileSync(path.join(currentBuild(out)!, 'manifest.json'), '{"formatVersion": 1, "artif');
  assert.throws(
    () => loadIndex(out),
    (err: unknown) => err instanceof UserError && err.message.includes('manifest.json'),
  );
});

test('a build killed halfway leaves the previous index in service and loadable', async () => {
  const out = tempDir('killed');
  copyDir(SHARED_INDEX, out);
  const before = currentBuild(out);
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/index.ts', '--out', out, '--force'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      // Kill it once embedding is under way, with work done that must not leak into the index.
      if (/Embedding [1-9]\d*\//u.test(chunk.toString())) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', () => resolve());
    child.on('error', reject);
  });
  await new Promise((resolve) => child.once('close', resolve));
  assert.equal(child.signalCode, 'SIGKILL', 'the build was killed before it finished');
  assert.equal(currentBuild(out), before);
  const index = loadIndex(out);
  assert.equal(index.passages.length, built.manifest.counts.passages);

  // A half-written build folder from a killed writer is ignored by readers and swept by the next build.
  const stale = path.join(out, '.tmp-99999999-build-20000101-000000-abcdef');
  fs.mkdirSync(stale);
  fs.writeFileSync(path.join(stale, 'manifest.json'), '{');
  assert.equal(loadIndex(out).dir, before);
  await buildIndex({ seedsDir: SEEDS, outDir: out, loadEmbedder: () => loadEmbedder() });
  assert.ok(!fs.existsSync(stale));
  assert.deepEqual(fs.readdirSync(out).filter((n) => n.startsWith('build-')).length, 1);
});

test('a missing or broken model is one sentence naming MODEL_DIR', async () => {
  const saved = process.env.MODEL_DIR;
  try {
    process.env.MODEL_DIR = tempDir('nomodel');
    await assert.rejects(loadEmbedder(), (err: unknown) => err instanceof UserError && /MODEL_DIR/u.test(err.message) && !err.message.includes('\n'));

    const broken = tempDir('brokenmodel');
    copyDir(path.resolve(saved ?? '../shared/models'), broken);
    fs.writeFileSync(path.join(broken, 'Xenova/bge-small-zh-v1.5/onnx/model_quantized.onnx'), 'not a model');
    process.env.MODEL_DIR = broken;
    await assert.rejects(loadEmbedder(), (err: unknown) => err instanceof UserError && /MODEL_DIR/u.test(err.message) && !err.message.includes('\n'));
  } finally {
    process.env.MODEL_DIR = saved;
  }
});
