import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../config.js';
import { UserError } from '../errors.js';
import { formatScores, readEvalSet, score, splitOf, type EvalScores } from '../search/evaluate.js';
import { openSearcher } from '../search/open.js';
import type { SearchMode } from '../search/searcher.js';

const MODES: readonly SearchMode[] = ['hybrid', 'dense', 'bm25'];
const USAGE = `Usage: npm run eval -- [--set FILE] [--mode hybrid|dense|bm25] [--misses]

  --set FILE   JSONL set in the format of dev.jsonl (default: ../shared/eval/dev.jsonl)
  --mode M     score one mode only (default: all three, side by side)
  --misses     list the questions whose answer was not ranked first`;

/** `npm run eval`: scores retrieval on a question set, every mode side by side. */
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
  const items = readEvalSet(values.set ? path.resolve(values.set) : path.join(PROJECT_ROOT, '..', 'shared', 'eval', 'dev.jsonl')).filter((item) => !values.split || splitOf(item.id) === values.split);
  const searcher = await openSearcher();
  await searcher.search('预热'); // the first call pays for lazy initialisation; keep it out of the timings
  const all: EvalScores[] = [];
  for (const mode of modes) {
    const responses = [];
    for (const item of items) responses.push(await searcher.search(item.question, { k: 10, mode }));
    all.push(score(mode, items, responses));
  }
  const lengths = searcher.index.passages.map((p) => p.text.length);
  console.log(formatScores(all, lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length)));
  if (values.misses) {
    for (const s of all) {
      console.log(`\n${s.mode}: not first`);
      for (const m of s.misses) console.log(`  ${m.id} rank ${m.rank ?? '-'}  ${m.question}`);
      for (const m of s.falseRefusals) console.log(`  ${m.id} not refused  ${m.question}`);
    }
  }
}
