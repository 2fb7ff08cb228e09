import crypto from 'node:crypto';
import fs from 'node:fs';
import { UserError } from '../errors.js';
import { compact } from '../ingest/normalize.js';
import type { SearchMode, SearchResponse } from './searcher.js';

/** One question of an evaluation set (the format of `dev.jsonl`). */
export interface EvalItem {
  id: string;
  question: string;
  /** Source strings that answer it; empty when the documents do not. */
  evidence: string[];
  type: string;
}

/** Scores of one mode over a set. */
export interface EvalScores {
  mode: SearchMode;
  answerable: number;
  unanswerable: number;
  recallAt: Record<1 | 3 | 5 | 10, number>;
  mrr10: number;
  abstainedCorrectly: number;
  abstainedWrongly: number;
  /** Answered with the caveat that the documents may not answer exactly: unanswerable items, answerable ones. */
  hedged: { unanswerable: number; answerable: number };
  /** Answerable items per type: answered first, in the top 5, in all. */
  recallByType: Record<string, { at1: number; at5: number; total: number }>;
  msMean: number;
  /** Items whose first hit was not rank 1, for reading. */
  misses: Array<{ id: string; question: string; rank: number | null }>;
  /** Unanswerable items that were answered anyway. */
  falseRefusals: Array<{ id: string; question: string }>;
}

/** Which part of the question bank an item belongs to. */
export type Split = 'train' | 'test';

/** Share of the question bank held out for reporting only. */
export const TEST_SHARE = 0.3;

/**
 * The fixed split, by a hash of the item's id: the same id is always on the
 * same side, whatever else is in the file, so adding questions never moves
 * old ones. The test side is never used to choose a weight, rule or threshold.
 */
export function splitOf(id: string): Split {
  const h = crypto.createHash('sha1').update(id).digest();
  return h.readUInt16BE(0) / 65536 < TEST_SHARE ? 'test' : 'train';
}

/** The fold (0..folds-1) of a training item for cross-validation, by another hash of its id. */
export function foldOf(id: string, folds: number): number {
  return crypto.createHash('sha1').update(`fold:${id}`).digest().readUInt32BE(0) % folds;
}

/** One turn of a dialogue: a message and what answers it, as the turn means it in context. */
export interface DialogueTurn {
  question: string;
  evidence: string[];
  /** first, year, place, aspect, pronoun, more, new-topic, or unanswerable (a follow-up the documents do not answer). */
  type: string;
}

/** A short chat of 2–3 turns, scored turn by turn. */
export interface Dialogue {
  id: string;
  turns: DialogueTurn[];
}

/** Whether a parsed JSONL line is a dialogue rather than a single question. */
export function isDialogue(value: unknown): value is Dialogue {
  return typeof value === 'object' && value !== null && Array.isArray((value as Dialogue).turns);
}

/** Reads a JSONL set of dialogues; a bad line is one clear error naming the line. */
export function readDialogues(file: string): Dialogue[] {
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`Cannot read the dialogue set ${file}.`);
  }
  return content
    .split('\n')
    .map((line, n) => [line.trim(), n + 1] as const)
    .filter(([line]) => line)
    .map(([line, n]) => {
      const value: unknown = JSON.parse(line);
      if (!isDialogue(value) || value.turns.some((t) => typeof t.question !== 'string' || !Array.isArray(t.evidence))) {
        throw new UserError(`Line ${n} of ${file} is not a dialogue ({"id", "turns": [{"question", "evidence", "type"}]}).`);
      }
      return value;
    });
}

/** A dialogue file's turns as items (id `dialogue.turn`), for checks that look at evidence only. */
export function dialogueItems(dialogues: readonly Dialogue[]): EvalItem[] {
  return dialogues.flatMap((d) => d.turns.map((t, k) => ({ id: `${d.id}.${k + 1}`, question: t.question, evidence: t.evidence, type: t.type })));
}

/** Reads a JSONL set; a bad line is one clear error naming the line. */
export function readEvalSet(file: string): EvalItem[] {
  let content: string;
  try {
    content = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`Cannot read the evaluation set ${file}; pass --set FILE with a JSONL file like ../shared/eval/dev.jsonl.`);
  }
  return content
    .split('\n')
    .map((line, n) => [line.trim(), n + 1] as const)
    .filter(([line]) => line)
    .map(([line, n]) => {
      try {
        const item = JSON.parse(line) as EvalItem;
        if (typeof item.question !== 'string' || !Array.isArray(item.evidence)) throw new Error('needs "question" and "evidence"');
        return { ...item, type: item.type || (item.evidence.length ? 'other' : 'unanswerable') };
      } catch (err) {
        throw new UserError(`Line ${n} of ${file} is not a valid item (${err instanceof Error ? err.message : String(err)}).`);
      }
    });
}

/** Rank (1-based) of the first hit whose text contains an evidence string, white space ignored; null if none. */
export function firstHitRank(response: SearchResponse, evidence: readonly string[]): number | null {
  if (response.noAnswer) return null;
  const wanted = evidence.map(compact);
  const at = response.hits.findIndex((hit) => wanted.some((e) => compact(hit.passage.text).includes(e)));
  return at < 0 ? null : at + 1;
}

/** Scores a mode's responses to a set (responses[i] answers items[i]). */
export function score(mode: SearchMode, items: readonly EvalItem[], responses: readonly SearchResponse[]): EvalScores {
  const scores: EvalScores = {
    mode,
    answerable: 0,
    unanswerable: 0,
    recallAt: { 1: 0, 3: 0, 5: 0, 10: 0 },
    mrr10: 0,
    abstainedCorrectly: 0,
    abstainedWrongly: 0,
    hedged: { unanswerable: 0, answerable: 0 },
    recallByType: {},
    msMean: responses.reduce((sum, r) => sum + r.ms, 0) / Math.max(1, responses.length),
    misses: [],
    falseRefusals: [],
  };
  items.forEach((item, i) => {
    const response = responses[i]!;
    if (item.evidence.length === 0) {
      scores.unanswerable += 1;
      if (response.noAnswer) scores.abstainedCorrectly += 1;
      else scores.falseRefusals.push({ id: item.id, question: item.question });
      if (response.unsure) scores.hedged.unanswerable += 1;
      return;
    }
    scores.answerable += 1;
    if (response.noAnswer) scores.abstainedWrongly += 1;
    if (response.unsure) scores.hedged.answerable += 1;
    const rank = firstHitRank(response, item.evidence);
    for (const k of [1, 3, 5, 10] as const) if (rank !== null && rank <= k) scores.recallAt[k] += 1;
    if (rank !== null && rank <= 10) scores.mrr10 += 1 / rank;
    const byType = (scores.recallByType[item.type] ??= { at1: 0, at5: 0, total: 0 });
    byType.total += 1;
    if (rank === 1) byType.at1 += 1;
    if (rank !== null && rank <= 5) byType.at5 += 1;
    if (rank !== 1) scores.misses.push({ id: item.id, question: item.question, rank });
  });
  const n = Math.max(1, scores.answerable);
  for (const k of [1, 3, 5, 10] as const) scores.recallAt[k] /= n;
  scores.mrr10 /= n;
  return scores;
}

/** The side-by-side table `npm run eval` prints. */
export function formatScores(all: readonly EvalScores[], meanPassageLength: number): string {
  const first = all[0];
  if (!first) return '';
  const f = (x: number): string => x.toFixed(2);
  const lines = [
    `${first.answerable + first.unanswerable} questions (${first.answerable} answerable, ${first.unanswerable} unanswerable); mean passage length ${meanPassageLength.toFixed(0)} characters`,
    '',
    'mode     R@1   R@3   R@5   R@10  MRR@10  unanswerable abstained  answerable wrongly abstained  ms/question',
    ...all.map(
      (s) =>
        `${s.mode.padEnd(7)}  ${f(s.recallAt[1])}  ${f(s.recallAt[3])}  ${f(s.recallAt[5])}  ${f(s.recallAt[10])}  ${f(s.mrr10)}    ${`${s.abstainedCorrectly}/${s.unanswerable}`.padEnd(23)}  ${`${s.abstainedWrongly}/${s.answerable}`.padEnd(28)}  ${s.msMean.toFixed(1)}`,
    ),
    '',
    `Recall@5 by question type (${all.map((s) => s.mode).join(' | ')}):`,
    ...Object.keys(first.recallByType)
      .sort()
      .map(
        (type) =>
          `  ${type.padEnd(12)} ${all
            .map((s) => {
              const b = s.recallByType[type];
              return b ? `${b.at5}/${b.total}` : '-';
            })
            .join('  |  ')}`,
      ),
  ];
  return lines.join('\n');
}

/**
 * The default `npm run eval` table: the product (hybrid search) on each set
 * side by side — the bank's train split (what training saw), its test split
 * (held out), the shared dev set — then recall by question type.
 */
export function formatSets(sets: ReadonlyArray<readonly [string, EvalScores]>, meanPassageLength: number, passages: number): string {
  const f = (x: number): string => x.toFixed(2);
  const lines = [
    `hybrid search; ${passages} passages, mean length ${meanPassageLength.toFixed(0)} characters`,
    '',
    'set     questions  R@1   R@3   R@5   R@10  MRR@10  unanswerable refused  answerable wrongly refused  with a caveat (unanswerable, answerable)  ms/question',
    ...sets.map(
      ([name, s]) =>
        `${name.padEnd(6)}  ${String(s.answerable + s.unanswerable).padStart(9)}  ${f(s.recallAt[1])}  ${f(s.recallAt[3])}  ${f(s.recallAt[5])}  ${f(s.recallAt[10])}  ${f(s.mrr10)}    ${`${s.abstainedCorrectly}/${s.unanswerable}`.padEnd(20)}  ${`${s.abstainedWrongly}/${s.answerable}`.padEnd(26)}  ${`${s.hedged.unanswerable}/${s.unanswerable}, ${s.hedged.answerable}/${s.answerable}`.padEnd(40)}  ${s.msMean.toFixed(1)}`,
    ),
    '',
    `R@1 and R@5 by question type (${sets.map(([name]) => name).join(' | ')}):`,
  ];
  const types = [...new Set(sets.flatMap(([, s]) => Object.keys(s.recallByType)))].sort();
  for (const type of types) {
    const cells = sets.map(([, s]) => {
      const b = s.recallByType[type];
      return b ? `${b.at1}/${b.at5}/${b.total}`.padEnd(11) : '-'.padEnd(11);
    });
    lines.push(`  ${type.padEnd(13)} ${cells.join(' |  ')}`);
  }
  lines.push('  (each cell: first / in the top 5 / questions)');
  return lines.join('\n');
}
