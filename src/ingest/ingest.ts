import crypto from 'node:crypto';
import { cleanFile, findBoilerplate } from './noise.js';
import { normalizeForIndex } from './normalize.js';
import { DEFAULT_SPLITTER, packPassages, type SplitterSettings } from './passages.js';
import { readIssueInfo, splitDocuments } from './structure.js';
import type { Passage, SourceFile } from './types.js';
import { toUnits } from './units.js';

/** What ingestion found and dropped, for the build summary and the manifest. */
export interface IngestStats {
  files: number;
  documents: number;
  passages: number;
  duplicatesDropped: number;
  noiseLinesDropped: number;
  spamStripped: number;
  /** Passages kept per file name. */
  perFile: Record<string, number>;
}

export interface IngestResult {
  passages: Passage[];
  stats: IngestStats;
}

/** The form under which two passages count as the same text (repeated reports, re-printed notices). */
export function duplicateKey(text: string): string {
  return normalizeForIndex(text).replace(/[\p{P}\p{S}\s]/gu, '');
}

/** Stable while the file name and the passage text stay the same, whatever moves around it. */
export function passageId(file: string, text: string): string {
  return crypto.createHash('sha1').update(`${file}\n${text}`).digest('hex').slice(0, 12);
}

/**
 * Reads files into citable passages: cleans noise, finds documents and their
 * headings, rejoins broken lines, packs passages and drops any passage whose
 * text was already indexed (so a report printed eight times is cited once, at
 * its first copy).
 */
export function ingest(files: readonly SourceFile[], settings: SplitterSettings = DEFAULT_SPLITTER): IngestResult {
  const boilerplate = findBoilerplate(files);
  const seen = new Set<string>();
  const passages: Passage[] = [];
  const stats: IngestStats = { files: files.length, documents: 0, passages: 0, duplicatesDropped: 0, noiseLinesDropped: 0, spamStripped: 0, perFile: {} };

  for (const file of files) {
    const cleaned = cleanFile(file, boilerplate);
    const issue = readIssueInfo(file.lines);
    const { documents, dropped } = splitDocuments(cleaned.lines, cleaned.contents);
    stats.noiseLinesDropped += cleaned.noiseLines + dropped.length;
    stats.spamStripped += cleaned.spamStripped;
    stats.perFile[file.name] = 0;
    for (const doc of documents) {
      let kept = 0;
      for (const draft of packPassages(toUnits(doc.body), settings)) {
        const key = duplicateKey(draft.text);
        if (!key) continue;
        if (seen.has(key)) {
          stats.duplicatesDropped += 1;
          continue;
        }
        seen.add(key);
        kept += 1;
        passages.push({
          id: passageId(file.name, draft.text),
          file: file.name,
          title: doc.title,
          section: draft.section,
          date: doc.date ?? issue.date,
          issue: issue.label,
          lines: draft.lines,
          text: draft.text,
          kind: draft.kind,
          ...(draft.header ? { header: draft.header } : {}),
        });
      }
      if (kept > 0) stats.documents += 1;
      stats.perFile[file.name] = (stats.perFile[file.name] ?? 0) + kept;
    }
  }
  stats.passages = passages.length;
  return { passages, stats };
}
