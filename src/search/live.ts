import fs from 'node:fs';
import path from 'node:path';
import { MODEL_DTYPE, MODEL_ID } from '../embed/model.js';
import { describeError } from '../errors.js';
import { currentBuild, loadIndex } from '../index/store.js';
import { jiebaTokenizer } from '../index/tokenizer.js';
import { searcherFor } from './open.js';
import type { Searcher } from './searcher.js';

/**
 * The searcher in service, swapped for a new one when a rebuilt index appears
 * (from `/reindex` or `npm run index` in a shell), without a restart. A
 * question already being answered keeps the searcher it started with; a new
 * index that fails to load is refused and the old one stays in service.
 */
export class LiveSearcher {
  private timer: NodeJS.Timeout | undefined;
  private loadedBuild: string | undefined;
  private checking: Promise<void> | undefined;

  constructor(
    private searcher: Searcher,
    private readonly dir: string,
    private readonly log: (level: 'info' | 'error', line: string) => void = () => {},
  ) {
    this.loadedBuild = searcher.index.dir;
  }

  /** The searcher to use for the next question. */
  current(): Searcher {
    return this.searcher;
  }

  /** Checks once whether another build is in service, and swaps it in if it loads. */
  refresh(): Promise<void> {
    // One check at a time: a slow load must not be raced by the next tick.
    this.checking ??= this.check().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  /** Checks every `intervalMs` (the pointer file is tiny: a stat and a read). */
  watch(intervalMs = 2000): void {
    this.timer = setInterval(() => void this.refresh(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    const build = currentBuild(this.dir);
    if (!build || path.resolve(build) === path.resolve(this.loadedBuild ?? '')) return;
    // Remember it whatever happens, so a refused build is reported once, not every tick.
    this.loadedBuild = build;
    try {
      if (!fs.existsSync(build)) throw new Error(`${build} does not exist`);
      const index = loadIndex(this.dir, { id: MODEL_ID, dtype: MODEL_DTYPE, tokenizer: jiebaTokenizer.name });
      this.searcher = await searcherFor(index, this.searcher.embedder, this.searcher.tuning, this.searcher.model ?? undefined);
      this.log('info', `index swapped in: ${index.dir} (${index.passages.length} passages)`);
    } catch (err) {
      this.log('error', `refused the new index ${build}: ${describeError(err)}; the previous index stays in service`);
    }
  }
}
