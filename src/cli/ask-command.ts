import readline from 'node:readline';
import { UserError } from '../errors.js';
import type { Span } from '../search/highlight.js';
import { composeAnswer, type Answer } from '../answer/compose.js';
import { answerTurn } from '../conversation/turn.js';
import type { Topic } from '../search/followup.js';
import { openSearcher } from '../search/open.js';
import type { SearchMode, SearchResponse } from '../search/searcher.js';
import { renderAnswerText } from '../answer/terminal.js';
import { parseFlags } from './args.js';

const USAGE = `Usage: npm run ask -- "问题" [--k N] [--mode hybrid|dense|bm25]
       npm run ask -- --json [--k N] < questions.txt     (one question per line, one JSON line each;
         a line {"question": "…", "conversation": "c1"} is a turn of chat c1, after its earlier lines)`;

/** One result line of `--json` output. */
export interface JsonResult {
  rank: number;
  score: number;
  id: string;
  text: string;
  highlights: Span[];
  file: string;
  title: string;
  section: string;
  date: string | null;
  lines: [number, number];
  /** PDF sources: the page the passage starts on (1-based), the page it ends on when another, and the printed lines. */
  page?: number;
  pageEnd?: number;
  pageLines?: [number, number];
}

/** The `--json` record for one question. */
export function toJson(response: SearchResponse): {
  question: string;
  understood: string;
  noAnswer: boolean;
  unsure: boolean;
  ms: number;
  results: JsonResult[];
} {
  return {
    question: response.query.original,
    understood: response.query.original,
    noAnswer: response.noAnswer,
    unsure: response.unsure,
    ms: Math.round(response.ms * 100) / 100,
    results: response.hits.map((hit) => ({
      rank: hit.rank,
      score: Math.round(hit.score * 1000) / 1000,
      id: hit.passage.id,
      text: hit.passage.text,
      highlights: hit.highlights,
      file: hit.passage.file,
      title: hit.passage.title,
      section: hit.passage.section.join(' › '),
      date: hit.passage.date,
      lines: hit.passage.lines,
      ...(hit.passage.page !== undefined ? { page: hit.passage.page } : {}),
      ...(hit.passage.pageEnd !== undefined ? { pageEnd: hit.passage.pageEnd } : {}),
      ...(hit.passage.pageLines ? { pageLines: hit.passage.pageLines } : {}),
    })),
  };
}

/**
 * An answer as a person reads it in a terminal: the same quotes and sources the
 * bot and the terminal chat show, here every one of the top k, numbered by rank.
 */
export function formatForTerminal(response: SearchResponse, ansi: boolean): string {
  const answer: Answer = response.noAnswer
    ? composeAnswer(response)
    : {
        kind: 'quotes',
        question: response.query.question,
        english: response.query.translated.length > 0,
        unsure: response.unsure,
        hits: response.hits,
        more: false,
      };
  return `问：${response.query.question}\n\n${renderAnswerText(answer, ansi, true)}`;
}

/** `npm run ask`: one question printed for a person, or many as JSON lines for scripts. */
export async function askCommand(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseFlags(
    argv,
    { json: { type: 'boolean' }, k: { type: 'string' }, mode: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    USAGE,
    true,
  );
  if (values.help) return void console.log(USAGE);
  const k = values.k === undefined ? (values.json ? 10 : 3) : Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > 50) throw new UserError(`--k must be a whole number from 1 to 50, not "${values.k}".`);
  const mode = (values.mode ?? 'hybrid') as SearchMode;
  if (!['hybrid', 'dense', 'bm25'].includes(mode)) throw new UserError(`Unknown mode "${values.mode}"; use hybrid, dense or bm25.`);
  const question = positionals.join(' ').trim();
  if (!values.json && !question) throw new UserError(`Ask a question, e.g. npm run ask -- "卢氏县脱贫了吗".\n${USAGE}`);

  const searcher = await openSearcher();
  if (!values.json) {
    console.log(formatForTerminal(await searcher.search(question, { k, mode }), process.stdout.isTTY));
    return;
  }
  const questions = question ? [question] : readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  const chats = new Map<string, Topic | null>();
  for await (const line of questions) {
    if (!line.trim()) continue;
    const turn = parseTurn(line);
    if (!turn.conversation) {
      process.stdout.write(`${JSON.stringify(toJson(await searcher.search(turn.question, { k, mode })))}\n`);
      continue;
    }
    // Consecutive lines of one conversation are turns of one chat: understood as the bot would.
    const answered = await answerTurn(searcher, turn.question, chats.get(turn.conversation) ?? null, k);
    chats.set(turn.conversation, answered.topic);
    const record = answered.response
      ? { ...toJson(answered.response), question: turn.question, understood: answered.understood ?? turn.question, turn: answered.understanding.kind }
      : { question: turn.question, understood: null, noAnswer: true, ms: 0, results: [], turn: answered.understanding.kind };
    process.stdout.write(`${JSON.stringify({ conversation: turn.conversation, ...record })}\n`);
  }
}

/** A line of `--json` input: a plain question, or a JSON turn of a conversation. */
function parseTurn(line: string): { question: string; conversation: string | null } {
  const text = line.trim();
  if (!text.startsWith('{')) return { question: text, conversation: null };
  try {
    const value = JSON.parse(text) as { question?: unknown; conversation?: unknown };
    if (typeof value.question === 'string')
      return {
        question: value.question,
        conversation: typeof value.conversation === 'string' || typeof value.conversation === 'number' ? String(value.conversation) : null,
      };
  } catch {
    // Not JSON after all: a question that starts with a brace.
  }
  return { question: text, conversation: null };
}
