import fs from 'node:fs';
import path from 'node:path';
import { compact } from '../ingest/normalize.js';
import { dialogueItems, isDialogue, readDialogues, readEvalSet } from './evaluate.js';

/**
 * The distinct lines of a folder of documents, white space removed, each with
 * where it first occurs. A line repeated (the work report copied eight times)
 * counts once, as the indexer keeps it once.
 */
export function distinctLines(seedsDir: string): Map<string, string> {
  const lines = new Map<string, string>();
  for (const name of fs.readdirSync(seedsDir).sort()) {
    const text = fs.readFileSync(path.join(seedsDir, name), 'utf8');
    text.split(/\r?\n/u).forEach((line, n) => {
      const key = compact(line);
      if (key && !lines.has(key)) lines.set(key, `${name}:${n + 1}`);
    });
  }
  return lines;
}

/**
 * Checks question-bank files: every evidence string must be an exact substring
 * of one line of the documents (white space ignored) and of exactly one
 * distinct line, so a hit can only be the intended passage. Also checks ids
 * are unique and unanswerable items have no evidence. Returns the problems.
 */
export function checkBankFiles(files: readonly string[], seedsDir: string): string[] {
  const lines = [...distinctLines(seedsDir).entries()];
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const file of files) {
    const firstLine =
      fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .find((line) => line.trim()) ?? '{}';
    const items = isDialogue(JSON.parse(firstLine)) ? dialogueItems(readDialogues(file)) : readEvalSet(file);
    for (const item of items) {
      if (!item.id) problems.push(`${file}: an item without id: ${item.question}`);
      else if (ids.has(item.id)) problems.push(`${file}: duplicate id ${item.id}`);
      ids.add(item.id);
      if (item.type === 'unanswerable' && item.evidence.length) problems.push(`${item.id}: unanswerable but has evidence`);
      if (item.type !== 'unanswerable' && item.type !== 'more' && !item.evidence.length) problems.push(`${item.id}: no evidence (type ${item.type})`);
      for (const e of item.evidence) {
        const want = compact(e);
        if (want.length < 4) problems.push(`${item.id}: evidence too short: ${e}`);
        const where = lines.filter(([line]) => line.includes(want));
        if (where.length === 0) problems.push(`${item.id}: evidence not found in any single line: ${e}`);
        else if (where.length > 1)
          problems.push(
            `${item.id}: evidence in ${where.length} distinct lines (${where
              .slice(0, 3)
              .map(([, at]) => at)
              .join(', ')}), make it longer: ${e}`,
          );
      }
    }
  }
  return problems;
}
