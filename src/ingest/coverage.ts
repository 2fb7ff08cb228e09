import { compact } from './normalize.js';
import type { DroppedLine, Passage, SourceFile } from './types.js';

/** A source line that is neither in a passage nor recorded as dropped. */
export interface LostLine {
  file: string;
  line: number;
  text: string;
  /** Why the check failed: not covered at all, or a sentence that was dropped. */
  problem: 'in no passage' | 'sentence dropped';
}

/** A line that ends a sentence: never a heading, never noise. */
const SENTENCE = /[。；！][”’」』）)]?$/u;

/** Clauses of a line, white space removed: what must each be found in a passage. */
function clauses(text: string): string[] {
  return text
    .split(/[。！？；，、：,;:!?\s]+/u)
    .map(compact)
    .filter((c) => c.length >= 2);
}

/**
 * Checks the indexer's invariant on one build: every non-blank line of every
 * file is either inside a passage (each of its clauses in the text, header,
 * title or section path of a passage citing that line, or the line is a
 * heading shown in a section path or title of its file) or recorded as
 * dropped with a reason; and a sentence is never dropped, except as a repeated
 * copy of text indexed elsewhere. Returns the lines that break it.
 */
export function lostLines(files: readonly SourceFile[], passages: readonly Passage[], dropped: readonly DroppedLine[]): LostLine[] {
  const droppedAt = new Map<string, DroppedLine[]>();
  for (const d of dropped) {
    const key = `${d.file}:${d.line}`;
    droppedAt.set(key, [...(droppedAt.get(key) ?? []), d]);
  }
  const lost: LostLine[] = [];
  for (const file of files) {
    const mine = passages.filter((p) => p.file === file.name);
    // Headings are shown in section paths and titles; table header rows above each piece of their table.
    const labels = compact(mine.flatMap((p) => [p.title, ...p.section, ...(p.header ?? '').split('\n')]).join('\u0001'));
    file.lines.forEach((raw, i) => {
      const no = i + 1;
      let text = raw.trim();
      if (!text) return;
      const drops = droppedAt.get(`${file.name}:${no}`) ?? [];
      const whole = drops.find((d) => d.reason !== 'spam');
      if (whole) {
        if (SENTENCE.test(text) && whole.reason !== 'repeated copy') lost.push({ file: file.name, line: no, text, problem: 'sentence dropped' });
        return;
      }
      for (const spam of drops) if (text.endsWith(spam.text)) text = text.slice(0, -spam.text.length);
      const covering = mine.filter((p) => p.lines[0] <= no && no <= p.lines[1]);
      const haystack = compact(covering.map((p) => [p.text, p.header ?? '', p.title, ...p.section].join('\u0001')).join('\u0001'));
      const key = compact(text);
      const inPassage = clauses(text).every((c) => haystack.includes(c));
      const asHeading = !SENTENCE.test(text) && labels.includes(key);
      if (!inPassage && !asHeading) lost.push({ file: file.name, line: no, text, problem: 'in no passage' });
    });
  }
  return lost;
}
