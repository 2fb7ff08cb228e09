import fs from 'node:fs';
import path from 'node:path';

/** One vote on an answer. No user names or ids: what was asked, what was shown, how it was judged. */
export interface FeedbackRecord {
  time: string;
  question: string;
  passageIds: string[];
  vote: 'up' | 'down';
}

/**
 * Appends feedback to a JSON-lines file an admin can read (`jq`, a
 * spreadsheet import). Appends are line-sized, so concurrent writes do not mix.
 */
export class FeedbackLog {
  constructor(readonly file: string) {}

  append(record: Omit<FeedbackRecord, 'time'>, now = new Date()): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.appendFileSync(this.file, `${JSON.stringify({ time: now.toISOString(), ...record })}\n`);
  }

  /** All records, oldest first; a damaged line is skipped rather than failing the read. */
  read(): FeedbackRecord[] {
    let content = '';
    try {
      content = fs.readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    return content.split('\n').flatMap((line) => {
      try {
        return line ? [JSON.parse(line) as FeedbackRecord] : [];
      } catch {
        return [];
      }
    });
  }
}
