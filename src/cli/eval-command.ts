import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../config.js';
import { UserError } from '../errors.js';
import { formatScores, formatSets, readEvalSet, score, splitOf, type EvalItem, type EvalScores } from '../search/evaluate.js';
import { composeAnswer } from '../bot/answer.js';
import { visibleLength } from '../bot/html.js';
import { firstScreenText, renderAnswerHtml } from '../bot/render.js';
import { compact } from '../ingest/normalize.js';
import { percentile } from '../percentile.js';
import { openSearcher } from '../search/open.js';
import type { SearchMode, Searcher } from '../search/searcher.js';

const MODES: readonly SearchMode[] = ['hybrid', 'dense', 'bm25'];
const BANK = path.join(PROJECT_ROOT, 'eval', 'questions.jsonl');
const DEV = path.join(PROJECT_ROOT, '..', 'shared', 'eval', 'dev.jsonl');
const USAGE = `Usage: npm run eval -- [--set FILE [--split train|test] [--mode hybrid|dense|bm25]] [--misses]

  (no --set)  the question bank's train and test splits and the shared dev set side by side
  --set FILE  one JSONL set in the format of dev.jsonl, every mode side by side
  --split S   only that split of the set (by the hash of each id)
  --mode M    score one mode only
  --misses    list the questions whose answer was not ranked first, and unanswerable ones answered`;

async function run(searcher: Searcher, items: readonly EvalItem[], mode: SearchMode): Promise<EvalScores> {
  const responses = [];
  for (const item of items) responses.push(await searcher.search(item.question, { k: 10, mode }));
  return score(mode, items, responses);
}

function printMisses(label: string, s: EvalScores): void {
  console.log(`\n${label}: not first`);
  for (const m of s.misses) console.log(`  ${m.id} rank ${m.rank ?? '-'}  ${m.question}`);
  for (const m of s.falseRefusals) console.log(`  ${m.id} not refused  ${m.question}`);
}

interface Screen {
  folded: number;
  unfolded: number;
  evidence: boolean;
}

/** The first message the bot would send for each answerable item: its visible length folded and unfolded, and whether the evidence shows folded. */
async function firstScreens(searcher: Searcher, items: readonly EvalItem[]): Promise<Screen[]> {
  const screens: Screen[] = [];
  for (const item of items) {
    if (item.evidence.length === 0) continue;
    const answer = composeAnswer(await searcher.search(item.question, { k: 10 }));
    const html = renderAnswerHtml(answer)[0] ?? '';
    const folded = firstScreenText(html);
    screens.push({ folded: folded.length, unfolded: visibleLength(html), evidence: item.evidence.some((e) => compact(folded).includes(compact(e))) });
  }
  return screens;
}

function formatScreens(screens: readonly Screen[]): string {
  const folded = screens.map((s) => s.folded).sort((a, b) => a - b);
  const unfolded = screens.map((s) => s.unfolded).sort((a, b) => a - b);
  const shown = screens.filter((s) => s.evidence).length;
  return `median ${percentile(folded, 50)}, p95 ${percentile(folded, 95)} visible characters (unfolded ${percentile(unfolded, 50)} / ${percentile(unfolded, 95)}); evidence on the first screen ${shown}/${screens.length}`;
}

/** `npm run eval`: scores retrieval and abstention on question sets. */
export async function evalCommand(argv: readonly string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { set: { type: 'string' }, split: { type: 'string' }, mode: { type: 'string' }, misses: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    throw new UserError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  if (values.help) return void console.log(USAGE);
  const modes = values.mode ? [values.mode as SearchMode] : MODES;
  if (!modes.every((m) => MODES.includes(m))) throw new UserError(`Unknown mode "${values.mode}"; use hybrid, dense or bm25.`);
  if (values.split && values.split !== 'train' && values.split !== 'test') throw new UserError(`Unknown split "${values.split}"; use train or test.`);
  const searcher = await openSearcher();
  await searcher.search('预热'); // the first call pays for lazy initialisation; keep it out of the timings
  const lengths = searcher.index.passages.map((p) => p.text.length);
  const meanLength = lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length);

  if (values.set) {
    const items = readEvalSet(path.resolve(values.set)).filter((item) => !values.split || splitOf(item.id) === values.split);
    const all: EvalScores[] = [];
    for (const mode of modes) all.push(await run(searcher, items, mode));
    console.log(formatScores(all, meanLength));
    if (values.misses) for (const s of all) printMisses(s.mode, s);
    return;
  }
  const bank = readEvalSet(BANK);
  const sets: Array<[string, EvalItem[]]> = [
    ['train', bank.filter((item) => splitOf(item.id) === 'train')],
    ['test', bank.filter((item) => splitOf(item.id) === 'test')],
  ];
  if (fs.existsSync(DEV)) sets.push(['dev', readEvalSet(DEV)]);
  const scored: Array<[string, EvalScores]> = [];
  for (const [name, items] of sets) scored.push([name, await run(searcher, items, 'hybrid')]);
  console.log(formatSets(scored, meanLength, searcher.index.passages.length));
  console.log('\nThe bot\'s first screen (its reply with the passages folded), answerable questions:');
  for (const [name, items] of sets) console.log(`  ${name.padEnd(6)} ${formatScreens(await firstScreens(searcher, items))}`);
  if (values.misses) for (const [name, s] of scored) printMisses(name, s);
}
