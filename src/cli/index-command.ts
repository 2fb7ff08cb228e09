import path from 'node:path';
import cliProgress from 'cli-progress';
import { indexDir, seedsDir } from '../config.js';
import { loadEmbedder } from '../embed/embedder.js';
import type { DroppedLine } from '../ingest/types.js';
import { buildIndex, type BuildReport } from '../index/build.js';
import { ARTIFACTS } from '../index/manifest.js';
import { parseFlags } from './args.js';
import { DOCUMENT_EXTENSIONS, type SkippedFile } from '../ingest/read.js';

const USAGE = `Usage: npm run index -- [--seeds DIR] [--out DIR] [--force] [--explain] [--strict]

  --seeds DIR  folder of documents: ${DOCUMENT_EXTENSIONS.join(' ')} (default: SEEDS_DIR or seeds/)
  --out DIR    index folder (default: INDEX_DIR or index/)
  --force      re-embed every passage instead of reusing the previous build's vectors
  --explain    also print what was left out of the passages, by reason, with examples
  --strict     fail (exit 1, the previous index stays in service) when any file is skipped`;

/** Parses the index command's flags; unknown flags are a usage error, not a surprise. */
export function parseIndexArgs(argv: readonly string[]): { seeds: string; out: string; force: boolean; explain: boolean; strict: boolean; help: boolean } {
  const { values } = parseFlags(
    argv,
    {
      seeds: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
      explain: { type: 'boolean' },
      strict: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  return {
    seeds: values.seeds ? path.resolve(values.seeds) : seedsDir(),
    out: values.out ? path.resolve(values.out) : indexDir(),
    force: values.force ?? false,
    explain: values.explain ?? false,
    strict: values.strict ?? false,
    help: values.help ?? false,
  };
}

/** Shows embedding progress: a bar on a terminal, a line every tenth otherwise (CI logs stay short). */
export function progressReporter(stream: NodeJS.WriteStream): (done: number, total: number) => void {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: 'Embedding |{bar}| {value}/{total} passages | {eta_formatted} left', hideCursor: true, stream },
      cliProgress.Presets.shades_classic,
    );
    return (done, total) => {
      if (done === 0) bar.start(total, 0);
      else bar.update(done);
      if (done === total) bar.stop();
    };
  }
  let shown = -1;
  return (done, total) => {
    const tenth = Math.floor((done / total) * 10);
    if (tenth !== shown) stream.write(`Embedding ${done}/${total} passages\n`);
    shown = tenth;
  };
}

/** The summary printed after a build: what went in, what came out, how fast. */
export function formatSummary(report: BuildReport): string {
  const { counts, model } = report.manifest;
  const rate = counts.embedded > 0 ? `${(counts.embedded / report.seconds).toFixed(1)} passages/s embedded` : 'nothing to embed';
  const { extracted, cached } = report.extraction;
  const formats = Object.entries(report.manifest.files.reduce<Record<string, number>>((n, f) => ({ ...n, [f.format]: (n[f.format] ?? 0) + 1 }), {})).map(
    ([format, n]) => `${n} ${format}`,
  );
  const read = extracted + cached > 0 ? `; text of ${extracted} extracted, ${cached} unchanged from the cache` : '';
  const skipped = report.skipped.length > 0 ? `; skipped ${report.skipped.length} (listed above)` : '';
  return [
    `Indexed ${counts.files} files (${formats.join(', ')}${read}${skipped}): ${counts.documents} documents, ${counts.passages} passages`,
    `Dropped ${counts.duplicatesDropped} duplicate passages and ${counts.noiseLinesDropped} noise lines; stripped ${report.stats.spamStripped} spam phrases (--explain lists them)`,
    `Embedded ${counts.embedded}, reused ${counts.reused} from the previous build (${model.id}, ${model.dtype}, ${model.dim}-dim)`,
    `Done in ${report.seconds.toFixed(2)} s (${rate}) → ${report.dir}`,
  ].join('\n');
}

/** `npm run index`: builds or refreshes the index, with progress and a summary. */
export async function indexCommand(argv: readonly string[]): Promise<void> {
  const args = parseIndexArgs(argv);
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const report = await buildIndex({
    seedsDir: args.seeds,
    outDir: args.out,
    force: args.force,
    loadEmbedder: () => loadEmbedder((line) => console.error(line)),
    onProgress: progressReporter(process.stderr),
    onSkip: (skipped) => console.log(skippedLine(skipped)),
    strict: args.strict,
  });
  console.log(formatSummary(report));
  if (args.explain) console.log(formatDropped(report.dropped, path.join(report.dir, ARTIFACTS.dropped)));
}

/** The line printed for a file that is not indexed: `skipped FILE: reason`. */
export function skippedLine(skipped: SkippedFile): string {
  return `skipped ${skipped.name}: ${skipped.reason}`;
}

/**
 * The cleaner's audit for a maintainer: how many lines each reason dropped,
 * with a few examples each, so a new corpus can be checked in a minute.
 */
export function formatDropped(dropped: readonly DroppedLine[], where: string, examples = 3): string {
  const byReason = new Map<string, DroppedLine[]>();
  for (const d of dropped) byReason.set(d.reason, [...(byReason.get(d.reason) ?? []), d]);
  const rows = [...byReason].sort((a, b) => b[1].length - a[1].length);
  const width = Math.max(...rows.map(([reason]) => reason.length), 6);
  const lines = [`Left out of the passages: ${dropped.length} lines or phrases (all listed in ${where})`];
  for (const [reason, list] of rows) {
    lines.push(`  ${reason.padEnd(width)}  ${String(list.length).padStart(4)}`);
    // Examples from different texts: the first of each distinct line, so eight copies of one title show once.
    const distinct: DroppedLine[] = [];
    for (const d of list) if (distinct.length < examples && !distinct.some((e) => e.text === d.text)) distinct.push(d);
    for (const d of distinct) lines.push(`      ${d.file}:${d.line}  ${d.text.length > 60 ? `${d.text.slice(0, 60)}…` : d.text}`);
  }
  if (rows.length === 0) lines.push('  nothing: every line is in a passage');
  return lines.join('\n');
}
