import { loadEmbedder } from '../../embed/embedder.js';
import { buildIndex } from '../../index/build.js';
import { progressReporter } from '../../cli/index-command.js';

/** Timings of the full build and the no-change rebuild into the same folder. */
export interface BuildBench {
  passages: number;
  fullSeconds: number;
  modelLoadSeconds: number;
  embedSeconds: number;
  embedded: number;
  rebuildSeconds: number;
  rebuildEmbedded: number;
  /** Whether the no-change rebuild loaded the model at all (it should not need to). */
  rebuildLoadedModel: boolean;
}

/**
 * Builds the index from scratch (`--force`: every passage embedded anew), then
 * again with nothing changed, into the same folder: the first is what a fresh
 * deployment pays, the second what every `npm run index` after an edit-free
 * pull pays, which should be reading and hashing only.
 */
export async function benchBuild(seeds: string, out: string): Promise<BuildBench> {
  let modelLoadSeconds = 0;
  let embedStarted = 0;
  let embedSeconds = 0;
  const show = progressReporter(process.stderr);
  const full = await buildIndex({
    seedsDir: seeds,
    outDir: out,
    force: true,
    loadEmbedder: async () => {
      const started = performance.now();
      const embedder = await loadEmbedder((line) => console.error(line));
      modelLoadSeconds = (performance.now() - started) / 1000;
      return embedder;
    },
    onProgress: (done, total) => {
      if (done === 0) embedStarted = performance.now();
      if (done === total) embedSeconds = (performance.now() - embedStarted) / 1000;
      show(done, total);
    },
  });
  let rebuildLoadedModel = false;
  const again = await buildIndex({
    seedsDir: seeds,
    outDir: out,
    loadEmbedder: () => {
      rebuildLoadedModel = true;
      return loadEmbedder((line) => console.error(line));
    },
  });
  return {
    passages: full.manifest.counts.passages,
    fullSeconds: full.seconds,
    modelLoadSeconds,
    embedSeconds,
    embedded: full.manifest.counts.embedded,
    rebuildSeconds: again.seconds,
    rebuildEmbedded: again.manifest.counts.embedded,
    rebuildLoadedModel,
  };
}
