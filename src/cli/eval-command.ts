import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../config.js';
import { UserError } from '../errors.js';
import { playChat } from '../conversation/turn.js';
import {
  firstHitRank,
  formatScores,
  formatSets,
  isDialogue,
  readDialogues,
  readEvalSet,
  score,
  splitOf,
  type Dialogue,
  type EvalItem,
  type EvalScores,
} from '../search/evaluate.js';
import { composeAnswer } from '../answer/compose.js';
import { visibleLength } from '../answer/html.js';
import { firstScreenText, renderAnswerHtml } from '../answer/telegram-html.js';
import { compact } from '../ingest/normalize.js';
import { percentile } from '../percentile.js';
import { openSearcher } from '../search/open.js';
import type { SearchMode, Searcher } from '../search/searcher.js';
import { parseFlags } from './args.js';

const MODES: readonly SearchMode[] = ['hybrid', 'dense', 'bm25'];
const BANK = path.join(PROJECT_ROOT, 'eval', 'questions.jsonl');
const DEV = path.join(PROJECT_ROOT, '..', 'shared', 'eval', 'dev.jsonl');
const USAGE = `Usage: npm run eval -- [--set FILE [--split train|test] [--mode hybrid|dense|bm25]] [--misses]

  (no --set)  the question bank's train and test splits and the shared dev set side by side
  --set FILE  one JSONL set in the format of dev.jsonl, every mode side by side;
              or a set of dialogues (eval/dialogues.jsonl), scored turn by turn as a chat
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

/** Per turn type: how many, answered first, in the top 5, refused; plus the same turns asked alone. */
type DialogueScores = Map<string, { n: number; at1: number; at5: number; refused: number; aloneAt1: number; aloneAt5: number; ms: number }>;

/** Plays each dialogue turn by turn as a chat would, scoring each turn against its evidence in context. */
async function scoreDialogues(searcher: Searcher, dialogues: readonly Dialogue[]): Promise<DialogueScores> {
  const scores: DialogueScores = new Map();
  for (const dialogue of dialogues) {
    const turns = await playChat(
      searcher,
      dialogue.turns.map((t) => t.question),
    );
    for (const [k, t] of dialogue.turns.entries()) {
      const turn = turns[k]!;
      const hits = turn.response && !turn.response.noAnswer ? turn.response.hits.slice(turn.from) : [];
      const type = k === 0 ? 'first' : t.type;
      const entry = scores.get(type) ?? { n: 0, at1: 0, at5: 0, refused: 0, aloneAt1: 0, aloneAt5: 0, ms: 0 };
      entry.n += 1;
      entry.ms += turn.response?.ms ?? 0;
      if (!turn.response || turn.response.noAnswer) entry.refused += 1;
      const rank = hits.findIndex((h) => t.evidence.some((e) => compact(h.passage.text).includes(compact(e))));
      if (rank === 0) entry.at1 += 1;
      if (rank >= 0 && rank < 5) entry.at5 += 1;
      if (type === 'new-topic' || type === 'first') {
        const alone = firstHitRank(await searcher.search(t.question, { k: 10 }), t.evidence);
        if (alone === 1) entry.aloneAt1 += 1;
        if (alone !== null && alone <= 5) entry.aloneAt5 += 1;
      }
      scores.set(type, entry);
    }
  }
  return scores;
}

function formatDialogueScores(scores: DialogueScores): string {
  const f = (a: number, n: number): string => (n ? (a / n).toFixed(2) : '-');
  const lines = ['turn type     turns  R@1   R@5   refused  (asked alone: R@1  R@5)  ms/turn'];
  const follow = { n: 0, at1: 0, at5: 0 };
  for (const [type, e] of [...scores].sort()) {
    const alone = type === 'new-topic' || type === 'first' ? `${f(e.aloneAt1, e.n)}  ${f(e.aloneAt5, e.n)}` : '-';
    lines.push(
      `${type.padEnd(12)}  ${String(e.n).padStart(5)}  ${f(e.at1, e.n)}  ${f(e.at5, e.n)}  ${`${e.refused}/${e.n}`.padEnd(7)}  ${alone.padEnd(22)}  ${(e.ms / Math.max(1, e.n)).toFixed(1)}`,
    );
    if (['year', 'place', 'aspect', 'pronoun', 'more'].includes(type)) {
      follow.n += e.n;
      follow.at1 += e.at1;
      follow.at5 += e.at5;
    }
  }
  lines.push(`follow-up turns (year, place, aspect, pronoun, more): ${follow.n}, R@1 ${f(follow.at1, follow.n)}, R@5 ${f(follow.at5, follow.n)}`);
  lines.push('(unanswerable turns are follow-ups the documents do not answer: "refused" is the figure that counts there)');
  return lines.join('\n');
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
  const { values } = parseFlags(
    argv,
    {
      set: { type: 'string' },
      split: { type: 'string' },
      mode: { type: 'string' },
      misses: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) return void console.log(USAGE);
  const modes = values.mode ? [values.mode as SearchMode] : MODES;
  if (!modes.every((m) => MODES.includes(m))) throw new UserError(`Unknown mode "${values.mode}"; use hybrid, dense or bm25.`);
  if (values.split && values.split !== 'train' && values.split !== 'test') throw new UserError(`Unknown split "${values.split}"; use train or test.`);
  const searcher = await openSearcher();
  await searcher.search('预热'); // the first call pays for lazy initialisation; keep it out of the timings
  const lengths = searcher.index.passages.map((p) => p.text.length);
  const meanLength = lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length);

  if (
    values.set &&
    isDialogue(
      JSON.parse(
        fs
          .readFileSync(path.resolve(values.set), 'utf8')
          .split('\n')
          .find((l) => l.trim()) ?? '{}',
      ),
    )
  ) {
    const dialogues = readDialogues(path.resolve(values.set)).filter((d) => !values.split || splitOf(d.id) === values.split);
    console.log(`${dialogues.length} dialogues${values.split ? ` (${values.split} split)` : ''}\n`);
    console.log(formatDialogueScores(await scoreDialogues(searcher, dialogues)));
    return;
  }
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
  console.log("\nThe bot's first screen (its reply with the passages folded), answerable questions:");
  for (const [name, items] of sets) console.log(`  ${name.padEnd(6)} ${formatScreens(await firstScreens(searcher, items))}`);
  if (values.misses) for (const [name, s] of scored) printMisses(name, s);
}
